from odoo.addons.lead_qualification_plus.tests.common import LeadQualificationCommon
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install")
class TestQualificationSettingsOrders(LeadQualificationCommon):
    def test_sales_manager_sets_the_order_settings(self):
        """A sales manager, not a settings administrator, decides whether their company's orders qualify
        leads, backend orders included."""
        self.assertFalse(self.user_manager.has_group("base.group_system"))
        form = Form(self.env["crm.qualification.settings"].with_user(self.user_manager))
        self.assertEqual(form.order_qualifies_leads, self.company.order_qualifies_leads)
        form.order_qualifies_leads = True
        form.backend_order_qualifies_leads = True
        form.save().action_save()
        self.assertTrue(self.company.order_qualifies_leads)
        self.assertTrue(self.company.backend_order_qualifies_leads)
