import importlib.util
import uuid
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from odoo import SUPERUSER_ID
from odoo.addons.crm.tests.common import INCOMING_EMAIL
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ReactivateCommon

# A customer's reply to an email of the lead's thread: Odoo's gateway routes it by its In-Reply-To.
REPLY_EMAIL = """Return-Path: <{email_from}>
Message-ID: {msg_id}
In-Reply-To: {in_reply_to}
References: {in_reply_to}
Date: Mon, 24 Oct 2011 11:06:29 +0530
From: {email_from}
MIME-Version: 1.0
To: {to}
Subject: {subject}
Content-Type: text/plain; charset=utf-8

We are ready to talk again.

Somebody."""


class ComebackCommon(ReactivateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason_comeback = cls._create_comeback_reason(reactivate_on_email=True)
        cls.alias_domain = cls.env["mail.alias.domain"].create({"name": "lqp-comeback.example.com"})
        cls.team.alias_id.sudo().write(
            {"alias_name": "lqp-comeback-sales", "alias_domain_id": cls.alias_domain.id}
        )
        cls.alias_email = cls.team.alias_id.alias_full_name
        cls.customer_email = "contact0@company0.example.com"

    def _receive(self, subject, email_from=None, template=INCOMING_EMAIL, **values):
        """Deliver an RFC 822 email to the team's alias through Odoo's mail gateway, as fetchmail does."""
        email = template.format(
            return_path=email_from or self.customer_email,
            email_from=email_from or self.customer_email,
            to=self.alias_email,
            subject=subject,
            msg_id=f"<{uuid.uuid4().hex}@customer.example.com>",
            **values,
        )
        return self.env["mail.thread"].sudo().message_process(False, email)

    def _reply(self, lead, subject, email_from=None):
        """Deliver the customer's reply to the last message of ``lead``'s thread."""
        return self._receive(
            subject, email_from=email_from, template=REPLY_EMAIL, in_reply_to=lead.message_ids[0].message_id
        )

    def _disqualified_lead(self, reason=None, **values):
        lead = self._create_leads(stage_id=self.stage_contacted.id, **values)
        # Our offer, sent from the lead: the customer's reply comes back on its thread.
        lead.message_post(body="Here is our offer", message_type="comment", subtype_xmlid="mail.mt_comment")
        self._disqualify(lead, reason=reason or self.reason_comeback, user=self.user_salesman)
        return lead

    def _leads_of(self, email):
        return self.env["crm.lead"].with_context(active_test=False).search([("email_normalized", "=", email)])

    def _reactivations(self, leads):
        return leads.qualification_event_ids.filtered(lambda event: event.event == "reactivated")

    def _follow_ups(self, leads):
        return leads.activity_ids.filtered(lambda activity: activity.activity_type_id == self.activity_type)


@tagged("post_install", "-at_install")
class TestComebackByEmail(ComebackCommon):
    def test_new_email_reactivates_the_lead_instead_of_a_duplicate(self):
        lead = self._disqualified_lead()

        thread_id = self._receive("Back with a budget")

        self.assertEqual(thread_id, lead.id)
        self.assertEqual(
            self._leads_of(self.customer_email), lead, "no duplicate lead for a returning customer"
        )
        self.assertTrue(lead.active)
        self.assertEqual(lead.qualification_state, "open")
        self.assertEqual(lead.stage_id, self.stage_contacted)
        self.assertRecordValues(self._reactivations(lead), [{"trigger": "email", "user_id": SUPERUSER_ID}])
        self.assertIn("Back with a budget", lead.message_ids.mapped("subject"))
        email = lead.message_ids.filtered(lambda message: message.subject == "Back with a budget")
        self.assertEqual(email.subtype_id, self.env.ref("mail.mt_comment"), "an email, not a lead creation")
        follow_up = self._follow_ups(lead)
        self.assertEqual(follow_up.user_id, self.user_salesman)
        self.assertIn("Back with a budget", str(follow_up.note))

    def test_reply_on_the_thread_reactivates_the_lead(self):
        lead = self._disqualified_lead()

        self._reply(lead, "Re: Here is our offer")

        self.assertTrue(lead.active)
        self.assertEqual(lead.stage_id, self.stage_contacted)
        self.assertEqual(self._reactivations(lead).trigger, "email")
        self.assertIn("Re: Here is our offer", lead.message_ids.mapped("subject"))
        self.assertIn("Re: Here is our offer", str(self._follow_ups(lead).note))
        self.assertEqual(self._leads_of(self.customer_email), lead)

    def test_reason_without_the_flag_reactivates_nothing(self):
        lead = self._disqualified_lead(reason=self.reason_spam)

        self._reply(lead, "Re: Here is our offer")
        self.assertFalse(lead.active)
        self.assertEqual(lead.qualification_state, "disqualified")
        self.assertIn("Re: Here is our offer", lead.message_ids.mapped("subject"), "delivered all the same")

        # A new email creates a lead, as Odoo always does.
        self._receive("Spam again")
        self.assertFalse(lead.active)
        self.assertFalse(self._reactivations(lead))
        new_lead = self._leads_of(self.customer_email) - lead
        self.assertEqual(new_lead.name, "Spam again")

    def test_two_emails_one_reactivation_both_on_the_thread(self):
        lead = self._disqualified_lead()

        self._receive("Back with a budget")
        self._receive("And with a deadline")
        self._reply(lead, "Re: Here is our offer")

        self.assertEqual(self._leads_of(self.customer_email), lead)
        self.assertEqual(len(self._reactivations(lead)), 1)
        self.assertEqual(len(self._follow_ups(lead)), 1)
        self.assertLessEqual(
            {"Back with a budget", "And with a deadline", "Re: Here is our offer"},
            set(lead.message_ids.mapped("subject")),
        )

    def test_email_after_the_lead_moved_on_creates_a_lead(self):
        """Once someone qualified or disqualified the lead again, a new email is a new lead, as in Odoo."""
        lead = self._disqualified_lead()
        self._receive("Back with a budget")
        self._disqualify(lead, reason=self.reason_spam, user=self.user_salesman)

        self._receive("Still there?")

        self.assertFalse(lead.active)
        self.assertEqual((self._leads_of(self.customer_email) - lead).name, "Still there?")

    def test_an_employee_writing_brings_nobody_back(self):
        lead = self._disqualified_lead()
        self._reply(lead, "Re: Here is our offer", email_from=self.user_salesman.email)
        self.assertFalse(lead.active)

    def test_a_user_cannot_pass_for_the_gateway(self):
        """message_new and message_update are public: called by a user, they bring nobody back."""
        lead = self._disqualified_lead()
        msg_dict = {"subject": "Back", "email_from": self.customer_email, "from": self.customer_email}
        lead.with_user(self.user_salesman).message_update(msg_dict)
        new_lead = self.env["crm.lead"].with_user(self.user_salesman).message_new(msg_dict)
        self.assertFalse(lead.active)
        self.assertNotEqual(new_lead, lead)

    @mute_logger("odoo.addons.lead_qualification_plus.models.crm_lead_comeback")
    def test_failure_never_blocks_the_email(self):
        lead = self._disqualified_lead()
        refusal = UserError("The lead is locked by an audit.")

        with patch.object(type(self.env["crm.lead"]), "_reactivate", side_effect=refusal):
            self._receive("Back with a budget")
            self._reply(lead, "Re: Here is our offer")

        self.assertFalse(lead.active)
        self.assertEqual(lead.qualification_state, "disqualified")
        self.assertEqual(self._leads_of(self.customer_email), lead)
        self.assertLessEqual(
            {"Back with a budget", "Re: Here is our offer"}, set(lead.message_ids.mapped("subject"))
        )
        todo = lead.activity_ids.filtered(
            lambda activity: activity.summary == "Automatic reactivation failed"
        )
        self.assertEqual(todo.user_id, self.user_salesman)
        self.assertIn("locked by an audit", str(todo[0].note))


@tagged("post_install", "-at_install")
class TestComebackByOrder(ComebackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner = cls.env["res.partner"].create({"name": "Returning Corp", "is_company": True})
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Rita Returning",
                "parent_id": cls.company_partner.id,
                "email": "rita@returning.example.com",
            }
        )
        cls.colleague = cls.env["res.partner"].create(
            {
                "name": "Carl Colleague",
                "parent_id": cls.company_partner.id,
                "email": "carl@returning.example.com",
            }
        )

    def _lead_of(self, partner, **values):
        # Odoo writes a lead's email on its customer: the lead has the customer's.
        return self._disqualified_lead(partner_id=partner.id, email_from=partner.email, **values)

    def test_returning_partners_bring_their_leads_back(self):
        of_person = self._lead_of(self.person)
        of_colleague = self._lead_of(self.colleague)
        by_email = self._disqualified_lead(email_from="Rita <RITA@returning.example.com>")
        not_flagged = self._lead_of(self.person, reason=self.reason_spam)
        someone_else = self._disqualified_lead()
        source = self.env["res.partner"].create({"name": "S00042"})

        leads = self.env["crm.lead"]._reactivate_for_returning_partners(self.person, source=source)

        self.assertEqual(leads, of_person + of_colleague + by_email)
        self.assertTrue(all(leads.mapped("active")))
        self.assertFalse(not_flagged.active or someone_else.active)
        self.assertEqual(set(self._reactivations(leads).mapped("trigger")), {"order"})
        self.assertIn("S00042", self._reactivations(of_person).note)
        self.assertIn("S00042", str(self._follow_ups(of_person).note))

    def test_company_order_brings_its_contacts_leads_back(self):
        lead = self._lead_of(self.person)
        leads = self.env["crm.lead"]._reactivate_for_returning_partners(self.company_partner)
        self.assertEqual(leads, lead)

    def test_second_order_reactivates_nothing_more(self):
        lead = self._lead_of(self.person)
        Lead = self.env["crm.lead"]
        self.assertEqual(Lead._reactivate_for_returning_partners(self.person), lead)
        self.assertFalse(Lead._reactivate_for_returning_partners(self.person))
        self.assertEqual(len(self._reactivations(lead)), 1)

    @mute_logger("odoo.addons.lead_qualification_plus.models.crm_lead_comeback")
    def test_a_lead_that_fails_holds_no_other_back(self):
        failing, fine = self._lead_of(self.person) + self._lead_of(self.person)
        original = type(self.env["crm.lead"])._reactivate
        refusal = UserError("The lead is locked by an audit.")

        def reactivate(records, note=False):
            if failing in records:
                raise refusal
            return original(records, note=note)

        with patch.object(type(self.env["crm.lead"]), "_reactivate", reactivate):
            leads = self.env["crm.lead"]._reactivate_for_returning_partners(self.person)

        self.assertEqual(leads, fine)
        self.assertFalse(failing.active)
        todo = failing.activity_ids.filtered(lambda a: a.summary == "Automatic reactivation failed")
        self.assertEqual(todo.user_id, self.user_salesman)


