from odoo.tests import HttpCase, tagged

from .common import LeadQualificationCommon


@tagged("post_install", "-at_install")
class TestUi(HttpCase, LeadQualificationCommon):
    def test_salesperson_opens_pipeline(self):
        """A salesperson opens the CRM app in a real browser and finds their lead in the Leads list."""
        self._create_leads(name="Tour lead from the harness")
        self.start_tour("/odoo", "lqp_open_pipeline", login=self.user_salesman.login)


@tagged("post_install", "-at_install")
class TestStakeholdersUi(HttpCase, LeadQualificationCommon):
    def test_salesperson_adds_stakeholder_and_competitor(self):
        """A salesperson adds a stakeholder with a role and a competitor on a lead, inline in the form."""
        lead = self._create_leads(name="Stakeholder tour lead")
        contact = self.env["res.partner"].create({"name": "Tina Tourist"})
        competitor = self.env["crm.competitor"].create({"name": "Tour Rival"})
        self.start_tour("/odoo", "lqp_stakeholders", login=self.user_salesman.login)
        self.assertEqual(lead.stakeholder_ids.partner_id, contact)
        self.assertEqual(
            lead.stakeholder_ids.role_id,
            self.env.ref("lead_qualification_plus.crm_stakeholder_role_economic_buyer"),
        )
        self.assertEqual(lead.decision_maker_count, 1)
        self.assertEqual(lead.competitor_ids.competitor_id, competitor)
        self.assertEqual(lead.competitor_ids.threat_level, "high")
