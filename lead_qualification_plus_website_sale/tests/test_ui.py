from odoo.addons.lead_qualification_plus.tests.common import LeadQualificationCommon
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCheckoutUi(HttpCase, LeadQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        website = cls.env["website"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["product.product"].create(
            {
                "name": "LQP Training Voucher",
                "type": "service",
                "list_price": 150.0,
                "website_published": True,
                "website_id": website.id,
            }
        )
        cls.env.ref("payment.payment_provider_demo").write(
            {"state": "test", "is_published": True, "company_id": cls.company.id}
        )
        cls.lead = cls._create_leads(
            name="Training request from the fair",
            partner_name=False,
            contact_name="Vera Visitor",
            email_from="vera.visitor@example.com",
        )

    def test_visitor_checkout_qualifies_their_lead(self):
        """A visitor buys in the shop with the email of an open lead: the lead ends qualified, linked to the
        order, without anyone clicking in the CRM."""
        self.start_tour("/shop", "lqp_checkout_qualifies_lead")
        order = self.env["sale.order"].search([("originating_lead_id", "=", self.lead.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.lead.qualification_state, "qualified")
        self.assertEqual(self.lead.partner_id, order.partner_id)
        self.assertIn(order.name, self.lead.qualification_event_ids.note)
