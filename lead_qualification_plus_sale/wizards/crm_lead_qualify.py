from odoo import api, fields, models
from odoo.addons.lead_qualification_plus.models.crm_qualification_profile import POLICIES


class CrmLeadQualify(models.TransientModel):
    _inherit = "crm.lead.qualify"

    sale_order_policy = fields.Selection(selection=POLICIES, compute="_compute_policies")
    create_sale_order = fields.Boolean(
        string="Quotation",
        compute="_compute_create_sale_order",
        store=True,
        readonly=False,
        compute_sudo=False,
    )

    @api.depends("profile_id")
    def _compute_create_sale_order(self):
        for wizard in self:
            wizard.create_sale_order = wizard._policy_default("sale_order")

    # The summary says whether a quotation is created: it follows the tick too.
    @api.depends(
        "create_partner",
        "create_contact",
        "create_opportunity",
        "create_sale_order",
        "company_link_id",
        "contact_link_id",
        "opportunity_name",
    )
    def _compute_summary_html(self):
        return super()._compute_summary_html()

    def _get_summary_lines(self, lead):
        lines = super()._get_summary_lines(lead)
        if self.create_sale_order:
            lines.append(self.env._("Creates a draft quotation for the customer"))
        return lines
