from odoo.addons.lead_qualification_plus.tests.common import QualifyCommon
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestQualifyQuotation(QualifyCommon):
    """Qualifying creates the lead's quotation, as its profile and the user decide."""

    def test_quotation_without_opportunity(self):
        """A quotation without opportunity: the lead stays a qualified lead, not archived; the quotation
        carries the lead's UTM, origin, team, salesperson and originating lead."""
        campaign = self.env["utm.campaign"].create({"name": "Spring"})
        lead = self._create_leads(campaign_id=campaign.id)
        profile = self._profile(
            partner_policy="never", opportunity_policy="default_off", sale_order_policy="always"
        )
        [result] = self._qualify(lead, profile_id=profile.id)
        order = self.env["sale.order"].browse(result["sale_order_id"])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id.id, result["contact_id"])
        self.assertEqual(order.origin, lead.name)
        self.assertEqual(order.campaign_id, campaign)
        self.assertEqual(order.team_id, self.team)
        self.assertEqual(order.user_id, self.user_salesman)
        self.assertEqual(order.originating_lead_id, lead)
        self.assertFalse(order.opportunity_id)
        self.assertFalse(result["opportunity_id"])
        self.assertFalse(result["partner_id"])
        self.assertEqual(lead.type, "lead")
        self.assertTrue(lead.active)
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(lead.qualification_profile_id, profile)

    def test_quotation_with_opportunity(self):
        profile = self._profile(sale_order_policy="default_on")
        lead = self._create_leads()
        [result] = self._qualify(lead)
        order = self.env["sale.order"].browse(result["sale_order_id"])
        self.assertEqual(order.opportunity_id, lead)
        self.assertEqual(order.originating_lead_id, lead)
        self.assertEqual(lead.qualification_profile_id, profile)
        self.assertEqual(lead.quotation_count, 1)

    def test_quotation_policy_combinations(self):
        """Every policy of the quotation with every choice (profile default, ticked, unticked); a quotation
        needs a customer: the contact is always created."""
        self._assert_policy_combinations("sale_order", contact="always")

    def test_quotation_of_the_lead_company(self):
        """A quotation belongs to the lead's company, as its company and contact do."""
        profile_b, user_b, lead_b = self._other_company_lead(sale_order_policy="always")
        [result] = lead_b.with_user(user_b).qualify()
        self.assertEqual(lead_b.qualification_profile_id, profile_b)
        order = self.env["sale.order"].browse(result["sale_order_id"])
        self.assertEqual(order.company_id, profile_b.company_id)
        self.assertEqual(order.partner_id.id, result["contact_id"])


@tagged("post_install", "-at_install")
class TestQualifyQuotationRefusals(QualifyCommon):
    """A refused qualification creates no quotation either."""

    def _assert_unchanged(self, leads, partner_count, order_count):
        self.assertEqual(set(leads.mapped("qualification_state")), {"open"})
        self.assertFalse(leads.qualification_event_ids)
        self.assertEqual(self.Partner.search_count([]), partner_count)
        self.assertEqual(self.env["sale.order"].search_count([]), order_count)

    def test_mass_all_or_nothing(self):
        """One lead that cannot get its company stops the whole run: no quotation for the others."""
        leads = self._create_leads(5)
        leads[3].partner_name = False
        partners, orders = self.Partner.search_count([]), self.env["sale.order"].search_count([])
        with self.assertRaisesRegex(UserError, "Lead 3"):
            self._qualify(leads, create_partner=True, create_sale_order=True)
        self._assert_unchanged(leads, partners, orders)

    def test_policy_refusals(self):
        self._profile(partner_policy="always", sale_order_policy="never")
        leads = self._create_leads(2)
        partners, orders = self.Partner.search_count([]), self.env["sale.order"].search_count([])
        with self.assertRaisesRegex(UserError, "never creates a quotation"):
            self._qualify(leads, create_sale_order=True)
        self._assert_unchanged(leads, partners, orders)
