from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    qualification_profile_id = fields.Many2one(
        comodel_name="crm.qualification.profile",
        string="Default Qualification Profile",
        domain="['|', ('company_id', '=', False), ('company_id', '=', id)]",
        help="Profile used to qualify the company's leads that no profile suits.",
    )
    order_qualifies_leads = fields.Boolean(
        string="Orders Qualify Leads",
        default=True,
        help="Confirming a web shop order qualifies the buyer's open leads.",
    )
    backend_order_qualifies_leads = fields.Boolean(
        string="Backend Orders Qualify Leads",
        help="Confirming a quotation made in the backend qualifies the buyer's open leads too.",
    )
    webshop_qualification_profile_id = fields.Many2one(
        comodel_name="crm.qualification.profile",
        string="Webshop Qualification Profile",
        domain="['|', ('company_id', '=', False), ('company_id', '=', id)]",
        help="Profile applied when an order qualifies leads; empty uses the first profile marked "
        "for the webshop, else only links the buyer.",
    )
