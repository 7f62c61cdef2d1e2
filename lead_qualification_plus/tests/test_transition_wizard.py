from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import TransitionRuleCommon


@tagged("post_install", "-at_install")
class TestTransitionWizard(TransitionRuleCommon):
    """The popup of a transition: checklist, work done in place, move."""

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
            ],
            guidance="<p>Ask about the budget.</p>",
        )

    def _open(self, lead):
        action = lead.with_user(self.user_salesman).action_open_transition(self.rule.id)
        self.assertEqual(action["res_model"], "crm.lead.transition")
        self.assertEqual(action["target"], "new")
        return self.env["crm.lead.transition"].with_user(self.user_salesman).browse(action["res_id"])

    def _lines(self, wizard):
        wizard.invalidate_recordset()
        wizard.line_ids.invalidate_recordset()
        return {line.name: line for line in wizard.line_ids}

    def test_checklist_and_move(self):
        lead = self._create_leads(function=False)
        wizard = self._open(lead)
        self.assertEqual(wizard.move_label, "Move to LQP Contacted")
        lines = self._lines(wizard)
        self.assertEqual(
            list(lines), ["Job position known", "Call the customer", "Summary noted", "Meeting planned"]
        )
        self.assertFalse(any(line.met for line in lines.values()))
        self.assertFalse(wizard.is_satisfied)
        self.assertEqual(lines["Job position known"].value_field, "value_char")
        with self.assertRaises(ValidationError):
            wizard.action_move()
        self.assertEqual(lead.stage_id, self.stage_new)

        lines["Job position known"].value_char = "Chief Buyer"
        wizard.action_save()
        self.assertEqual(lead.function, "Chief Buyer")

        wizard.note = "Discussed the budget"
        lines["Call the customer"].action_mark_done()
        done = lead.message_ids.filtered(lambda message: message.mail_activity_type_id == self.type_call)
        self.assertTrue(done)
        self.assertIn("Discussed the budget", done.body)

        with self.assertRaises(UserError):
            wizard.action_log_note()
        wizard.note = "Interested in 50 seats"
        wizard.action_log_note()
        lines["Meeting planned"].action_schedule()
        self.assertEqual(lead.activity_ids.activity_type_id, self.type_meeting)

        lines = self._lines(wizard)
        self.assertTrue(all(line.met for line in lines.values()))
        self.assertTrue(wizard.is_satisfied)
        wizard.action_move()
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_relational_fields_filled_in_popup(self):
        """A many2one is chosen in the popup; a many2many gets the chosen record added to those it has."""
        self.rule.requirement_ids = [
            Command.clear(),
            Command.create({"name": "Tagged", "kind": "field", "field_id": self.field_tags.id}),
            Command.create(
                {
                    "name": "Country known",
                    "kind": "field",
                    "field_id": self.env["ir.model.fields"]._get("crm.lead", "country_id").id,
                }
            ),
        ]
        old_tag, new_tag = self.env["crm.tag"].create([{"name": "Old tag"}, {"name": "Hot"}])
        lead = self._create_leads(country_id=False)
        wizard = self._open(lead)
        lines = self._lines(wizard)
        self.assertEqual(lines["Tagged"].value_field, "value_res_id")
        self.assertEqual(lines["Tagged"].value_res_model, "crm.tag")
        self.assertEqual(lines["Country known"].value_res_model, "res.country")
        self.assertFalse(lines["Country known"].met)

        lead.tag_ids = old_tag
        lines["Tagged"].value_res_id = new_tag.id
        belgium = self.env.ref("base.be")
        lines["Country known"].value_res_id = belgium.id
        wizard.action_save()
        self.assertEqual(lead.tag_ids, old_tag | new_tag)
        self.assertEqual(lead.country_id, belgium)
        lines = self._lines(wizard)
        self.assertTrue(all(line.met for line in lines.values()))
        self.assertFalse(lines["Tagged"].value_res_id)

    def test_selection_field_filled_in_popup(self):
        """A selection field is filled in the popup by choosing one of its options."""
        field = self.env["ir.model.fields"].create(
            {
                "model_id": self.env["ir.model"]._get_id("crm.lead"),
                "name": "x_budget_status",
                "field_description": "Budget Status",
                "ttype": "selection",
                "selection_ids": [
                    Command.create({"value": "unknown", "name": "Unknown", "sequence": 1}),
                    Command.create({"value": "confirmed", "name": "Confirmed", "sequence": 2}),
                ],
            }
        )
        self.rule.requirement_ids = [
            Command.clear(),
            Command.create({"name": "Budget status known", "kind": "field", "field_id": field.id}),
        ]
        lead = self._create_leads()
        wizard = self._open(lead)
        line = wizard.line_ids
        self.assertEqual(line.value_field, "value_selection_id")
        # The options the input offers: its domain, searched as the salesperson.
        domain = safe_eval(
            line._fields["value_selection_id"].domain, {"selection_field_ref": line.selection_field_ref}
        )
        offered = self.env["ir.model.fields.selection"].with_user(self.user_salesman).search(domain)
        self.assertEqual(offered.mapped("value"), ["unknown", "confirmed"])
        line.value_selection_id = offered.filtered(lambda option: option.value == "confirmed")
        wizard.action_save()
        self.assertEqual(lead.x_budget_status, "confirmed")
        self.assertTrue(line.met)

    def test_rule_not_available(self):
        lead = self._create_leads(stage_id=self.stage_qualified.id)
        with self.assertRaises(UserError):
            lead.with_user(self.user_salesman).action_open_transition(self.rule.id)
