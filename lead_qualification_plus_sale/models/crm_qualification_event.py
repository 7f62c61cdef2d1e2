from odoo import fields, models


class CrmQualificationEvent(models.Model):
    _inherit = "crm.qualification.event"

    # Written by the qualification with the other ``undo_*`` fields: the quotation its undo removes.
    undo_sale_order_id = fields.Many2one(
        comodel_name="sale.order", string="Quotation Created", ondelete="set null", readonly=True
    )
