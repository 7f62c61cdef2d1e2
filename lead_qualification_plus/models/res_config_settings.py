from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qualification_profile_id = fields.Many2one(
        related="company_id.qualification_profile_id",
        readonly=False,
    )
    order_qualifies_leads = fields.Boolean(related="company_id.order_qualifies_leads", readonly=False)
    backend_order_qualifies_leads = fields.Boolean(
        related="company_id.backend_order_qualifies_leads", readonly=False
    )
    webshop_qualification_profile_id = fields.Many2one(
        related="company_id.webshop_qualification_profile_id", readonly=False
    )
