from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    originating_lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Originating Lead",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="sales_team.group_sale_salesman",
        help="The lead whose qualification created this quotation.",
    )
