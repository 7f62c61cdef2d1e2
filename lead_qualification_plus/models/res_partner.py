from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    originating_lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Originating Lead",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="sales_team.group_sale_salesman",
        help="The lead whose qualification created this partner.",
    )

    stakeholder_lead_count = fields.Integer(
        string="Stakeholder In",
        compute="_compute_stakeholder_lead_count",
        groups="sales_team.group_sale_salesman",
    )

    # The figures are those of what the user may read.
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_stakeholder_lead_count(self):
        counts = {}
        if self.ids:
            # One line per contact and lead (SQL constraint): counting lines counts the records.
            counts = dict(
                self.env["crm.lead.stakeholder"]._read_group(
                    [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.stakeholder_lead_count = counts.get(partner._origin, 0)

    def action_view_stakeholder_leads(self):
        """Open the leads and opportunities, ongoing or closed, where the contact is a stakeholder."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_opportunities")
        action.update(
            {
                "name": self.env._("%(contact)s: stakeholder in", contact=self.display_name),
                "domain": [("stakeholder_ids.partner_id", "=", self.id), ("active", "in", [True, False])],
                "context": {"active_test": False, "create": False},
                "view_mode": "list,kanban,form",
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
            }
        )
        return action
