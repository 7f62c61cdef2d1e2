import threading
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ReactivateCommon


@tagged("post_install", "-at_install")
class TestReactivate(ReactivateCommon):
    def test_reactivate_returns_to_its_stage(self):
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        self.assertGreater(lead.probability, 0)
        self._disqualify(lead, user=self.user_salesman)
        # Someone moved the archived lead meanwhile: the reactivation still returns it where it was.
        lead.stage_id = self.stage_new
        self._open_wizard(
            "crm.lead.reactivate", lead, user=self.user_salesman, note="Called back, budget approved"
        ).action_reactivate()

        self.assertTrue(lead.active)
        self.assertEqual(lead.qualification_state, "open")
        self.assertEqual(lead.stage_id, self.stage_contacted)
        self.assertFalse(lead.lost_reason_id)
        # Recomputed (the lost lead itself taught the predictive scoring something), not left at 0.
        self.assertGreater(lead.probability, 0)
        self.assertEqual(lead.probability, lead.automated_probability)
        self.assertFalse(lead.date_disqualified or lead.disqualified_user_id or lead.disqualified_stage_id)
        self.assertFalse(lead.reactivate_on)
        event = lead.qualification_event_ids.filtered(lambda e: e.event == "reactivated")
        self.assertRecordValues(
            event,
            [
                {
                    "note": "Called back, budget approved",
                    "reason_id": self.reason_spam.id,
                    "stage_id": self.stage_contacted.id,
                    "user_id": self.user_salesman.id,
                }
            ],
        )
        activity = lead.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.activity_type)
        self.assertEqual(activity.summary, "Follow up reactivated lead")
        self.assertEqual(activity.user_id, self.user_salesman)
        self.assertIn("Called back, budget approved", lead.message_ids[0].body)

    def test_reactivate_dialog_speaks_of_what_it_reactivates(self):
        leads = self._create_leads(2)
        self._disqualify(leads, user=self.user_salesman)
        one = self._open_wizard("crm.lead.reactivate", leads[0], user=self.user_salesman)
        self.assertTrue(one.explanation.startswith("The lead returns to the stage it was disqualified from"))
        both = self._open_wizard("crm.lead.reactivate", leads, user=self.user_salesman)
        self.assertTrue(both.explanation.startswith("The 2 leads return to the stages"))

    def test_reactivate_is_tracked_as_odoo_restore(self):
        """Reactivating is Odoo's "Restore" in the chatter: one message of the "Opportunity Restored" subtype
        with our note, so the followers of that subtype hear of it."""
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        self._disqualify(lead)
        lead.message_subscribe(
            partner_ids=self.user_manager.partner_id.ids, subtype_ids=self.env.ref("crm.mt_lead_restored").ids
        )
        # As a commit would: Odoo tracks no change of a record created in the same transaction.
        self.env.cr.flush()
        # Odoo's own context: the shared fixtures switch tracking off.
        env = self.env(user=self.user_salesman, context={"lang": "en_US"})
        env["crm.lead.reactivate"].with_context(default_lead_ids=lead.ids).create(
            {"note": "Called back, budget approved"}
        ).action_reactivate()
        self.env.flush_all()
        self.env.cr.flush()

        message = self.env["mail.message"].search([("model", "=", "crm.lead"), ("res_id", "=", lead.id)])
        # The disqualification's note is there already.
        message = message.filtered(lambda msg: "Disqualified" not in msg.body)
        self.assertEqual(len(message), 1, "one message per reactivated record")
        self.assertEqual(message.subtype_id, self.env.ref("crm.mt_lead_restored"))
        self.assertIn("Called back, budget approved", message.body)
        self.assertIn(self.user_manager.partner_id, message.notified_partner_ids)

    def test_reactivate_is_not_a_transition(self):
        """Going back to the stage it was disqualified from passes the rules into that stage."""
        lead = self._create_leads(stage_id=self.stage_contacted.id, function=False)
        self._disqualify(lead)
        lead.stage_id = self.stage_new
        self.env["crm.transition.rule"].create(
            {
                "name": "Log first call",
                "to_stage_id": self.stage_contacted.id,
                "requirement_ids": [
                    Command.create(
                        {
                            "name": "Job position known",
                            "kind": "field",
                            "field_id": self.env["ir.model.fields"]._get("crm.lead", "function").id,
                        }
                    )
                ],
            }
        )
        lead.with_user(self.user_salesman).action_reactivate()
        self.assertTrue(lead.active)
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_reactivate_when_stage_is_gone(self):
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        self._disqualify(lead)
        lead.stage_id = self.stage_qualified
        self.stage_contacted.unlink()
        self.assertFalse(lead.disqualified_stage_id)
        lead.action_reactivate()
        first_stage = lead._stage_find(domain=[("fold", "=", False)])
        self.assertEqual(lead.stage_id, first_stage)
        self.assertIn(first_stage.team_id, (self.team, self.env["crm.team"]))

    def test_reactivate_when_stage_belongs_to_another_team(self):
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        self._disqualify(lead)
        other_team = self.env["crm.team"].create({"name": "Other Team"})
        lead.team_id = other_team
        lead.action_reactivate()
        self.assertNotEqual(lead.stage_id, self.stage_contacted)
        self.assertEqual(lead.stage_id, lead._stage_find(domain=[("fold", "=", False)]))

    def test_reactivating_an_open_lead_is_refused(self):
        lead = self._create_leads()
        with self.assertRaisesRegex(UserError, "Only disqualified"):
            lead.action_reactivate()
        with self.assertRaisesRegex(UserError, "Only disqualified"):
            self._open_wizard("crm.lead.reactivate", lead).action_reactivate()
        self.assertFalse(lead.qualification_event_ids)

    def test_mass_reactivation_is_all_or_nothing(self):
        leads = self._create_leads(2)
        self._disqualify(leads[0])
        with self.assertRaises(UserError):
            leads.action_reactivate()
        self.assertFalse(leads[0].active)
        self.assertEqual(leads[0].qualification_state, "disqualified")

    def test_salesperson_reactivates_only_what_they_may_write(self):
        foreign = self._create_leads(user_id=self.user_salesman_all.id)
        self._disqualify(foreign)
        with self.assertRaises(AccessError):
            foreign.with_user(self.user_salesman).action_reactivate()
        self.assertFalse(foreign.active)
        foreign.with_user(self.user_salesman_all).action_reactivate()
        self.assertTrue(foreign.active)

    def test_odoo_restore_is_a_reactivation_too(self):
        """Odoo's "Restore" (or "Unarchive") leaves the lead open with a history event, not "disqualified"."""
        lead = self._create_leads()
        self._disqualify(lead)
        lead.with_user(self.user_salesman).toggle_active()
        self.assertTrue(lead.active)
        self.assertEqual(lead.qualification_state, "open")
        self.assertFalse(lead.date_disqualified)
        self.assertEqual(
            lead.qualification_event_ids.sorted("id").mapped("event"), ["disqualified", "reactivated"]
        )

    def test_unassigned_lead_follow_up_goes_to_team_leader_or_user(self):
        self.team.user_id = self.user_manager
        lead_team, lead_nobody = self._create_leads(2, user_id=False)
        lead_nobody.team_id = False
        self._disqualify(lead_team + lead_nobody)
        (lead_team + lead_nobody).with_user(self.user_salesman_all).action_reactivate()
        self.assertEqual(lead_team.activity_ids.user_id, self.user_manager)
        self.assertEqual(lead_nobody.activity_ids.user_id, self.user_salesman_all)

    def test_history_is_read_only(self):
        lead = self._create_leads()
        self._disqualify(lead, user=self.user_salesman)
        event = lead.with_user(self.user_salesman).qualification_event_ids
        self.assertEqual(event.event, "disqualified")
        for user in (self.user_salesman, self.user_manager):
            with self.assertRaises(AccessError):
                event.with_user(user).write({"note": "rewritten"})
            with self.assertRaises(AccessError):
                event.with_user(user).unlink()


