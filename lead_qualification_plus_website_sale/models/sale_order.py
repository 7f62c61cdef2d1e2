from markupsafe import Markup

from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _is_lead_qualifying_order(self):
        """Orders placed in the web shop qualify their buyer's leads (when the company's feature is on)."""
        self.ensure_one()
        return bool(self.website_id) or super()._is_lead_qualifying_order()

    def _get_order_qualification_profile(self):
        """The company's webshop profile, else the first active profile marked for the webshop (empty: the
        buyer is only linked, nothing is created)."""
        self.ensure_one()
        company = self.company_id
        if company.webshop_qualification_profile_id.active:
            return company.webshop_qualification_profile_id
        return self.env["crm.qualification.profile"].search(
            [("use_for_webshop", "=", True), ("company_id", "in", [company.id, False])], limit=1
        )

    def _wins_qualified_opportunities(self, profile):
        return profile.web_order_set_won

    def _get_lead_qualified_message(self):
        self.ensure_one()
        if not self.website_id:
            return super()._get_lead_qualified_message()
        return Markup(self.env._("Qualified by web order %s")) % self._get_html_link()
