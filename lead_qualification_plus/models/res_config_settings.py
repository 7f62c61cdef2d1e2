from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qualification_profile_id = fields.Many2one(
        related="company_id.qualification_profile_id",
        readonly=False,
    )
