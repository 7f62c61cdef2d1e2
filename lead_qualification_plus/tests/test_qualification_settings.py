from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import LeadQualificationCommon


@tagged("post_install", "-at_install")
class TestQualificationSettings(LeadQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile = cls.env["crm.qualification.profile"].create(
            {"name": "Settings profile", "company_id": cls.company.id}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other Furniture Co"})
        cls.other_profile = cls.env["crm.qualification.profile"].create(
            {"name": "Other company profile", "company_id": cls.other_company.id}
        )
        cls.user_manager.company_ids |= cls.other_company

    def _settings_form(self, user):
        return Form(self.env["crm.qualification.settings"].with_user(user))

    def test_sales_manager_sets_the_company_settings(self):
        """A sales manager, not a settings administrator, sets the default profile of their company."""
        self.assertFalse(self.user_manager.has_group("base.group_system"))
        form = self._settings_form(self.user_manager)
        form.qualification_profile_id = self.profile
        form.save().action_save()
        self.assertEqual(self.company.qualification_profile_id, self.profile)
        self.assertEqual(self._settings_form(self.user_manager).qualification_profile_id, self.profile)

    def test_salesperson_cannot_change_the_settings(self):
        with self.assertRaises(AccessError):
            self.env["crm.qualification.settings"].with_user(self.user_salesman).create({})

    def test_profile_of_another_company_refused(self):
        before = self.company.qualification_profile_id
        settings = (
            self.env["crm.qualification.settings"]
            .with_user(self.user_manager)
            .create({"qualification_profile_id": self.other_profile.id})
        )
        with self.assertRaises(ValidationError):
            settings.action_save()
        self.assertEqual(self.company.qualification_profile_id, before)

    def test_company_not_allowed_refused(self):
        foreign = self.env["res.company"].create({"name": "Foreign Co"})
        settings = (
            self.env["crm.qualification.settings"]
            .with_user(self.user_manager)
            .create({"company_id": foreign.id})
        )
        with self.assertRaises(AccessError):
            settings.action_save()
        self.assertFalse(foreign.qualification_profile_id)
