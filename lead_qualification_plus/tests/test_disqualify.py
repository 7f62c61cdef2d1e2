from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DisqualifyCommon, set_qualification_fields


@tagged("post_install", "-at_install")
class TestLostReason(DisqualifyCommon):
    def test_dynamics_reasons_are_there(self):
        reasons = self.env["crm.lost.reason"].search([("applies_to", "in", ("lead", "both"))])
        self.assertEqual(
            {"lost", "cannot_contact", "no_longer_interested", "canceled", "duplicate", "spam"},
            set(reasons.mapped("category")),
        )
        self.assertEqual(self.reason_cannot_contact.reactivate_after_days, 90)
        self.assertTrue(self.reason_lost.note_required)

    def test_odoo_reasons_get_sensible_values(self):
        self.assertEqual(self.env.ref("crm.lost_reason_1").applies_to, "both")
        self.assertEqual(self.env.ref("crm.lost_reason_2").applies_to, "opportunity")
        self.assertEqual(self.env.ref("crm.lost_reason_3").reactivate_after_days, 30)

    def test_reason_names_are_translatable(self):
        self.assertTrue(self.env["crm.lost.reason"]._fields["name"].translate)

    def test_reasons_are_configured_by_managers_only(self):
        with self.assertRaises(AccessError):
            self.reason_spam.with_user(self.user_salesman).write({"note_required": True})
        with self.assertRaises(AccessError):
            self.env["crm.lost.reason"].with_user(self.user_salesman_all).create({"name": "Mine"})
        reason = (
            self.env["crm.lost.reason"]
            .with_user(self.user_manager)
            .create({"name": "Budget frozen", "applies_to": "lead", "category": "no_longer_interested"})
        )
        reason.write({"reactivate_after_days": 60})
        self.assertEqual(reason.reactivate_after_days, 60)
        # Salespeople read them: the wizards offer them.
        self.assertTrue(reason.with_user(self.user_salesman).name)


