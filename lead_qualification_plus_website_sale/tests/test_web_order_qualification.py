from .common import WebOrderCommon


class TestWebOrderQualification(WebOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Web orders qualify leads whatever the backend setting says.
        cls.company.backend_order_qualifies_leads = False

    def test_web_order_qualifies_the_buyer_lead(self):
        lead = self._lead_without_partner(email_from="bob.buyer@buyercorp.example.com")
        order = self._web_order()
        order.action_confirm()
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(order.originating_lead_id, lead)
        self.assertTrue(
            lead.message_ids.filtered(
                lambda message: "Qualified by web order" in message.body and order.name in message.body
            )
        )

    def test_backend_order_still_needs_the_setting(self):
        lead = self._create_leads(partner_id=self.buyer.id)
        self._confirm()
        self.assertEqual(lead.qualification_state, "open")

    def test_online_payment_confirms_and_qualifies_once(self):
        """The payment provider may call back twice: the lead is qualified once, the order confirmed once."""
        lead = self._create_leads(partner_id=self.buyer.id)
        order = self._web_order()
        transaction = self._pay(order)
        transaction._post_process()
        transaction._post_process()
        self.assertEqual(order.state, "sale")
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(len(lead.qualification_event_ids), 1)
        self.assertEqual(order.originating_lead_id, lead)

    def test_paid_web_order_mails_its_pdf_and_qualifies(self):
        """A paid web order is confirmed and mailed with its PDF, rendered for real by wkhtmltopdf (tests
        otherwise render reports as HTML and would hide a server that cannot print), and its buyer's lead is
        qualified."""
        lead = self._create_leads(partner_id=self.buyer.id)
        order = self._web_order()
        self._pay(order).with_context(force_report_rendering=True)._post_process()
        self.assertEqual(order.state, "sale")
        self.assertEqual(lead.qualification_state, "qualified")
        pdf = order.message_ids.attachment_ids.filtered(lambda att: att.mimetype == "application/pdf")
        self.assertEqual(len(pdf), 1, "the confirmation mail carries the order's PDF")
        self.assertTrue(pdf.raw.startswith(b"%PDF"))

    def test_failing_qualification_does_not_fail_the_payment(self):
        self.webshop_profile.partner_policy = "always"
        individual = self.env["res.partner"].create({"name": "Ivy Individual", "email": "ivy@example.com"})
        lead = self._lead_without_partner(email_from="ivy@example.com")
        order = self._web_order(individual)
        self._pay(order)._post_process()
        self.assertEqual(order.state, "sale")
        self.assertEqual(lead.qualification_state, "open")
        self.assertEqual(lead.activity_ids.summary, "Qualify this lead by hand")

    def test_web_qualified_lead_counts_as_converted_in_the_report(self):
        lead = self._lead_without_partner(email_from="bob.buyer@buyercorp.example.com")
        self._web_order().action_confirm()
        self.env.flush_all()
        row = self.env["crm.qualification.report"].search([("lead_id", "=", lead.id)])
        self.assertEqual(row.qualification_state, "qualified")
        self.assertTrue(row.became_customer, "the confirmed web order makes the lead a customer")
        self.assertFalse(row.became_opportunity)
