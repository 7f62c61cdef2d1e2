from odoo.addons.lead_qualification_plus.tests.common import QualifyCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestQualifyWizardQuotation(QualifyCommon):
    def test_quotation_tick_follows_the_profile(self):
        """A proposed-off quotation is offered unticked; ticked, qualifying ends on the new quotation."""
        self._profile(
            partner_policy="never", opportunity_policy="default_on", sale_order_policy="default_off"
        )
        lead = self._create_leads()
        form = self._open_wizard("crm.lead.qualify", lead, user=self.user_salesman, form=True)
        self.assertFalse(form.create_sale_order)
        self.assertFalse(form._get_modifier("create_sale_order", "readonly"))
        form.create_opportunity = False
        form.create_sale_order = True
        action = form.save().action_qualify()
        order = self.env["sale.order"].search([("originating_lead_id", "=", lead.id)])
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", order.id))
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.qualification_state, "qualified")

    def test_profile_change_locks_the_quotation(self):
        self._profile(name="First", sequence=1)
        second = self._profile(name="Second", sequence=2, sale_order_policy="always")
        form = self._open_wizard("crm.lead.qualify", self._create_leads(), user=self.user_salesman, form=True)
        self.assertFalse(form.create_sale_order)
        form.profile_id = second
        self.assertTrue(form.create_sale_order)
        self.assertTrue(form._get_modifier("create_sale_order", "readonly"))
