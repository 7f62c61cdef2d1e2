from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    webshop_qualification_profile_id = fields.Many2one(
        comodel_name="crm.qualification.profile",
        string="Webshop Qualification Profile",
        domain="['|', ('company_id', '=', False), ('company_id', '=', id)]",
        help="Profile applied when an order qualifies leads; empty uses the first profile marked "
        "for the webshop, else only links the buyer.",
    )
