from odoo import Command
from odoo.addons.lead_qualification_plus.tests.common import set_qualification_fields
from odoo.exceptions import ValidationError

from .common import OrderQualificationCommon


class TestOrderQualification(OrderQualificationCommon):
    def test_buyer_lead_qualified_by_partner(self):
        lead = self._create_leads(partner_id=self.buyer.id)
        order = self._confirm()
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(lead.qualification_profile_id, self.webshop_profile)
        self.assertEqual(lead.type, "lead", "the webshop profile never creates an opportunity")
        self.assertEqual(order.originating_lead_id, lead)
        event = lead.qualification_event_ids
        self.assertEqual(event.event, "qualified")
        self.assertIn(order.name, event.note)
        self.assertTrue(
            lead.message_ids.filtered(
                lambda message: "Qualified by order" in message.body and order.name in message.body
            ),
            "the lead's chatter says which order qualified it",
        )

    def test_buyer_lead_qualified_by_email_links_the_buyer(self):
        lead = self._lead_without_partner(email_from="bob.buyer@buyercorp.example.com")
        self._confirm()
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(lead.partner_id, self.buyer, "the buyer is linked, no duplicate contact is created")
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email_normalized", "=", "bob.buyer@buyercorp.example.com")]
            ),
            1,
        )

    def test_buyer_lead_qualified_by_phone(self):
        lead = self._lead_without_partner(email_from="someone.else@example.com", phone="+32470112233")
        self._confirm()
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(lead.partner_id, self.buyer)

    def test_email_match_wins_over_phone_match(self):
        by_email = self._lead_without_partner(email_from="bob.buyer@buyercorp.example.com")
        by_phone = self._lead_without_partner(email_from="other@example.com", phone="+32 470 11 22 33")
        self._confirm()
        self.assertEqual(by_email.qualification_state, "qualified")
        self.assertEqual(by_phone.qualification_state, "open")

    def test_no_matching_lead(self):
        other = self._create_leads(email_from="stranger@example.com", partner_name="Stranger Ltd")
        order = self._confirm()
        self.assertEqual(other.qualification_state, "open")
        self.assertFalse(order.originating_lead_id)

    def test_several_matches_oldest_first(self):
        first = self._create_leads(partner_id=self.buyer_company.id, name="Oldest")
        second = self._lead_without_partner(email_from="bob.buyer@buyercorp.example.com", name="Newest")
        order = self._confirm()
        self.assertEqual((first | second).mapped("qualification_state"), ["qualified", "qualified"])
        self.assertEqual(order.originating_lead_id, first)

    def test_opportunity_linked_and_won_with_the_order_amount(self):
        self.webshop_profile.web_order_set_won = True
        opportunity = self._create_leads(
            partner_id=self.buyer.id, type="opportunity", stage_id=self.stage_new.id
        )
        order = self._confirm()
        self.assertEqual(opportunity.qualification_state, "qualified")
        self.assertEqual(order.opportunity_id, opportunity)
        self.assertEqual(order.originating_lead_id, opportunity)
        self.assertEqual(opportunity.stage_id, self.stage_won)
        self.assertEqual(opportunity.expected_revenue, order.amount_untaxed)

    def test_lead_attribution_copied_to_the_order(self):
        campaign = self.env["utm.campaign"].create({"name": "Spring fair"})
        source = self.env["utm.source"].create({"name": "Fair booth"})
        medium = self.env.ref("utm.utm_medium_email")
        lead = self._create_leads(
            partner_id=self.buyer.id, campaign_id=campaign.id, source_id=source.id, medium_id=medium.id
        )
        order = self._confirm()
        self.assertEqual(order.originating_lead_id, lead)
        self.assertEqual((order.campaign_id, order.source_id, order.medium_id), (campaign, source, medium))

    def test_order_attribution_is_kept(self):
        own_source = self.env["utm.source"].create({"name": "Newsletter"})
        self._create_leads(
            partner_id=self.buyer.id, source_id=self.env["utm.source"].create({"name": "X"}).id
        )
        order = self._confirm(source_id=own_source.id)
        self.assertEqual(order.source_id, own_source)

    def test_confirming_again_after_cancel_qualifies_nothing_twice(self):
        lead = self._create_leads(partner_id=self.buyer.id)
        order = self._confirm()
        order._action_cancel()
        order.action_draft()
        order.action_confirm()
        self.assertEqual(len(lead.qualification_event_ids), 1)
        self.assertEqual(order.originating_lead_id, lead)

    def test_second_order_is_only_linked(self):
        lead = self._create_leads(partner_id=self.buyer.id)
        self._confirm()
        messages = len(lead.message_ids)
        second = self._confirm()
        self.assertEqual(second.originating_lead_id, lead)
        self.assertEqual(len(lead.qualification_event_ids), 1)
        self.assertEqual(len(lead.message_ids), messages, "a later order posts nothing on the lead")

    def test_backend_orders_do_not_qualify_by_default(self):
        self.company.backend_order_qualifies_leads = False
        lead = self._create_leads(partner_id=self.buyer.id)
        order = self._confirm()
        self.assertEqual(lead.qualification_state, "open")
        self.assertFalse(order.originating_lead_id)

    def test_feature_switched_off(self):
        self.company.order_qualifies_leads = False
        lead = self._create_leads(partner_id=self.buyer.id)
        self._confirm()
        self.assertEqual(lead.qualification_state, "open")

    def test_without_webshop_profile_the_buyer_is_only_linked(self):
        self.company.webshop_qualification_profile_id = False
        self.webshop_profile.use_for_webshop = False
        lead = self._lead_without_partner(email_from="bob.buyer@buyercorp.example.com")
        partners = self.env["res.partner"].search_count([])
        self._confirm()
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.partner_id, self.buyer)
        self.assertEqual(self.env["res.partner"].search_count([]), partners, "nothing is created")

    def test_failure_leaves_the_order_confirmed_and_asks_for_a_manual_qualification(self):
        # A profile that cannot be applied: it always wants a company, the buyer and the lead have none.
        self.webshop_profile.partner_policy = "always"
        individual = self.env["res.partner"].create({"name": "Ivy Individual", "email": "ivy@example.com"})
        lead = self._lead_without_partner(email_from="ivy@example.com")
        order = self._confirm(partner=individual)
        self.assertEqual(order.state, "sale")
        self.assertEqual(lead.qualification_state, "open")
        self.assertFalse(lead.qualification_event_ids)
        activity = lead.activity_ids
        self.assertEqual(activity.summary, "Qualify this lead by hand")
        self.assertEqual(activity.user_id, self.user_salesman)
        self.assertIn(order.name, activity.note)
        self.assertIn("no company name", activity.note)

    def test_leads_of_another_company_are_left_alone(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        lead = self._create_leads(
            partner_id=self.buyer.id, company_id=other_company.id, team_id=False, user_id=False
        )
        self._confirm()
        self.assertEqual(lead.qualification_state, "open")

    def test_closed_leads_are_left_alone(self):
        disqualified = self._create_leads(partner_id=self.buyer.id)
        set_qualification_fields(disqualified, {"qualification_state": "disqualified", "active": False})
        self._confirm()
        self.assertFalse(disqualified.qualification_event_ids)

    def test_confirmation_costs_few_queries_when_no_lead_matches(self):
        """Most orders have no lead: confirming one costs at most 10 queries more than without the feature."""
        self.company.order_qualifies_leads = False
        baseline_order = self._new_order()
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        baseline_order.action_confirm()
        self.env.flush_all()
        baseline = self.env.cr.sql_log_count - before
        self.company.order_qualifies_leads = True
        order = self._new_order()
        self.env.flush_all()
        with self.assertQueryCount(baseline + 10):
            order.action_confirm()
            self.env.flush_all()

    def test_transition_rules_do_not_hold_the_order_back(self):
        """A rule gating qualification (and one gating the won stage) does not block the automatic path."""
        self.webshop_profile.web_order_set_won = True
        Rule = self.env["crm.transition.rule"]
        budget = {"name": "Budget known", "kind": "domain", "domain": "[('expected_revenue', '>', 1000000)]"}
        Rule.create(
            {
                "name": "Qualify with a budget",
                "target": "qualify",
                "requirement_ids": [Command.create(budget)],
            }
        )
        Rule.create(
            {
                "name": "Win with a budget",
                "to_stage_id": self.stage_won.id,
                "requirement_ids": [Command.create(budget)],
            }
        )
        lead = self._create_leads(partner_id=self.buyer.id)
        opportunity = self._create_leads(partner_id=self.buyer.id, type="opportunity")
        with self.assertRaises(ValidationError):
            lead.with_user(self.user_salesman).qualify()
        order = self._confirm()
        self.assertEqual((lead | opportunity).mapped("qualification_state"), ["qualified", "qualified"])
        self.assertEqual(opportunity.stage_id, self.stage_won)
        self.assertEqual(order.originating_lead_id, lead)