@tagged("post_install", "-at_install")
class TestReactivationTrigger(ComebackCommon):
    def test_each_reactivation_says_what_brought_it(self):
        by_wizard, by_restore, by_write, by_cron = (self._disqualified_lead() for _index in range(4))
        self._open_wizard("crm.lead.reactivate", by_wizard, user=self.user_salesman).action_reactivate()
        by_restore.with_user(self.user_salesman).toggle_active()
        by_write.with_user(self.user_salesman).write({"active": True})
        by_cron.reactivate_on = self.today - timedelta(days=1)
        self.env.ref("lead_qualification_plus.ir_cron_reactivate_due_leads").method_direct_trigger()

        for lead, trigger in (
            (by_wizard, "manual"),
            (by_restore, "manual"),
            (by_write, "manual"),
            (by_cron, "scheduled"),
        ):
            self.assertEqual(self._reactivations(lead).trigger, trigger)
        # Other events have no trigger.
        self.assertFalse(
            by_wizard.qualification_event_ids.filtered(lambda e: e.event != "reactivated").trigger
        )

    def test_a_user_cannot_pass_for_a_customer(self):
        lead = self._disqualified_lead()
        lead.with_user(self.user_salesman).with_context(
            default_trigger="email", trigger="email"
        ).action_reactivate()
        self.assertEqual(self._reactivations(lead).trigger, "manual")

    def test_report_groups_leads_by_what_brought_them_back(self):
        by_email = self._disqualified_lead()
        self._receive("Back with a budget")
        by_hand = self._disqualified_lead(email_from="other@example.com")
        by_hand.action_reactivate()
        never = self._disqualified_lead(email_from="never@example.com")

        report = self.env["crm.qualification.report"]
        groups = report.read_group(
            [("lead_id", "in", (by_email + by_hand + never).ids)],
            ["lead_count:sum"],
            ["reactivation_trigger"],
            lazy=False,
        )
        counts = {group["reactivation_trigger"]: group["lead_count"] for group in groups}
        self.assertEqual(counts, {"email": 1, "manual": 1, False: 1})
        self.assertEqual(
            report.search([("reactivation_trigger", "=", "email"), ("lead_id", "in", by_email.ids)]).lead_id,
            by_email,
        )

    def test_report_counts_the_last_reactivation(self):
        lead = self._disqualified_lead()
        lead.action_reactivate()
        self._disqualify(lead, reason=self.reason_comeback)
        self._receive("Back again")
        row = self.env["crm.qualification.report"].search([("lead_id", "=", lead.id)])
        self.assertRecordValues(row, [{"reactivation_count": 2, "reactivation_trigger": "email"}])

    def test_upgrade_gives_existing_reactivations_a_trigger(self):
        by_hand = self._disqualified_lead()
        by_hand.with_user(self.user_salesman).action_reactivate()
        by_cron = self._disqualified_lead()
        by_cron.reactivate_on = self.today - timedelta(days=1)
        self.env.ref("lead_qualification_plus.ir_cron_reactivate_due_leads").method_direct_trigger()
        events = self._reactivations(by_hand + by_cron)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_qualification_event SET trigger = NULL WHERE id IN %s", [tuple(events.ids)]
        )
        events.invalidate_recordset(["trigger"])

        path = Path(__file__).parents[1] / "migrations" / "18.0.2.0.0" / "post-event-trigger.py"
        spec = importlib.util.spec_from_file_location("lqp_post_event_trigger", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.0.0")

        self.assertEqual(self._reactivations(by_hand).trigger, "manual")
        self.assertEqual(self._reactivations(by_cron).trigger, "scheduled")


@tagged("post_install", "-at_install")
class TestComebackConfiguration(ComebackCommon):
    def test_managers_configure_the_reasons(self):
        with self.assertRaises(AccessError):
            self.reason_comeback.with_user(self.user_salesman).write({"reactivate_on_email": False})
        self.reason_comeback.with_user(self.user_manager).write({"reactivate_on_email": False})
        self.assertFalse(self.reason_comeback.reactivate_on_email)
        self.assertTrue(self.reason_comeback.with_user(self.user_salesman).reactivate_on_order)

    def test_form_and_list_show_the_flags(self):
        Reason = self.env["crm.lost.reason"]
        for view_type in ("form", "list"):
            arch = Reason.get_view(view_type=view_type)["arch"]
            self.assertIn('name="reactivate_on_order"', arch)
            self.assertIn('name="reactivate_on_email"', arch)
