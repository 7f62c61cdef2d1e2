"""Faults around the orders that qualify leads: what the system's own qualification leaves alone, and the
concurrency errors it lets reach Odoo's retry."""

from unittest.mock import patch

from psycopg2 import errors

from odoo.tests import tagged

from .common import OrderQualificationCommon


@tagged("post_install", "-at_install")
class TestWebOrderKeepsColleaguesContacts(OrderQualificationCommon):
    def test_order_qualification_leaves_a_colleague_contact_alone(self):
        """The system's own qualification (run as the superuser) does not move a user's contact either."""
        self.webshop_profile.partner_policy = "default_on"
        admin_partner = self.env.ref("base.user_admin").partner_id
        parent_before = admin_partner.parent_id
        free_contact = self.env["res.partner"].create({"name": "Frida Freelance"})
        lead = self._create_leads(partner_id=self.buyer.id)
        self.env["crm.lead.stakeholder"].create(
            [{"lead_id": lead.id, "partner_id": partner.id} for partner in (admin_partner, free_contact)]
        )
        self._confirm()
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(admin_partner.parent_id, parent_before)
        self.assertEqual(free_contact.parent_id, self.buyer_company)


@tagged("post_install", "-at_install")
class TestConcurrencyIsRetried(OrderQualificationCommon):
    def test_web_order_lets_a_serialization_failure_reach_odoo_retry(self):
        lead = self._create_leads(partner_id=self.buyer.id)
        Lead = type(self.env["crm.lead"])

        def clash(records, *args, **kwargs):
            raise errors.SerializationFailure("could not serialize access due to concurrent update")

        order = self._new_order()
        with patch.object(Lead, "_qualify", clash), self.assertRaises(errors.SerializationFailure):
            order.action_confirm()
        self.assertFalse(lead.activity_ids, "no 'qualify this lead by hand' for a clash")

    def test_locked_lead_waits_are_retried_not_turned_into_an_activity(self):
        """A real second transaction holds the buyer's lead (another order of the buyer being confirmed):
        the confirmation gives way to Odoo's retry instead of asking for a manual qualification."""
        with self.registry.cursor() as other_cr:
            other_cr.execute(
                """SELECT id FROM crm_lead
                    WHERE active AND type = 'lead' AND qualification_state = 'open' AND partner_id IS NULL
                      AND email_normalized IS NOT NULL AND (company_id IS NULL OR company_id = %s)
                    ORDER BY id LIMIT 1 FOR UPDATE""",
                [self.company.id],
            )
            row = other_cr.fetchone()
            self.assertTrue(row, "the demo data holds an open lead with an email")
            lead = self.env["crm.lead"].browse(row[0])
            buyer = self.env["res.partner"].create({"name": "Concurrent buyer", "email": lead.email_from})
            order = self._new_order(partner=buyer)
            self.env.flush_all()
            self.env.cr.execute("SET LOCAL lock_timeout = '200ms'")
            try:
                with self.assertRaises(errors.LockNotAvailable):
                    order.action_confirm()
            finally:
                self.env.cr.execute("SET LOCAL lock_timeout = 0")
                other_cr.rollback()
        self.assertFalse(
            lead.activity_ids.filtered(lambda activity: activity.summary == "Qualify this lead by hand")
        )
