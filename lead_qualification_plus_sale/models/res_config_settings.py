from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    order_qualifies_leads = fields.Boolean(related="company_id.order_qualifies_leads", readonly=False)
    backend_order_qualifies_leads = fields.Boolean(
        related="company_id.backend_order_qualifies_leads", readonly=False
    )
