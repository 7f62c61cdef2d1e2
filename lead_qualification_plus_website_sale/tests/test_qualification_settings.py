from odoo.addons.lead_qualification_plus.tests.common import LeadQualificationCommon
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install")
class TestQualificationSettingsWebshop(LeadQualificationCommon):
    def test_sales_manager_sets_the_webshop_profile(self):
        """A sales manager, not a settings administrator, chooses the profile web orders qualify with."""
        self.assertFalse(self.user_manager.has_group("base.group_system"))
        profile = self.env["crm.qualification.profile"].create(
            {"name": "Settings webshop profile", "company_id": self.company.id}
        )
        form = Form(self.env["crm.qualification.settings"].with_user(self.user_manager))
        form.webshop_qualification_profile_id = profile
        form.save().action_save()
        self.assertEqual(self.company.webshop_qualification_profile_id, profile)
