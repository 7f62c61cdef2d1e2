from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DisqualifyCommon

FORGED_VALUES = {
    "qualification_state": "qualified",
    "date_qualified": "2024-01-02 10:00:00",
    "date_disqualified": "2024-01-02 10:00:00",
}


@tagged("post_install", "-at_install")
class TestForgedQualification(DisqualifyCommon):
    """Only qualifying, disqualifying and reactivating change a lead's qualification: the history and the
    reports ("who converts best") rely on it."""

    def _forged_values(self):
        return {
            **FORGED_VALUES,
            "qualified_user_id": self.user_salesman.id,
            "disqualified_user_id": self.user_salesman.id,
            "disqualified_stage_id": self.stage_contacted.id,
        }

    def test_write_is_refused_to_salesperson_and_manager(self):
        lead = self._create_leads()
        for user in (self.user_salesman, self.user_manager):
            for fname, value in self._forged_values().items():
                with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError):
                    lead.with_user(user).write({fname: value})
        self.assertRecordValues(
            lead,
            [
                {
                    "qualification_state": "open",
                    "date_qualified": False,
                    "qualified_user_id": False,
                    "date_disqualified": False,
                    "disqualified_stage_id": False,
                }
            ],
        )
        self.assertFalse(lead.qualification_event_ids)

    def test_data_file_context_does_not_open_the_fields(self):
        # Demo data sets these fields while the registry loads it; an RPC caller can send the same context
        # key, but to a registry that is ready.
        Lead = self.env["crm.lead"].with_user(self.user_manager).with_context(install_filename="demo.xml")
        with self.assertRaises(AccessError):
            Lead.create({"name": "Forged", "user_id": self.user_salesman.id, **FORGED_VALUES})

    def test_create_is_refused(self):
        for user in (self.user_salesman, self.user_manager):
            Lead = self.env["crm.lead"].with_user(user)
            for fname, value in self._forged_values().items():
                with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError):
                    Lead.create({"name": "Forged", "user_id": self.user_salesman.id, fname: value})
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Forged")]))
        # The defaults, stated, are no forgery.
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_salesman)
            .create({"name": "Stated", "qualification_state": "open", "date_qualified": False})
        )
        self.assertEqual(lead.qualification_state, "open")

    def test_import_is_refused(self):
        lead = self._create_leads()
        external_id = lead.export_data(["id"])["datas"][0][0]
        for user in (self.user_salesman, self.user_manager):
            Lead = self.env["crm.lead"].with_user(user)
            with self.subTest(user=user.login):
                result = Lead.load(["name", "qualification_state"], [["Imported qualified", "qualified"]])
                self.assertFalse(result["ids"])
                self.assertIn("Qualification", result["messages"][0]["message"])
                result = Lead.load(["id", "date_qualified"], [[external_id, "2024-01-02 10:00:00"]])
                self.assertFalse(result["ids"])
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Imported qualified")]))
        self.assertEqual(lead.qualification_state, "open")
        self.assertFalse(lead.date_qualified)
        # An exported file imports back as it is.
        Lead = self.env["crm.lead"].with_user(self.user_manager)
        result = Lead.load(["id", "name", "qualification_state"], [[external_id, "Renamed", "open"]])
        self.assertEqual(result["ids"], lead.ids, result["messages"])
        self.assertEqual(lead.name, "Renamed")

    def test_reopening_a_qualified_lead_is_refused(self):
        """Written back to open, a lead would be qualified twice: two events, two quotations."""
        lead = self._create_leads()
        lead.with_user(self.user_salesman).qualify()
        with self.assertRaises(AccessError):
            lead.with_user(self.user_manager).write({"qualification_state": "open"})
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(len(lead.qualification_event_ids), 1)

    def test_the_form_shows_them_read_only(self):
        Lead = self.env["crm.lead"].with_user(self.user_salesman)
        for fname in ("qualification_state", "date_qualified", "qualified_user_id", "date_disqualified"):
            self.assertTrue(Lead._fields[fname].readonly, fname)

    def test_own_flows_still_write_them(self):
        """Qualify, disqualify, reactivate, Odoo's restore, convert, copy and won keep working."""
        lead, disqualified, converted = self._create_leads(3)
        lead.with_user(self.user_salesman).qualify()
        self.assertEqual(lead.qualification_state, "qualified")
        self._disqualify(disqualified, user=self.user_salesman)
        self.assertEqual(disqualified.qualification_state, "disqualified")
        self.assertEqual(disqualified.disqualified_user_id, self.user_salesman)
        disqualified.with_user(self.user_salesman).toggle_active()
        self.assertEqual(disqualified.qualification_state, "open")
        self.assertFalse(disqualified.date_disqualified)
        self.env["crm.lead2opportunity.partner"].with_user(self.user_salesman).with_context(
            active_model="crm.lead", active_id=converted.id, active_ids=converted.ids
        ).create({"name": "convert", "action": "create"}).action_apply()
        self.assertEqual(converted.qualification_state, "qualified")
        self.assertEqual(converted.qualified_user_id, self.user_salesman)
        # A copy is a new lead to qualify: nothing of the original's qualification comes along.
        copy = lead.with_user(self.user_salesman).copy()
        self.assertRecordValues(
            copy, [{"qualification_state": "open", "date_qualified": False, "qualified_user_id": False}]
        )
        lead.with_user(self.user_salesman).action_set_won()
        self.assertEqual(lead.probability, 100)
        self.assertEqual(lead.qualification_state, "qualified")

    def test_action_set_lost_cannot_carry_them(self):
        """Odoo's public ``action_set_lost`` writes what it is given: not a qualification."""
        lead = self._create_leads()
        with self.assertRaises(AccessError):
            lead.with_user(self.user_salesman).action_set_lost(
                date_disqualified=fields.Datetime.now(), qualification_state="disqualified"
            )
        self.assertTrue(lead.active)
        self.assertEqual(lead.qualification_state, "open")

    def test_odoo_merge_still_works(self):
        qualified, duplicate = self._create_leads(2)
        qualified.with_user(self.user_salesman).qualify()
        merged = (qualified | duplicate).with_user(self.user_salesman).merge_opportunity()
        self.assertEqual(merged, qualified)
        self.assertEqual(merged.qualification_state, "qualified")
        self.assertFalse(duplicate.exists())
