from markupsafe import Markup

from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _is_lead_qualifying_order(self):
        """Orders placed in the web shop qualify their buyer's leads (when the company's feature is on)."""
        self.ensure_one()
        return bool(self.website_id) or super()._is_lead_qualifying_order()

    def _get_lead_qualified_message(self):
        self.ensure_one()
        if not self.website_id:
            return super()._get_lead_qualified_message()
        return Markup(self.env._("Qualified by web order %s")) % self._get_html_link()
