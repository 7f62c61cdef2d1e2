"""The browser tours of the sales bridge, one class per tour: ``TestUi<Feature>`` runs the tour
``lqp_<feature>`` of ``static/tests/tours/<feature>_tour.js``."""

from odoo.addons.lead_qualification_plus.tests.common import QualifyCommon
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUiQualifyLead(HttpCase, QualifyCommon):
    def test_qualify_lead_into_quotation(self):
        """A salesperson opens a lead, qualifies it without opportunity but with a quotation, and lands on
        the quotation."""
        lead = self._create_leads(
            name="Tour qualify lead", contact_name="Tour Contact", partner_name="Tour Company"
        )
        self.start_tour("/odoo", "lqp_qualify_lead", login=self.user_salesman.login)
        order = self.env["sale.order"].search([("originating_lead_id", "=", lead.id)])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id.name, "Tour Contact")
        self.assertEqual(order.partner_id.parent_id.name, "Tour Company")
        self.assertFalse(order.opportunity_id)
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.qualification_state, "qualified")
