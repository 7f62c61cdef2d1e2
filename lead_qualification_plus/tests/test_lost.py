from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DisqualifyCommon, set_qualification_fields


@tagged("post_install", "-at_install")
class TestLostOpportunity(DisqualifyCommon):
    """Opportunities keep Odoo's "Lost" flow; the wizard gains the reasons' rules, the reactivation date and
    writes a ``disqualified`` event, like the disqualification of a lead."""

    def test_lose_opportunity_with_reason_note_and_date(self):
        opportunity = self._create_leads(type="opportunity", stage_id=self.stage_qualified.id)
        set_qualification_fields(opportunity, {"qualification_state": "qualified"})
        stock = self.env.ref("crm.lost_reason_3")
        wizard = self._open_wizard(
            "crm.lead.lost",
            opportunity,
            user=self.user_salesman,
            lost_reason_id=stock.id,
            lost_feedback="<p>Back in May</p>",
        )
        self.assertEqual(wizard.records_type, "opportunity")
        # The salesperson's today: near midnight UTC it is not the superuser's in another time zone.
        today = fields.Date.context_today(wizard)
        self.assertEqual(wizard.reactivate_on, today + timedelta(days=30))
        wizard.action_lost_reason_apply()

        self.assertFalse(opportunity.active)
        self.assertEqual(opportunity.probability, 0)
        self.assertEqual(opportunity.lost_reason_id, stock)
        self.assertEqual(
            opportunity.qualification_state, "qualified", "losing an opportunity is no disqualification"
        )
        self.assertEqual(opportunity.reactivate_on, today + timedelta(days=30))
        self.assertEqual(opportunity.disqualified_stage_id, self.stage_qualified)
        self.assertRecordValues(
            opportunity.qualification_event_ids,
            [
                {
                    "event": "disqualified",
                    "reason_id": stock.id,
                    "note": "Back in May",
                    "user_id": self.user_salesman.id,
                }
            ],
        )
        self.assertIn("Marked as lost", opportunity.message_ids[0].body)

        opportunity.reactivate_on = self.today
        self.env["crm.lead"]._reactivate_due_leads()
        self.assertTrue(opportunity.active)
        self.assertEqual(opportunity.stage_id, self.stage_qualified)
        self.assertEqual(opportunity.qualification_state, "qualified")
        self.assertEqual(opportunity.qualification_event_ids.sorted("id")[-1].event, "reactivated")

    def test_lost_opportunity_form_says_lost(self):
        """A lost opportunity's form says when, by whom and from which stage it was lost: "disqualified" is
        the word for leads."""
        arch = etree.fromstring(
            self.env["crm.lead"].with_user(self.user_salesman).get_view(view_type="form")["arch"]
        )
        labels = {
            field.get("name"): field.get("string")
            for field in arch.xpath("//group[@name='opportunity_partner']//field")
            if field.get("name") in ("date_disqualified", "disqualified_user_id", "disqualified_stage_id")
        }
        self.assertEqual(
            labels,
            {
                "date_disqualified": "Lost On",
                "disqualified_user_id": "Lost By",
                "disqualified_stage_id": "Lost From Stage",
            },
        )

    def test_lost_without_reason_keeps_working(self):
        opportunity = self._create_leads(type="opportunity")
        self._open_wizard("crm.lead.lost", opportunity).action_lost_reason_apply()
        self.assertFalse(opportunity.active)
        self.assertEqual(opportunity.qualification_event_ids.event, "disqualified")

    def test_reason_for_leads_only_is_refused(self):
        opportunity = self._create_leads(type="opportunity")
        with self.assertRaisesRegex(UserError, "applies to leads only"):
            self._open_wizard(
                "crm.lead.lost", opportunity, lost_reason_id=self.reason_spam.id
            ).action_lost_reason_apply()
        self.assertTrue(opportunity.active)

    def test_required_note_is_enforced(self):
        opportunity = self._create_leads(type="opportunity")
        canceled = self.env.ref("lead_qualification_plus.crm_lost_reason_canceled")
        wizard = self._open_wizard(
            "crm.lead.lost", opportunity, lost_reason_id=canceled.id, lost_feedback="<p><br></p>"
        )
        with self.assertRaisesRegex(UserError, "requires a note"):
            wizard.action_lost_reason_apply()
        self.assertTrue(opportunity.active)

    def test_lost_lead_is_disqualified(self):
        """Odoo's "Mark Lost" list action on a lead disqualifies it, with the same rules."""
        lead = self._create_leads()
        wizard = self._open_wizard("crm.lead.lost", lead, lost_reason_id=self.reason_cannot_contact.id)
        self.assertEqual(wizard.records_type, "lead")
        wizard.action_lost_reason_apply()
        self.assertEqual(lead.qualification_state, "disqualified")
        self.assertEqual(lead.reactivate_on, self.today + timedelta(days=90))

    def test_already_lost_is_refused(self):
        opportunity = self._create_leads(type="opportunity")
        self._open_wizard("crm.lead.lost", opportunity).action_lost_reason_apply()
        with self.assertRaisesRegex(UserError, "Already disqualified"):
            self._open_wizard("crm.lead.lost", opportunity).action_lost_reason_apply()

    def test_mixed_selection_offers_reasons_for_both(self):
        records = self._create_leads() + self._create_leads(type="opportunity")
        self.assertEqual(self._open_wizard("crm.lead.lost", records).records_type, "both")
