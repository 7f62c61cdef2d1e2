from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _is_lead_qualifying_order(self):
        """Orders placed through the web shop always qualify their buyer's leads (when the feature is on)."""
        self.ensure_one()
        return bool(self.website_id) or super()._is_lead_qualifying_order()
