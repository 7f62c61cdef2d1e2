from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import QualifyCommon, UndoQualificationCommon


@tagged("post_install", "-at_install")
class TestUndoQualification(UndoQualificationCommon):
    def test_undo_restores_and_removes(self):
        """Undo gives the lead back what it was and removes the company and contact qualifying created."""
        lead, [result] = self._qualified()
        partners = self.Partner.browse([result["partner_id"], result["contact_id"]])
        self.assertEqual(lead.type, "opportunity")
        self._undo(lead)
        self.assertEqual(lead.qualification_state, "open")
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.stage_id, self.stage_new)
        self.assertFalse(lead.partner_id)
        self.assertEqual(lead.user_id, self.user_salesman)
        self.assertFalse(lead.qualified_user_id)
        self.assertFalse(partners.exists(), "nothing refers to them: deleted")
        event = lead.qualification_event_ids.filtered(lambda e: e.event == "qualification_undone")
        self.assertEqual(event.note, "Qualified by mistake")
        self.assertEqual(event.user_id, self.user_salesman)
        self.assertIn("Qualified by mistake", lead.message_ids[0].body)
        report = self.env["crm.qualification.report"].search([("lead_id", "=", lead.id)])
        self.assertEqual(report.mapped("qualification_state"), ["open"])
        # and it can be qualified again
        self._qualify(lead)
        self.assertEqual(lead.qualification_state, "qualified")

    def test_partner_with_other_documents_refused(self):
        lead, [result] = self._qualified()
        company = self.Partner.browse(result["partner_id"])
        other = self._create_leads(name="Another lead")
        other.with_user(self.user_salesman).partner_id = company
        with self.assertRaisesRegex(UserError, f"{company.name} has other documents"):
            self._undo(lead)
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertTrue(company.exists())

    def test_changes_and_messages_by_someone_else_refused(self):
        lead, [result] = self._qualified()
        contact = self.Partner.browse(result["contact_id"])
        contact.with_user(self.user_salesman_all).write({"phone": "+32 2 555 00 00"})
        with self.assertRaisesRegex(UserError, f"{contact.name} was changed by Alan All-Leads"):
            self._undo(lead)
        lead2, _result = self._qualified()
        lead2.with_user(self.user_salesman_all).message_post(body="I called them", message_type="comment")
        with self.assertRaisesRegex(UserError, "has messages by Alan All-Leads"):
            self._undo(lead2)
        self.assertEqual((lead | lead2).mapped("qualification_state"), ["qualified", "qualified"])

    def test_window(self):
        """Within the profile's window only; 0 never."""
        profile = self._profile(undo_hours=2)
        lead, _result = self._qualified(profile_id=profile.id)
        later = fields.Datetime.now() + timedelta(hours=3)
        with (
            patch.object(fields.Datetime, "now", return_value=later),
            self.assertRaisesRegex(UserError, "window of 2 hours has passed"),
        ):
            self._undo(lead)
        self.assertEqual(lead.qualification_state, "qualified")
        self._undo(lead)
        self.assertEqual(lead.qualification_state, "open")
        never = self._profile(name="Never", undo_hours=0, sequence=1)
        lead2, _result = self._qualified(profile_id=never.id)
        with self.assertRaisesRegex(UserError, "does not allow undoing"):
            self._undo(lead2)

    def test_who_may_undo(self):
        """The qualifier or a sales manager; another salesperson is refused."""
        lead, _result = self._qualified()
        with self.assertRaises(AccessError):
            self._undo(lead, user=self.user_salesman_all)
        self.assertEqual(lead.qualification_state, "qualified")
        self._undo(lead, user=self.user_manager)
        self.assertEqual(lead.qualification_state, "open")
        self.assertEqual(lead.qualification_event_ids[0].user_id, self.user_manager)

    def test_reason_required(self):
        lead, _result = self._qualified()
        with self.assertRaisesRegex(UserError, "reason is mandatory"):
            self._undo(lead, reason="  ")
        action = lead.with_user(self.user_salesman).action_undo_qualification()
        self.assertEqual(action["res_model"], "crm.lead.undo.qualification")
        self.assertEqual(lead.qualification_state, "qualified")

    def test_mass_undo_all_or_nothing(self):
        """A mass qualification is undone from the list's wizard, all or nothing."""
        leads, results = self._qualified(count=3)
        partners = self.Partner.browse([r[key] for r in results for key in ("partner_id", "contact_id")])
        leads[2].with_user(self.user_salesman_all).message_post(body="Mine now", message_type="comment")
        wizard = self._open_wizard(
            "crm.lead.undo.qualification", leads, user=self.user_salesman, reason="Wrong batch"
        )
        with self.assertRaisesRegex(UserError, leads[2].name):
            wizard.action_undo()
        self.assertEqual(set(leads.mapped("qualification_state")), {"qualified"})
        self.assertEqual(len(partners.exists()), 6)
        wizard = self._open_wizard(
            "crm.lead.undo.qualification", leads[:2], user=self.user_salesman, reason="Wrong batch"
        )
        wizard.action_undo()
        self.assertEqual(leads[:2].mapped("qualification_state"), ["open", "open"])
        self.assertEqual(len(partners.exists()), 2)

    def test_mass_undo_shared_company(self):
        """Leads of one run sharing a company share it: undoing them together removes it."""
        leads = self._create_leads(2, partner_name="Shared Company")
        results = self._qualify(leads)
        company = self.Partner.browse(results[0]["partner_id"])
        self.assertEqual(results[1]["partner_id"], company.id)
        self._undo(leads)
        self.assertEqual(leads.mapped("qualification_state"), ["open", "open"])
        self.assertFalse(company.exists())

    def test_not_qualified_refused(self):
        lead = self._create_leads()
        with self.assertRaisesRegex(UserError, "it is not qualified"):
            self._undo(lead)

    def test_locked_by_another_transaction(self):
        """A record a concurrent transaction holds (an edit in progress) is refused at once, with a clear
        message, and nothing of the batch changes."""
        leads, _results = self._qualified(count=2)
        with self.registry.cursor() as cr2:
            # A record committed before this test, so that both transactions see it.
            cr2.execute("SELECT id FROM crm_lead ORDER BY id LIMIT 1")
            [(held_id,)] = cr2.fetchall()
            cr2.execute("SELECT id FROM crm_lead WHERE id = %s FOR UPDATE", [held_id])
            batch = leads | self.env["crm.lead"].browse(held_id)
            with self.assertRaisesRegex(UserError, "Someone is changing these records"):
                batch.with_user(self.user_manager).action_undo_qualification(reason="Concurrent")
            cr2.rollback()
        self.assertEqual(leads.mapped("qualification_state"), ["qualified", "qualified"])


@tagged("post_install", "-at_install")
class TestUiUndoQualification(HttpCase, QualifyCommon):
    def test_salesperson_undoes_from_the_form(self):
        """The salesperson who qualified opens the opportunity, undoes with a reason (required) in the
        dialog and sees the open lead again, with the reason in the chatter."""
        lead = self._create_leads(name="Tour lead qualified by mistake")
        [result] = self._qualify(lead)
        self.assertEqual(lead.type, "opportunity")
        self.start_tour(
            f"/odoo/action-crm.crm_lead_opportunities/{lead.id}",
            "lqp_undo_qualification",
            login=self.user_salesman.login,
        )
        self.assertEqual(lead.qualification_state, "open")
        self.assertEqual(lead.type, "lead")
        self.assertFalse(self.Partner.browse(result["partner_id"]).exists())
        self.assertEqual(lead.qualification_event_ids[0].event, "qualification_undone")
        self.assertEqual(lead.qualification_event_ids[0].note, "Qualified the wrong lead")
