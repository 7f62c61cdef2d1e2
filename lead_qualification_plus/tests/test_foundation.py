import ast
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.modules.module import get_module_path
from odoo.tests import Form

from .common import LeadQualificationCommon


class TestFoundation(LeadQualificationCommon):
    def test_leads_feature_is_on_for_every_user(self):
        """Installing the addon switches Odoo's Leads feature on: new leads are leads, not opportunities."""
        self.assertTrue(self.user_salesman.has_group("crm.group_use_lead"))
        lead = self.env["crm.lead"].with_user(self.user_salesman).create({"name": "Fresh lead"})
        self.assertEqual(lead.type, "lead")

    def test_new_lead_form_offers_the_customer(self):
        """Records now start as leads, whose form Odoo shows without customer: the addon keeps it there."""
        customer = self.env["res.partner"].create({"name": "Known Customer", "email": "known@example.com"})
        form = Form(self.env["crm.lead"].with_user(self.user_salesman))
        form.name = "Desks for the new office"
        form.partner_id = customer
        lead = form.save()
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.partner_id, customer)

    def test_every_test_file_runs_in_odoo(self):
        """Odoo's runner runs only the test modules that tests/__init__.py imports (pytest finds the files by
        name): a file left out would silently never run there."""
        for module in ("lead_qualification_plus", "lead_qualification_plus_website_sale"):
            tests = Path(get_module_path(module)) / "tests"
            imported = {
                alias.name
                for node in ast.walk(ast.parse((tests / "__init__.py").read_text()))
                if isinstance(node, ast.ImportFrom)
                for alias in node.names
            }
            files = {path.stem for path in tests.glob("test_*.py")}
            self.assertFalse(files - imported, f"add them to {module}/tests/__init__.py")

    def test_new_lead_is_open(self):
        lead = self._create_leads()
        self.assertEqual(lead.qualification_state, "open")
        self.assertFalse(lead.copy().qualification_event_ids)

    def test_history_is_written_by_the_system_only(self):
        lead = self._create_leads()
        event = lead.with_user(self.user_salesman)._log_qualification_event(
            "qualified", note="Budget confirmed"
        )
        self.assertEqual(event.user_id, self.user_salesman)
        self.assertEqual(event.stage_id, self.stage_new)
        self.assertEqual(lead.with_user(self.user_salesman).qualification_event_ids, event)
        with self.assertRaises(AccessError):
            event.with_user(self.user_salesman).write({"note": "rewritten"})
        with self.assertRaises(AccessError):
            self.env["crm.qualification.event"].with_user(self.user_manager).create(
                {"lead_id": lead.id, "event": "qualified"}
            )

    def test_history_follows_lead_access(self):
        """A salesperson limited to their own leads does not see the history of another's lead."""
        foreign_lead = self._create_leads(user_id=self.user_salesman_all.id)
        foreign_lead._log_qualification_event("disqualified")
        events = (
            self.env["crm.qualification.event"]
            .with_user(self.user_salesman)
            .search([("lead_id", "=", foreign_lead.id)])
        )
        self.assertFalse(events)
        events = (
            self.env["crm.qualification.event"]
            .with_user(self.user_salesman_all)
            .search([("lead_id", "=", foreign_lead.id)])
        )
        self.assertEqual(len(events), 1)

    def test_managers_may_override_transitions(self):
        self.assertTrue(self.user_manager.has_group("lead_qualification_plus.group_transition_override"))
        self.assertFalse(self.user_salesman.has_group("lead_qualification_plus.group_transition_override"))