@tagged("post_install", "-at_install")
class TestDisqualify(DisqualifyCommon):
    def test_disqualify_lead(self):
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        wizard = self._open_wizard(
            "crm.lead.disqualify",
            lead,
            user=self.user_salesman,
            reason_id=self.reason_lost.id,
            note="Went with a competitor",
        )
        self.assertFalse(wizard.reactivate_on, "the reason never reactivates by itself")
        wizard.action_disqualify()

        self.assertFalse(lead.active)
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.qualification_state, "disqualified")
        self.assertEqual(lead.lost_reason_id, self.reason_lost)
        self.assertEqual(lead.disqualified_user_id, self.user_salesman)
        self.assertTrue(lead.date_disqualified)
        self.assertEqual(lead.disqualified_stage_id, self.stage_contacted)
        self.assertEqual(lead.stage_id, self.stage_contacted)
        event = lead.qualification_event_ids
        self.assertEqual(len(event), 1)
        self.assertRecordValues(
            event,
            [
                {
                    "event": "disqualified",
                    "reason_id": self.reason_lost.id,
                    "note": "Went with a competitor",
                    "stage_id": self.stage_contacted.id,
                    "user_id": self.user_salesman.id,
                }
            ],
        )
        message = lead.message_ids[0]
        self.assertIn("Disqualified: Lost", message.body)
        self.assertIn("Went with a competitor", message.body)
        self.assertEqual(message.author_id, self.user_salesman.partner_id)

    def test_disqualify_is_tracked_as_odoo_lost(self):
        """Disqualifying is Odoo's "Lost" in the chatter: one message of the "Opportunity Lost" subtype, with
        Odoo's tracking lines and our reason and note, so the followers of that subtype hear of it."""
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        lead.message_subscribe(
            partner_ids=self.user_manager.partner_id.ids, subtype_ids=self.env.ref("crm.mt_lead_lost").ids
        )
        # As a commit would: Odoo tracks no change of a record created in the same transaction.
        self.env.cr.flush()
        # Odoo's own context: the shared fixtures switch tracking off.
        env = self.env(user=self.user_salesman, context={"lang": "en_US"})
        env["crm.lead.disqualify"].with_context(default_lead_ids=lead.ids).create(
            {"reason_id": self.reason_lost.id, "note": "Went with a competitor"}
        ).action_disqualify()
        self.env.flush_all()
        self.env.cr.flush()

        message = self.env["mail.message"].search([("model", "=", "crm.lead"), ("res_id", "=", lead.id)])
        self.assertEqual(len(message), 1, "one message per disqualified record")
        self.assertEqual(message.subtype_id, self.env.ref("crm.mt_lead_lost"))
        self.assertIn("Disqualified: Lost", message.body)
        self.assertIn("Went with a competitor", message.body)
        self.assertEqual(
            set(message.tracking_value_ids.field_id.mapped("name")), {"active", "lost_reason_id"}
        )
        self.assertIn(self.user_manager.partner_id, message.notified_partner_ids)

    def test_reactivation_date_defaults_from_reason(self):
        lead = self._create_leads()
        wizard = self._open_wizard("crm.lead.disqualify", lead, reason_id=self.reason_cannot_contact.id)
        self.assertEqual(wizard.reactivate_on, self.today + timedelta(days=90))
        wizard.reactivate_on = self.today + timedelta(days=10)
        wizard.action_disqualify()
        self.assertEqual(lead.reactivate_on, self.today + timedelta(days=10))

    def test_disqualified_filter_finds_it(self):
        lead = self._create_leads()
        self._disqualify(lead)
        self.assertFalse(self.env["crm.lead"].search([("id", "=", lead.id)]))
        domain = [("active", "=", False), ("qualification_state", "=", "disqualified"), ("id", "=", lead.id)]
        self.assertEqual(self.env["crm.lead"].search(domain), lead)
        search_view = self.env.ref("lead_qualification_plus.crm_lead_view_search")
        self.assertIn('name="qualification_disqualified"', search_view.arch)

    def test_mass_disqualify(self):
        leads = self._create_leads(3)
        self._disqualify(leads, user=self.user_salesman)
        self.assertEqual(set(leads.mapped("qualification_state")), {"disqualified"})
        self.assertEqual(len(leads.qualification_event_ids), 3)

    def test_refused_already_disqualified(self):
        lead = self._create_leads()
        self._disqualify(lead)
        with self.assertRaisesRegex(UserError, "Already disqualified"):
            self._disqualify(lead)
        self.assertEqual(len(lead.qualification_event_ids), 1)

    def test_refused_qualified(self):
        lead = self._create_leads()
        set_qualification_fields(lead, {"qualification_state": "qualified"})
        with self.assertRaisesRegex(UserError, "qualified lead cannot be disqualified"):
            self._disqualify(lead)
        self.assertTrue(lead.active)

    def test_refused_opportunity(self):
        opportunity = self._create_leads(type="opportunity")
        with self.assertRaisesRegex(UserError, "mark .* as lost"):
            self._disqualify(opportunity)
        self.assertTrue(opportunity.active)

    def test_refused_reason_not_for_leads(self):
        lead = self._create_leads()
        with self.assertRaisesRegex(UserError, "applies to opportunities only"):
            self._disqualify(lead, reason=self.reason_opportunity)
        self.assertTrue(lead.active)
        self.assertFalse(lead.qualification_event_ids)

    def test_refused_missing_required_note(self):
        lead = self._create_leads()
        with self.assertRaisesRegex(UserError, "requires a note"):
            self._disqualify(lead, reason=self.reason_lost, note="   ")
        self.assertTrue(lead.active)
        self.assertEqual(lead.qualification_state, "open")

    def test_refused_past_reactivation_date(self):
        lead = self._create_leads()
        with self.assertRaisesRegex(UserError, "must be in the future"):
            self._disqualify(lead, reactivate_on=self.today)
        self.assertTrue(lead.active)

    def test_mass_run_is_all_or_nothing(self):
        leads = self._create_leads(3)
        set_qualification_fields(leads[1], {"qualification_state": "qualified"})
        with self.assertRaises(UserError):
            self._disqualify(leads)
        self.assertTrue(all(leads.mapped("active")))
        self.assertEqual(leads.mapped("qualification_state"), ["open", "qualified", "open"])
        self.assertFalse(leads.qualification_event_ids)

    def test_keep_contact_creates_or_links_the_person(self):
        known = self.env["res.partner"].create({"name": "Known Person", "email": "known@example.com"})
        with_partner = self._create_leads(partner_id=known.id, email_from="known@example.com")
        new_person, same_email = self._create_leads(2)
        same_email.email_from = "Known <known@example.com>"
        partner_count = self.env["res.partner"].search_count([])
        self._disqualify(with_partner + new_person + same_email, user=self.user_salesman, keep_contact=True)
        self.assertEqual(with_partner.partner_id, known)
        self.assertEqual(same_email.partner_id, known, "a contact with the same email is reused")
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count + 1)
        self.assertRecordValues(
            new_person.partner_id,
            [
                {
                    "name": "Contact 0",
                    "email": "contact0@company0.example.com",
                    "is_company": False,
                    "active": True,
                }
            ],
        )
        self.assertFalse(new_person.active)

    def test_without_keep_contact_no_contact_is_created(self):
        lead = self._create_leads()
        self._disqualify(lead)
        self.assertFalse(lead.partner_id)

    def test_salesperson_disqualifies_only_what_they_may_write(self):
        foreign = self._create_leads(user_id=self.user_salesman_all.id)
        with self.assertRaises(AccessError):
            self._disqualify(foreign, user=self.user_salesman)
        self.assertTrue(foreign.active)
        self.assertFalse(foreign.qualification_event_ids)
        self._disqualify(foreign, user=self.user_salesman_all)
        self.assertFalse(foreign.active)

    def test_form_and_list_offer_disqualify_and_reactivate(self):
        arch = self.env["crm.lead"].get_view(view_type="form")["arch"]
        self.assertIn("Disqualify", arch)
        self.assertIn("Reactivate", arch)
        self.assertIn(
            'title="Lost" bg_color="text-bg-danger" '
            "invisible=\"probability &gt; 0 or active or qualification_state == 'disqualified'\"",
            arch,
            "Odoo's Lost ribbon does not cover the Disqualified one",
        )
        for xmlid in ("crm_lead_disqualify_action", "crm_lead_reactivate_action"):
            action = self.env.ref(f"lead_qualification_plus.{xmlid}")
            self.assertEqual(action.binding_model_id.model, "crm.lead")
            self.assertEqual(action.binding_view_types, "list")


# Queries of a mass disqualification, whatever the number of leads (measured: 41 for 10 and for 100).
DISQUALIFY_QUERIES = 41


@tagged("post_install", "-at_install", "is_query_count")
class TestDisqualifyPerformance(DisqualifyCommon):
    def _disqualify_counting(self, count, queries=DISQUALIFY_QUERIES):
        leads = self._create_leads(count)
        wizard = self._open_wizard(
            "crm.lead.disqualify", leads, user=self.user_salesman_all, reason_id=self.reason_spam.id
        )
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            wizard.action_disqualify()
            self.env.flush_all()
        self.assertEqual(len(leads.qualification_event_ids), count)

    def test_mass_disqualify_10_leads_query_count(self):
        self._disqualify_counting(10)

    def test_mass_disqualify_100_leads_query_count(self):
        """The same bound as for 10 leads: no query per lead."""
        self._disqualify_counting(100)
