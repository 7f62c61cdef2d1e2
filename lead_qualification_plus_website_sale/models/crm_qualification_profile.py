from odoo import fields, models


class CrmQualificationProfile(models.Model):
    _inherit = "crm.qualification.profile"

    use_for_webshop = fields.Boolean(
        string="Use for Webshop",
        help="Profile applied when the system qualifies the leads of webshop customers.",
    )
    web_order_set_won = fields.Boolean(
        string="Orders Win Opportunities",
        help="When an order qualifies an opportunity, set it won with the order's untaxed amount.",
    )
