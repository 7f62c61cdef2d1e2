from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    webshop_qualification_profile_id = fields.Many2one(
        related="company_id.webshop_qualification_profile_id", readonly=False
    )
