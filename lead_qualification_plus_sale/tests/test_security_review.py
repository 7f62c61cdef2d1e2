from odoo.addons.lead_qualification_plus.tests.common import LeadDomainCommon, LeadQualificationCommon
from odoo.exceptions import AccessError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestOriginatingLeadDefaults(LeadQualificationCommon):
    """The qualification report counts a lead's customers by the orders it originated: a default is no way
    around qualifying."""

    def test_context_default_is_refused(self):
        lead = self._create_leads()
        customer = self.env["res.partner"].create({"name": "LQP default customer"})
        Order = self.env["sale.order"].with_user(self.user_manager)
        with self.assertRaises(AccessError):
            Order.with_context(default_originating_lead_id=lead.id).create({"partner_id": customer.id})
        self.assertFalse(self.env["sale.order"].search([("originating_lead_id", "=", lead.id)]))
        order = Order.with_context(default_originating_lead_id=False).create({"partner_id": customer.id})
        self.assertFalse(order.originating_lead_id)


@tagged("post_install", "-at_install")
class TestOtherCompanyOrderSettings(LeadQualificationCommon):
    def test_order_settings_of_another_company_are_refused(self):
        """A sales manager of one company does not decide whether another company's orders qualify leads."""
        company_b = self.env["res.company"].create({"name": "LQP Other Company"})
        settings = (
            self.env["crm.qualification.settings"]
            .with_user(self.user_manager)
            .create({"company_id": company_b.id, "order_qualifies_leads": False})
        )
        with self.assertRaises(AccessError):
            settings.action_save()
        self.assertTrue(company_b.order_qualifies_leads)


@tagged("post_install", "-at_install")
class TestConditionOnOrders(LeadDomainCommon):
    def test_readable_order_path_is_accepted(self):
        """A sales manager reads the orders of the leads: a condition on them is saved."""
        self.assertTrue(self._save_condition("rule", "[('order_ids.amount_total', '>', 100)]"))
