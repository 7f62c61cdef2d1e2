from odoo import fields, models


class CrmQualificationSettings(models.TransientModel):
    _inherit = "crm.qualification.settings"

    order_qualifies_leads = fields.Boolean(
        string="Orders Qualify Leads",
        compute="_compute_company_settings",
        store=True,
        readonly=False,
        help="A confirmed web shop order qualifies the buyer's open leads and is linked to them.",
    )
    backend_order_qualifies_leads = fields.Boolean(
        string="Backend Quotations Too",
        compute="_compute_company_settings",
        store=True,
        readonly=False,
        help="Confirming a quotation made in the backend qualifies the buyer's open leads too.",
    )

    def _get_company_settings(self):
        return [*super()._get_company_settings(), "order_qualifies_leads", "backend_order_qualifies_leads"]
