from datetime import timedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TransitionRuleCommon


@tagged("post_install", "-at_install")
class TestEvidenceValidity(TransitionRuleCommon):
    """Requirements with ``valid_days`` count only the evidence of the last N days."""

    def _cutoff(self, days):
        # The first second still counted: the evaluation measures from the transaction's time.
        return (self.env.cr.now() - timedelta(days=days)).replace(microsecond=0)

    def _assert_blocked(self, leads, *texts):
        with self.assertRaises(ValidationError) as caught:
            leads.write({"stage_id": self.stage_contacted.id})
        for text in texts:
            self.assertIn(text, str(caught.exception))
        self.assertEqual(leads.stage_id, self.stage_new)

    def _date_messages(self, lead, date, domain):
        messages = self.env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "=", lead.id), *domain]
        )
        self.assertTrue(messages)
        messages.write({"date": date})

    def _date_attachments(self, lead, date):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE ir_attachment SET create_date = %s WHERE res_model = 'crm.lead' AND res_id = %s",
            [date, lead.id],
        )
        self.env.invalidate_all()

    def _assert_refused(self, values, text):
        # assertRaises, not assertRaisesRegex: Odoo's rolls back what the refused create wrote.
        with self.assertRaises(ValidationError) as caught:
            self.env["crm.transition.requirement"].create({"name": "Dated", **values})
        self.assertIn(text, str(caught.exception))

    def test_bad_configuration_refused(self):
        rule = self._create_rule([])
        self._assert_refused(
            {
                "rule_id": rule.id,
                "kind": "activity_done",
                "activity_type_id": self.type_call.id,
                "valid_days": -1,
            },
            "0 (no limit) or more",
        )
        for values in (
            {"kind": "field", "field_id": self.field_function.id},
            {"kind": "domain", "domain": "[('expected_revenue', '>', 0)]"},
            {"kind": "activity_planned", "activity_type_id": self.type_meeting.id},
            {"kind": "stakeholder"},
            {"kind": "competitor"},
        ):
            with self.subTest(kind=values["kind"]):
                self._assert_refused({"rule_id": rule.id, "valid_days": 30, **values}, "Set it to 0")
        self.assertFalse(rule.requirement_ids)
        rule.requirement_ids = [
            Command.create({"name": "File", "kind": "attachment", "valid_days": 30}),
            Command.create({"name": "Stakeholders", "kind": "stakeholder", "valid_days": 0}),
        ]
        self.assertEqual(len(rule.requirement_ids), 2)
        attachment = rule.requirement_ids.filtered(lambda requirement: requirement.kind == "attachment")
        with self.assertRaises(ValidationError):
            attachment.kind = "competitor"
        self.assertEqual(attachment.kind, "attachment")

    def test_activity_done(self):
        self._create_rule(
            [
                {
                    "name": "Call in the last 30 days",
                    "kind": "activity_done",
                    "activity_type_id": self.type_call.id,
                    "valid_days": 30,
                }
            ]
        )
        lead = self._create_leads()
        self._log_done(lead, self.type_call)
        call = [("mail_activity_type_id", "=", self.type_call.id)]
        self._date_messages(lead, self._cutoff(30) - timedelta(seconds=1), call)
        self._assert_blocked(lead, "Call in the last 30 days")
        self._date_messages(lead, self._cutoff(30), call)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_activity_done_count_within_window(self):
        self._create_rule(
            [
                {
                    "name": "Two calls this week",
                    "kind": "activity_done",
                    "activity_type_id": self.type_call.id,
                    "min_count": 2,
                    "valid_days": 7,
                }
            ]
        )
        lead = self._create_leads()
        self._log_done(lead, self.type_call)
        self._date_messages(lead, self._cutoff(20), [("mail_activity_type_id", "=", self.type_call.id)])
        self._log_done(lead, self.type_call)
        # One call is recent, the other is two weeks too old: one of two.
        self._assert_blocked(lead, "Two calls this week")
        self._log_done(lead, self.type_call)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_note(self):
        self._create_rule([{"name": "Recent note", "kind": "note", "valid_days": 10}])
        lead = self._create_leads()
        # In the stage for a month: the stage entry is not what refuses the old note.
        self._set_stage_entry(lead, -24 * 30)
        lead.message_post(body="Budget confirmed", message_type="comment", subtype_xmlid="mail.mt_note")
        note = [("message_type", "=", "comment")]
        self._date_messages(lead, self._cutoff(10) - timedelta(seconds=1), note)
        self._assert_blocked(lead, "Recent note")
        self._date_messages(lead, self._cutoff(10), note)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_note_window_and_stage_entry(self):
        """Both limits apply: a note of the window logged before entering the stage does not count."""
        self._create_rule([{"name": "Recent note", "kind": "note", "valid_days": 10}])
        lead = self._create_leads()
        lead.message_post(body="Budget confirmed", message_type="comment", subtype_xmlid="mail.mt_note")
        self._date_messages(lead, self._cutoff(5), [("message_type", "=", "comment")])
        self._set_stage_entry(lead, -24)
        self._assert_blocked(lead, "Recent note")
        self._set_stage_entry(lead, -24 * 6)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_attachment(self):
        self._create_rule([{"name": "Fresh proposal", "kind": "attachment", "valid_days": 1}])
        lead = self._create_leads()
        self.env["ir.attachment"].create(
            {"name": "proposal.txt", "raw": b"proposal", "res_model": "crm.lead", "res_id": lead.id}
        )
        self._date_attachments(lead, self._cutoff(1) - timedelta(seconds=1))
        self._assert_blocked(lead, "Fresh proposal")
        self._date_attachments(lead, self._cutoff(1))
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_no_limit_counts_old_evidence(self):
        self._create_rule(
            [
                {"name": "Call", "kind": "activity_done", "activity_type_id": self.type_call.id},
                {"name": "File", "kind": "attachment"},
            ]
        )
        lead = self._create_leads()
        self._log_done(lead, self.type_call)
        self.env["ir.attachment"].create(
            {"name": "a.txt", "raw": b"a", "res_model": "crm.lead", "res_id": lead.id}
        )
        self._date_messages(lead, self._cutoff(3650), [("mail_activity_type_id", "=", self.type_call.id)])
        self._date_attachments(lead, self._cutoff(3650))
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_mass_move_judges_each_record(self):
        self._create_rule(
            [
                {
                    "name": "Call in the last 30 days",
                    "kind": "activity_done",
                    "activity_type_id": self.type_call.id,
                    "valid_days": 30,
                }
            ]
        )
        recent, old = self._create_leads(2)
        self._log_done(recent | old, self.type_call)
        self._date_messages(old, self._cutoff(31), [("mail_activity_type_id", "=", self.type_call.id)])
        self._assert_blocked(recent | old, old.display_name)
        recent.stage_id = self.stage_contacted
        self.assertEqual(recent.stage_id, self.stage_contacted)

    def test_query_count_does_not_grow_with_records(self):
        requirements = self._create_rule(
            [
                {
                    "name": "Call",
                    "kind": "activity_done",
                    "activity_type_id": self.type_call.id,
                    "valid_days": 30,
                },
                {"name": "Note", "kind": "note", "valid_days": 30},
                {"name": "File", "kind": "attachment", "valid_days": 30},
                {"name": "Old file", "kind": "attachment", "valid_days": 5},
            ]
        ).requirement_ids

        def queries(count):
            leads = self._create_leads(count)
            self._log_done(leads, self.type_call)
            self.env["ir.attachment"].create(
                [{"name": "a.txt", "raw": b"a", "res_model": "crm.lead", "res_id": lead.id} for lead in leads]
            )
            stage_entry = {lead.id: lead.date_last_stage_update for lead in leads}
            self.env.flush_all()
            self.env.invalidate_all()
            requirements.mapped("valid_days")
            before = self.cr.sql_log_count
            met = requirements._evaluate(leads, stage_entry)
            spent = self.cr.sql_log_count - before
            self.assertEqual(set(met[requirements[2].id]), set(leads.ids))
            return spent

        self.assertEqual(queries(5), queries(50))

    def test_checklist_shows_the_window(self):
        rule = self._create_rule(
            [
                {
                    "name": "Call",
                    "kind": "activity_done",
                    "activity_type_id": self.type_call.id,
                    "valid_days": 30,
                },
                {"name": "Note", "kind": "note", "valid_days": 1},
                {"name": "File", "kind": "attachment"},
            ]
        )
        lead = self._create_leads()
        action = lead.with_user(self.user_salesman).action_open_transition(rule.id)
        wizard = self.env["crm.lead.transition"].with_user(self.user_salesman).browse(action["res_id"])
        self.assertEqual(
            {line.name: line.window_label for line in wizard.line_ids},
            {"Call": "in the last 30 days", "Note": "in the last day", "File": False},
        )


