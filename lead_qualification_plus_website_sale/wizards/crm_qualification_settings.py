from odoo import fields, models


class CrmQualificationSettings(models.TransientModel):
    _inherit = "crm.qualification.settings"

    webshop_qualification_profile_id = fields.Many2one(
        comodel_name="crm.qualification.profile",
        string="Webshop Profile",
        compute="_compute_company_settings",
        store=True,
        readonly=False,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Profile applied when an order qualifies leads; empty uses the first profile marked for the "
        "webshop, else only links the buyer.",
    )

    def _get_company_settings(self):
        return [*super()._get_company_settings(), "webshop_qualification_profile_id"]

    def _get_profiles_set(self):
        return super()._get_profiles_set() | self.webshop_qualification_profile_id
