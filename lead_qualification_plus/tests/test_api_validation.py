from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DisqualifyCommon


@tagged("post_install", "-at_install")
class TestApiValidation(DisqualifyCommon):
    """What an integrator gets wrong gets a UserError saying so, and changes nothing."""

    def _lead_as_salesman(self):
        return self._create_leads().with_user(self.user_salesman)

    def test_qualify_refuses_bad_profile_ids(self):
        lead = self._lead_as_salesman()
        other_company = self.env["res.company"].create({"name": "LQP Other Company"})
        foreign = self.env["crm.qualification.profile"].create(
            {"name": "Foreign profile", "company_id": other_company.id}
        )
        deleted = self.env["crm.qualification.profile"].create({"name": "Deleted profile"})
        deleted_id = deleted.id
        deleted.unlink()
        for profile_id in ("abc", deleted_id, foreign.id, True, 1.5, [1], {"id": 1}, 0, -3):
            with self.subTest(profile_id=profile_id), self.assertRaises(UserError):
                lead.qualify(profile_id=profile_id)
        self.assertEqual(lead.qualification_state, "open")
        self.assertFalse(lead.qualification_event_ids)

    def test_qualify_refuses_flags_that_are_not_booleans(self):
        lead = self._lead_as_salesman()
        for flag in ("create_partner", "create_contact", "create_opportunity", "create_sale_order"):
            for value in ("yes", 1, 0, [True], {"a": 1}):
                with self.subTest(flag=flag, value=value), self.assertRaisesRegex(UserError, flag):
                    lead.qualify(**{flag: value})
        self.assertEqual(lead.qualification_state, "open")

    def test_qualify_nothing_is_refused(self):
        with self.assertRaises(UserError):
            self.env["crm.lead"].with_user(self.user_salesman).browse().qualify()

    def test_check_transition_refuses_bad_stages(self):
        lead = self._lead_as_salesman()
        for stage_id in ("abc", 10**9, True, [self.stage_contacted.id], 0):
            with self.subTest(stage_id=stage_id), self.assertRaises(UserError):
                lead.check_transition(stage_id)
        with self.assertRaises(UserError):
            (lead | self._lead_as_salesman()).check_transition(self.stage_contacted.id)
        self.assertEqual(lead.check_transition(False), [])

    def test_force_transition_refuses_bad_stages_and_reasons(self):
        self.user_manager.groups_id += self.env.ref("lead_qualification_plus.group_transition_override")
        lead = self._create_leads().with_user(self.user_manager)
        for stage_id in ("abc", 10**9, None, True):
            with self.subTest(stage_id=stage_id), self.assertRaises(UserError):
                lead.force_transition(stage_id, "Customer asked")
        for reason in ("", "   ", None, False, 42, ["why"]):
            with self.subTest(reason=reason), self.assertRaisesRegex(UserError, "reason is mandatory"):
                lead.force_transition(self.stage_contacted.id, reason)
        with self.assertRaisesRegex(UserError, "Select the records"):
            lead.browse().force_transition(self.stage_contacted.id, "Customer asked")
        self.assertEqual(lead.stage_id, self.stage_new)
        self.assertFalse(lead.qualification_event_ids)

    def test_open_transition_refuses_bad_rule_ids(self):
        lead = self._lead_as_salesman()
        for rule_id in ("abc", 10**9, None):
            with self.subTest(rule_id=rule_id), self.assertRaises(UserError):
                lead.action_open_transition(rule_id)

    def test_reactivate_refuses_what_is_not_disqualified(self):
        lead = self._lead_as_salesman()
        with self.assertRaisesRegex(UserError, "Only disqualified"):
            lead.action_reactivate()
        with self.assertRaises(UserError):
            lead.browse().action_reactivate()
        self.assertFalse(lead.qualification_event_ids)

    def test_wizards_without_records_are_refused(self):
        env = self.env(user=self.user_salesman)
        with self.assertRaisesRegex(UserError, "Select the records"):
            env["crm.lead.disqualify"].create({"reason_id": self.reason_spam.id}).action_disqualify()
        with self.assertRaisesRegex(UserError, "Select the records"):
            env["crm.lead.reactivate"].create({}).action_reactivate()
        with self.assertRaisesRegex(UserError, "Select the records"):
            env["crm.lead.lost"].create({"lost_reason_id": self.reason_spam.id}).action_lost_reason_apply()
        with self.assertRaisesRegex(UserError, "Select the leads"):
            env["crm.lead.qualify"].create({}).action_qualify()


@tagged("post_install", "-at_install")
class TestLostReasonBounds(DisqualifyCommon):
    def test_reactivation_delay_out_of_range_is_refused(self):
        Reason = self.env["crm.lost.reason"].with_user(self.user_manager)
        for days in (3_000_000, 3651):
            with self.subTest(days=days), self.assertRaises(ValidationError):
                Reason.create({"name": "Far away", "reactivate_after_days": days})
            with self.subTest(days=days), self.assertRaises(ValidationError):
                self.reason_spam.with_user(self.user_manager).reactivate_after_days = days
        reason = Reason.create({"name": "Ten years", "reactivate_after_days": 3650})
        lead = self._create_leads()
        wizard = self._open_wizard("crm.lead.disqualify", lead, user=self.user_salesman, reason_id=reason.id)
        # The salesperson's today: near midnight UTC it is not the superuser's in another time zone.
        self.assertEqual(wizard.reactivate_on, fields.Date.context_today(wizard) + timedelta(days=3650))

    def test_dialogs_survive_a_delay_saved_before_the_bound(self):
        """A value saved by an older version (no check then) must not break every dialog offering it."""
        self.env.cr.execute(
            "UPDATE crm_lost_reason SET reactivate_after_days = 3000000 WHERE id = %s", [self.reason_spam.id]
        )
        self.reason_spam.invalidate_recordset()
        lead = self._create_leads()
        wizard = self._open_wizard(
            "crm.lead.disqualify", lead, user=self.user_salesman, reason_id=self.reason_spam.id
        )
        self.assertFalse(wizard.reactivate_on)
        lost = (
            self.env["crm.lead.lost"]
            .with_user(self.user_salesman)
            .create({"lead_ids": lead.ids, "lost_reason_id": self.reason_spam.id})
        )
        self.assertFalse(lost.reactivate_on)