@tagged("post_install", "-at_install")
class TestOptionalRequirements(TransitionRuleCommon):
    """Recommended requirements show in the checklist and never block, on any path.

    Semantics: a rule decides on its mandatory requirements only. "All": every mandatory one met; "at least
    one": one mandatory one met, a recommended one met does not replace it; no mandatory one: nothing blocks.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.job = {"name": "Job position known", "kind": "field", "field_id": cls.field_function.id}
        cls.recommended_call = {
            "name": "Call them (recommended)",
            "kind": "activity_done",
            "activity_type_id": cls.type_call.id,
            "optional": True,
        }
        cls.recommended_file = {"name": "Attach the brochure", "kind": "attachment", "optional": True}

    def test_write_ignores_unmet_recommended_items(self):
        self._create_rule([self.job, self.recommended_call])
        lead = self._create_leads(function=False)
        with self.assertRaises(ValidationError) as caught:
            lead.stage_id = self.stage_contacted
        # The refusal lists what blocks, not what is only recommended.
        self.assertIn("Job position known", str(caught.exception))
        self.assertNotIn("Call them", str(caught.exception))
        lead.function = "CEO"
        lead.with_user(self.user_salesman).write({"stage_id": self.stage_contacted.id})
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_only_recommended_items_never_block(self):
        for match in ("all", "any"):
            with self.subTest(match=match):
                rule = self._create_rule([self.recommended_call, self.recommended_file], match=match)
                lead = self._create_leads()
                lead.with_user(self.user_salesman).write({"stage_id": self.stage_contacted.id})
                self.assertEqual(lead.stage_id, self.stage_contacted)
                self.assertFalse(rule._get_blocked_leads())
                rule.active = False

    def test_any_needs_a_mandatory_item(self):
        """Under "at least one", a recommended item met does not stand in for the mandatory ones."""
        self._create_rule([self.job, self.recommended_file], match="any")
        lead = self._create_leads(function=False)
        self.env["ir.attachment"].create(
            {"name": "brochure.pdf", "raw": b"pdf", "res_model": "crm.lead", "res_id": lead.id}
        )
        with self.assertRaises(ValidationError):
            lead.stage_id = self.stage_contacted
        lead.function = "CEO"
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_import(self):
        self._create_rule([self.job, self.recommended_call])
        lead = self._create_leads(function=False)
        result = self.env["crm.lead"].load(
            [".id", "function", "stage_id"], [[str(lead.id), "CEO", self.stage_contacted.name]]
        )
        self.assertEqual(result["ids"], lead.ids, result["messages"])
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_rpc_check_transition(self):
        rule = self._create_rule([self.job, self.recommended_call])
        lead = self._create_leads(function="CEO")
        checks = lead.with_user(self.user_salesman).check_transition(self.stage_contacted.id)
        self.assertEqual(
            [(check["requirement"], check["met"], check["optional"]) for check in checks],
            [("Job position known", True, False), ("Call them (recommended)", False, True)],
        )
        self._log_done(lead, self.type_call)
        checks = lead.with_user(self.user_salesman).check_transition(self.stage_contacted.id)
        self.assertTrue(all(check["met"] for check in checks))
        self.assertEqual({check["rule_id"] for check in checks}, set(rule.ids))

    def test_wizard(self):
        rule = self._create_rule([self.job, self.recommended_call])
        lead = self._create_leads(function="CEO")
        action = lead.with_user(self.user_salesman).action_open_transition(rule.id)
        wizard = self.env["crm.lead.transition"].with_user(self.user_salesman).browse(action["res_id"])
        lines = {line.name: line for line in wizard.line_ids}
        self.assertTrue(lines["Call them (recommended)"].optional)
        self.assertFalse(lines["Call them (recommended)"].met)
        self.assertTrue(wizard.is_satisfied)
        wizard.action_move()
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_qualify(self):
        self.Rule.create(
            {
                "name": "Qualify well",
                "target": "qualify",
                "team_ids": [Command.set(self.team.ids)],
                "requirement_ids": [Command.create(self.recommended_file)],
            }
        )
        lead = self._create_leads()
        self.assertTrue(lead._check_qualify_transition_rules())