@tagged("post_install", "-at_install")
class TestReactivationCron(ReactivateCommon):
    def _due_leads(self, count, days_ago=1):
        leads = self._create_leads(count, stage_id=self.stage_contacted.id)
        self._disqualify(leads, reactivate_on=self.today + timedelta(days=5))
        # The date has come: as if the leads had been disqualified earlier.
        leads.reactivate_on = self.today - timedelta(days=days_ago)
        return leads

    def test_cron_reactivates_due_leads_only(self):
        due = self._due_leads(3)
        today = self._due_leads(1, days_ago=0)
        later = self._create_leads()
        self._disqualify(later, reactivate_on=self.today + timedelta(days=3))
        never = self._create_leads()
        self._disqualify(never)

        cron = self.env.ref("lead_qualification_plus.ir_cron_reactivate_due_leads")
        cron.method_direct_trigger()

        self.assertTrue(all((due + today).mapped("active")))
        self.assertEqual(set((due + today).mapped("stage_id")), {self.stage_contacted})
        self.assertEqual(set((due + today).mapped("qualification_state")), {"open"})
        self.assertFalse(later.active or never.active)
        events = (due + today).qualification_event_ids.filtered(lambda e: e.event == "reactivated")
        self.assertEqual(len(events), 4)
        self.assertIn("Reactivated on schedule", events[0].note)
        self.assertEqual(len((due + today).activity_ids), 4)

    def test_cron_runs_daily(self):
        cron = self.env.ref("lead_qualification_plus.ir_cron_reactivate_due_leads")
        self.assertRecordValues(cron, [{"active": True, "interval_number": 1, "interval_type": "days"}])
        self.assertEqual(cron.code.strip(), "model._cron_reactivate_due_leads()")

    def test_cron_works_in_batches_and_commits_each(self):
        """7 due leads in batches of 3: three batches, a commit after each, progress reported."""
        leads = self._due_leads(7)
        commits = []
        progress = []

        def fake_commit():
            commits.append(len(leads.filtered("active")))

        def notify_progress(cron_self, *, done, remaining, deactivate=False):
            progress.append((done, remaining))

        Cron = type(self.env["ir.cron"])
        with (
            patch("odoo.modules.module.current_test", False),
            patch.object(threading.current_thread(), "testing", False),
            patch.object(type(self.env.registry), "in_test_mode", lambda registry: False),
            patch.object(self.env.cr, "commit", fake_commit),
            patch.object(Cron, "_notify_progress", notify_progress),
        ):
            run = self.env["crm.lead"]._cron_reactivate_due_leads(batch_size=3)
        self.assertEqual(run.reactivated, 7)
        self.assertFalse(run.failed)
        self.assertEqual(commits, [3, 6, 7], "one commit after each batch, with the batch reactivated")
        self.assertEqual(progress, [(3, 4), (6, 1), (7, 0)])
        self.assertTrue(all(leads.mapped("active")))

    def test_cron_resumes_where_it_stopped(self):
        """A clash with a concurrent transaction in the second batch stops the run (Odoo retries the job): the
        first batch stays reactivated, the next run does the rest."""
        leads = self._due_leads(5)
        Lead = type(self.env["crm.lead"])
        original = Lead._reactivate
        calls = []

        def crashing_reactivate(records, note=False):
            calls.append(len(records))
            if len(calls) == 2:
                raise errors.SerializationFailure("could not serialize access due to concurrent update")
            return original(records, note=note)

        # Not assertRaises: it would roll back to a savepoint, undoing the first batch a commit would keep.
        with patch.object(Lead, "_reactivate", crashing_reactivate):
            try:
                self.env["crm.lead"]._reactivate_due_leads(batch_size=2)
            except errors.SerializationFailure:
                pass
            else:
                self.fail("the second batch should have crashed")
        self.env.invalidate_all()
        # Without a real commit, the test keeps what the first batch did (as a commit would).
        self.assertEqual(len(leads.filtered("active")), 2)
        self.assertEqual(self.env["crm.lead"]._reactivate_due_leads(batch_size=2).reactivated, 3)
        self.assertTrue(all(leads.mapped("active")))

    def test_cron_does_not_commit_in_tests(self):
        self._due_leads(2)
        with patch.object(self.env.cr, "commit", side_effect=AssertionError("committed in a test")):
            self.assertEqual(self.env["crm.lead"]._cron_reactivate_due_leads(batch_size=1).reactivated, 2)


# Queries of one reactivation batch, whatever its size up to the batch size (measured: 44 for 10 leads,
# 46 for 100; no query per lead), the savepoint isolating a failing record included.
REACTIVATION_BATCH_QUERIES = 46


@tagged("post_install", "-at_install", "is_query_count")
class TestReactivationPerformance(ReactivateCommon):
    def _cron_counting(self, count):
        leads = self._create_leads(count, stage_id=self.stage_contacted.id)
        self._disqualify(leads, reactivate_on=self.today + timedelta(days=5))
        leads.reactivate_on = self.today
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(REACTIVATION_BATCH_QUERIES):
            self.env["crm.lead"]._reactivate_due_leads(batch_size=500)
            self.env.flush_all()
        self.assertTrue(all(leads.mapped("active")))

    def test_cron_10_leads_query_count(self):
        self._cron_counting(10)

    def test_cron_100_leads_query_count(self):
        """The same bound as for 10 leads: no query per lead."""
        self._cron_counting(100)
