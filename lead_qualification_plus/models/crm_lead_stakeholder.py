from odoo import fields, models


class CrmLeadStakeholder(models.Model):
    _name = "crm.lead.stakeholder"
    _description = "Lead Stakeholder"
    _order = "lead_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Lead/Opportunity",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        domain="[('is_company', '=', False)]",
    )
    partner_parent_id = fields.Many2one(related="partner_id.parent_id", string="Contact's Company")
    partner_email = fields.Char(related="partner_id.email", string="Email")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    role_id = fields.Many2one(
        comodel_name="crm.stakeholder.role", string="Role", ondelete="restrict", index=True
    )
    is_decision_maker = fields.Boolean(related="role_id.is_decision_maker")
    influence = fields.Selection(
        selection=[("low", "Low"), ("medium", "Medium"), ("high", "High")],
        default="medium",
        required=True,
    )
    attitude = fields.Selection(
        selection=[
            ("champion", "Champion"),
            ("supporter", "Supporter"),
            ("neutral", "Neutral"),
            ("skeptic", "Skeptic"),
            ("blocker", "Blocker"),
        ],
        default="neutral",
        required=True,
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "lead_partner_uniq",
            "UNIQUE(lead_id, partner_id)",
            "This contact is already a stakeholder of this lead or opportunity: "
            "edit the existing line instead.",
        ),
    ]

    def write(self, vals):
        if vals.get("lead_id"):
            # The rules are checked on the lines as they were: a line must not move to a lead the user
            # may not change.
            self.env["crm.lead"].browse(vals["lead_id"]).check_access("write")
        return super().write(vals)
