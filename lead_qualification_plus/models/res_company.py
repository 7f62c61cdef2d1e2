from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    qualification_profile_id = fields.Many2one(
        comodel_name="crm.qualification.profile",
        string="Default Qualification Profile",
        domain="['|', ('company_id', '=', False), ('company_id', '=', id)]",
        help="Profile used to qualify the company's leads that no profile suits.",
    )
