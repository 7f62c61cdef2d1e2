from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    order_qualifies_leads = fields.Boolean(
        string="Orders Qualify Leads",
        default=True,
        help="Confirming a web shop order qualifies the buyer's open leads.",
    )
    backend_order_qualifies_leads = fields.Boolean(
        string="Backend Orders Qualify Leads",
        help="Confirming a quotation made in the backend qualifies the buyer's open leads too.",
    )
