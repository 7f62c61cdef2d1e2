import threading
import time
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors

import odoo
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.crm_lead import is_concurrency_error
from .common import BLOCK_LOG_MODULE, DisqualifyCommon, LeadQualificationCommon, StakeholderCommon


@tagged("post_install", "-at_install")
class TestStakeholdersKeepTheirCompany(StakeholderCommon):
    def test_colleague_contact_is_left_as_it_was(self):
        """A salesperson names the administrator's contact as a stakeholder: qualifying does not move it
        under the company it creates, and the chatter says so; the other stakeholders join it."""
        admin_partner = self.env.ref("base.user_admin").partner_id
        parent_before = admin_partner.parent_id
        lead = self._create_leads()
        self._add_stakeholder(lead, admin_partner)
        self._add_stakeholder(lead, self.free_contact)
        [result] = lead.with_user(self.user_salesman).qualify()
        company = self.env["res.partner"].browse(result["partner_id"])
        self.assertEqual(admin_partner.parent_id, parent_before)
        self.assertEqual(self.free_contact.parent_id, company)
        message = lead.message_ids.filtered(lambda msg: "left as they were" in (msg.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(admin_partner.name, message.body)

    def test_contact_the_user_may_write_joins(self):
        lead = self._create_leads(partner_id=self.customer.id)
        self._add_stakeholder(lead, self.free_contact)
        lead.with_user(self.user_salesman)._attach_stakeholders_to_company()
        self.assertEqual(self.free_contact.parent_id, self.customer)
        self.assertFalse(lead.message_ids.filtered(lambda msg: "left as they were" in (msg.body or "")))


@tagged("post_install", "-at_install")
class TestScheduledReactivationFaults(DisqualifyCommon):
    def _due_leads(self, count):
        leads = self._create_leads(count, stage_id=self.stage_contacted.id)
        self._disqualify(leads, reactivate_on=self.today + timedelta(days=5))
        leads.reactivate_on = self.today
        return leads

    def test_one_bad_lead_holds_no_other_back(self):
        """3 runs with a lead that cannot be reactivated: the others are reactivated on the first, the bad
        one is reported once to its team leader, and the job says which failed and why."""
        self.team.user_id = self.user_manager
        leads = self._due_leads(5)
        bad = leads[2]
        Lead = type(self.env["crm.lead"])
        original = Lead._record_reactivation

        def failing(records, note=False):
            if bad in records:
                raise UserError(records.env._("The salesperson's company is closed."))
            return original(records, note=note)

        with patch.object(Lead, "_record_reactivation", failing):
            runs = [self.env["crm.lead"]._cron_reactivate_due_leads(batch_size=10) for _run in range(3)]
        self.assertEqual([run.reactivated for run in runs], [4, 0, 0])
        self.assertEqual(runs[0].failed, {bad.id: "The salesperson's company is closed."})
        self.assertTrue(all((leads - bad).mapped("active")))
        self.assertFalse(bad.active)
        self.assertEqual(bad.reactivate_on, self.today, "the next run tries again")
        activity = bad.with_context(active_test=False).activity_ids
        self.assertEqual(len(activity), 1, "told once, not every day")
        self.assertEqual(activity.user_id, self.user_manager)
        self.assertEqual(activity.summary, "Scheduled reactivation failed")
        self.assertIn("company is closed", str(activity.note))

    def test_a_database_error_is_isolated_too(self):
        leads = self._due_leads(3)
        bad = leads[0]
        Lead = type(self.env["crm.lead"])
        original = Lead._record_reactivation

        def failing(records, note=False):
            if bad in records:
                self.env.cr.execute("SELECT 1/0")
            return original(records, note=note)

        with patch.object(Lead, "_record_reactivation", failing):
            run = self.env["crm.lead"]._reactivate_due_leads(batch_size=10)
        self.assertEqual(run.reactivated, 2)
        self.assertIn("division by zero", run.failed[bad.id])
        self.assertTrue(all((leads - bad).mapped("active")))


@tagged("post_install", "-at_install")
class TestConcurrencyErrors(LeadQualificationCommon):
    def test_classification(self):
        for error in (
            errors.SerializationFailure("could not serialize"),
            errors.LockNotAvailable("lock"),
            errors.DeadlockDetected("deadlock"),
        ):
            self.assertTrue(is_concurrency_error(error), error)
        refused = self.env._("refused")
        for error in (
            UserError(refused),
            ValidationError(refused),
            errors.UniqueViolation("dup"),
            ValueError(),
        ):
            self.assertFalse(is_concurrency_error(error), error)


@tagged("post_install", "-at_install")
class TestBlockLogWaitIsBounded(DisqualifyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        phone_field = cls.env["ir.model.fields"]._get("crm.lead", "phone")
        cls.env["crm.transition.rule"].create(
            {
                "name": "LQP Phone first",
                "to_stage_id": cls.stage_contacted.id,
                "requirement_ids": [
                    odoo.Command.create({"name": "Phone known", "kind": "field", "field_id": phone_field.id})
                ],
            }
        )
        cls.Block = cls.env["crm.transition.block.log"]

    def test_log_cursor_waits_for_locks_a_bounded_time(self):
        with (
            patch(f"{BLOCK_LOG_MODULE}.running_tests", return_value=False),
            self.Block._block_log_cursor() as cr,
        ):
            cr.execute("SHOW lock_timeout")
            self.assertEqual(cr.fetchone()[0], "2s")
            cr.execute("SHOW statement_timeout")
            self.assertEqual(cr.fetchone()[0], "10s")

    def test_refusal_goes_on_when_its_own_transaction_locks_the_leads(self):
        """The refusing transaction holds a lock on crm_lead (as a module install does): the log gives up
        within its bound, with a warning, and the user still gets the refusal."""
        lead = self._create_leads(phone=False)
        cancel = threading.Timer(30, self._cancel_lock_waits, args=[self.env.cr.dbname])
        cancel.start()
        started = time.monotonic()
        try:
            with (
                patch(f"{BLOCK_LOG_MODULE}.running_tests", return_value=False),
                self.assertLogs(BLOCK_LOG_MODULE, "WARNING"),
                self.assertRaises(ValidationError),
            ):
                self.env.cr.execute("LOCK TABLE crm_lead IN ACCESS EXCLUSIVE MODE")
                lead.with_user(self.user_salesman).write({"stage_id": self.stage_contacted.id})
        finally:
            cancel.cancel()
        self.assertLess(time.monotonic() - started, 15, "the log waited for the lock far beyond its bound")

    def _cancel_lock_waits(self, dbname):
        # The safety net of the test itself: without a bound the log would wait forever.
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT pg_cancel_backend(pid) FROM pg_stat_activity
                    WHERE datname = %s AND wait_event_type = 'Lock' AND pid != pg_backend_pid()""",
                [dbname],
            )


@tagged("post_install", "-at_install")
class TestDisqualifyKeepsATraceOfActivities(DisqualifyCommon):
    def test_cancelled_activities_are_listed_in_the_chatter(self):
        lead = self._create_leads()
        meeting_type = self.env.ref("mail.mail_activity_data_meeting")
        deadline = self.today + timedelta(days=3)
        lead.activity_schedule(
            activity_type_id=meeting_type.id,
            summary="Demo at the customer's",
            date_deadline=deadline,
            user_id=self.user_salesman.id,
        )
        self._disqualify(lead, user=self.user_salesman)
        self.assertFalse(lead.with_context(active_test=False).activity_ids)
        body = lead.message_ids.filtered(lambda msg: "Disqualified" in (msg.body or ""))[:1].body
        self.assertIn("Planned activities cancelled", body)
        self.assertIn("Demo at the customer", body)
        self.assertIn(meeting_type.name, body)
        self.assertIn(self.user_salesman.name, body)
        self.assertIn(odoo.tools.format_date(self.env, deadline), body)
