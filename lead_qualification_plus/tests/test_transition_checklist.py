from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.crm_transition_rule import TransitionBlockedError
from .common import TransitionRuleCommon


@tagged("post_install", "-at_install")
class TestTransitionChecklist(TransitionRuleCommon):
    """The checklist popup as the salesperson and the manager use it: states, Odoo's activity dialogs,
    the summary, forcing, qualification rules, and refusals that name their way forward."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule(
            [
                {"name": "Job position known", "kind": "field", "field_id": cls.field_function.id},
                {"name": "Call the customer", "kind": "activity_done", "activity_type_id": cls.type_call.id},
                {"name": "Summary noted", "kind": "note"},
                {
                    "name": "Meeting planned",
                    "kind": "activity_planned",
                    "activity_type_id": cls.type_meeting.id,
                },
            ]
        )

    def _open(self, lead, user=None, rule=None):
        user = user or self.user_salesman
        action = lead.with_user(user).action_open_transition((rule or self.rule).id)
        return self.env["crm.lead.transition"].with_user(user).browse(action["res_id"])

    def _line(self, wizard, name):
        wizard.invalidate_recordset()
        wizard.line_ids.invalidate_recordset()
        return wizard.line_ids.filtered(lambda line: line.name == name)

    def test_typed_value_counts_as_done_before_saving(self):
        """A value typed in the checklist shows its row done and may enable the move; the move writes it."""
        self.rule.requirement_ids.filtered(lambda req: req.kind != "field").unlink()
        lead = self._create_leads(function=False)
        wizard = self._open(lead)
        line = wizard.line_ids
        self.assertFalse(line.is_done)
        self.assertFalse(wizard.is_satisfied)
        line.value_char = "Chief Buyer"
        self.assertFalse(line.met, "the record itself does not have it yet")
        self.assertTrue(line.is_done)
        self.assertTrue(wizard.is_satisfied)
        wizard.action_move()
        self.assertEqual(lead.function, "Chief Buyer")
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_summary_typed_before_log_as_done_counts_as_the_note(self):
        """The summary typed once, then 'Mark done' on the planned call: the call and the note are met."""
        lead = self._create_leads(function=False)
        self._plan(lead, self.type_call)
        wizard = self._open(lead)
        self.assertTrue(self._line(wizard, "Call the customer").has_open_activity)
        wizard.note = "Needs 40 chairs before March"
        self._line(wizard, "Call the customer").action_mark_done()
        self.assertTrue(self._line(wizard, "Call the customer").met)
        self.assertTrue(self._line(wizard, "Summary noted").met)

    def test_log_as_done_opens_odoo_activity_dialog_with_the_summary(self):
        """'Log as done' opens Odoo's activity dialog with the type and the summary; logging it there meets
        both the call and the note requirements."""
        lead = self._create_leads(function=False)
        wizard = self._open(lead)
        wizard.note = "Budget confirmed"
        action = self._line(wizard, "Call the customer").action_activity_dialog(mark_done=True)
        self.assertEqual(action["res_model"], "mail.activity.schedule")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["context"]["default_activity_type_id"], self.type_call.id)
        self.assertIn("Budget confirmed", action["context"]["default_note"])
        self.assertFalse(lead.activity_ids, "opening the dialog creates nothing")
        scheduler = (
            self.env["mail.activity.schedule"]
            .with_user(self.user_salesman)
            .with_context(**action["context"])
            .create({})
        )
        scheduler.action_schedule_activities_done()
        self.assertTrue(self._line(wizard, "Call the customer").met)
        self.assertTrue(self._line(wizard, "Summary noted").met)

    def test_log_as_done_dialog_offers_marking_done_first(self):
        """The dialog of 'Log as done' has one primary button, and it marks the activity done: Odoo's
        'Schedule' would plan it instead, and the requirement would stay unmet."""
        lead = self._create_leads(function=False)
        wizard = self._open(lead)
        action = self._line(wizard, "Call the customer").action_activity_dialog(mark_done=True)
        view_id = action["views"][0][0]
        self.assertTrue(view_id, "the dialog has a view of its own")
        arch = etree.fromstring(
            self.env["mail.activity.schedule"].with_user(self.user_salesman).get_view(view_id)["arch"]
        )
        primaries = [
            button
            # The footer of a single activity; the other one schedules an activity plan.
            for button in arch.xpath(
                "//footer[@invisible='plan_id']//button[contains(@class, 'btn-primary')]"
            )
            if button.get("invisible") not in ("True", "1")
        ]
        self.assertEqual([button.get("name") for button in primaries], ["action_schedule_activities_done"])
        self.assertEqual(primaries[0].get("string"), "Mark as Done")
        # Planning stays the dialog of 'Schedule'.
        action = self._line(wizard, "Meeting planned").action_activity_dialog()
        self.assertFalse(action["views"][0][0])

    def test_done_activity_without_text_is_not_a_note(self):
        lead = self._create_leads(function=False)
        self._plan(lead, self.type_call).action_feedback(feedback=False)
        wizard = self._open(lead)
        self.assertTrue(self._line(wizard, "Call the customer").met)
        self.assertFalse(self._line(wizard, "Summary noted").met)

    def test_schedule_opens_odoo_scheduling_dialog(self):
        """'Schedule' lets the user choose type, date and assignee in Odoo's dialog: nothing is created
        behind their back."""
        lead = self._create_leads(function=False)
        wizard = self._open(lead)
        action = self._line(wizard, "Meeting planned").action_activity_dialog()
        self.assertEqual(action["res_model"], "mail.activity.schedule")
        self.assertEqual(action["context"]["default_activity_type_id"], self.type_meeting.id)
        self.assertEqual(action["context"]["active_id"], lead.id)
        self.assertNotIn("default_note", action["context"])
        self.assertFalse(lead.activity_ids)

    def test_manager_forces_from_the_checklist(self):
        lead = self._create_leads(function=False)
        wizard = self._open(lead, user=self.user_manager)
        self.assertTrue(wizard.can_force)
        with self.assertRaises(UserError):
            wizard.action_force()
        self.assertEqual(lead.stage_id, self.stage_new)
        wizard.force_reason = "Customer called us, urgent order"
        wizard.action_force()
        self.assertEqual(lead.stage_id, self.stage_contacted)
        chatter = " ".join(lead.message_ids.mapped("body"))
        self.assertIn("Customer called us, urgent order", chatter)
        self.assertIn("Job position known", chatter)

    def test_salesperson_cannot_force(self):
        lead = self._create_leads(function=False)
        wizard = self._open(lead)
        self.assertFalse(wizard.can_force)
        wizard.force_reason = "I want to"
        with self.assertRaises(AccessError):
            wizard.action_force()
        self.assertEqual(lead.stage_id, self.stage_new)

    def test_refusal_names_the_rule_button_and_the_checklist(self):
        """A refused move tells which button opens the checklist, and gives the web client the record and
        rule so it can offer that checklist."""
        lead = self._create_leads(function=False)
        with self.assertRaises(TransitionBlockedError) as refusal:
            lead.with_user(self.user_salesman).write({"stage_id": self.stage_contacted.id})
        self.assertIn('click "Log first call"', str(refusal.exception))
        self.assertEqual(
            refusal.exception.context["lqp_transition_blocked"],
            {"lead_id": lead.id, "rule_id": self.rule.id, "rule": "Log first call", "target": "stage"},
        )
        self.assertIsInstance(refusal.exception, ValidationError)

    def test_qualification_rule_has_a_button_and_a_checklist(self):
        """A rule gating the qualification shows as a button on an open lead; its checklist fills the
        required field and ends on the Qualify wizard."""
        rule = self.Rule.create(
            {
                "name": "Budget known",
                "target": "qualify",
                "team_ids": [(6, 0, self.team.ids)],
                "requirement_ids": [
                    (0, 0, {"name": "Expected revenue", "kind": "field", "field_id": self.field_revenue.id})
                ],
            }
        )
        lead = self._create_leads(expected_revenue=0)
        self.assertIn(rule, lead.with_user(self.user_salesman).transition_rule_ids)
        with self.assertRaises(TransitionBlockedError) as refusal:
            lead.with_user(self.user_salesman).qualify()
        self.assertIn('click "Budget known"', str(refusal.exception))
        wizard = self._open(lead, rule=rule)
        self.assertEqual(wizard.move_label, "Qualify")
        self.assertFalse(wizard.can_force)
        wizard.line_ids.value_float = 5000
        action = wizard.action_move()
        self.assertEqual(lead.expected_revenue, 5000)
        self.assertEqual(action["res_model"], "crm.lead.qualify")
        self.assertEqual(action["context"]["active_id"], lead.id)
        lead.write({"type": "opportunity"})
        lead.invalidate_recordset(["transition_rule_ids"])
        self.assertNotIn(rule, lead.with_user(self.user_salesman).transition_rule_ids)
