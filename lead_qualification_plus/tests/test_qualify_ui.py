from odoo.tests import HttpCase, tagged

from .common import QualifyCommon


@tagged("post_install", "-at_install")
class TestQualifyUi(HttpCase, QualifyCommon):
    def test_qualify_company_lead_with_b2b_profile(self):
        """A salesperson qualifying a lead of a company is offered the profile whose filter suits it, sees
        what will be created and which existing contact matched, and adjusts the opportunity."""
        b2b = self._profile(
            name="Tour B2B",
            sequence=1,
            lead_domain="[('partner_name', '!=', False)]",
            partner_policy="always",
            contact_policy="always",
            opportunity_policy="always",
        )
        self._profile(name="Tour quick deal", sequence=2, partner_policy="never")
        known = self.Partner.create({"name": "Tour Known Person", "email": "hanna@tour-desks.example.com"})
        lead = self._create_leads(
            name="Tour desks for a new office",
            partner_name="Tour Desk Company",
            contact_name="Hanna Tour",
            email_from="hanna@tour-desks.example.com",
        )
        self.start_tour("/odoo", "lqp_qualify_b2b_lead", login=self.user_salesman.login)
        self.assertEqual(lead.qualification_profile_id, b2b)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.name, "Tour 40 desks deal")
        self.assertEqual(lead.expected_revenue, 24000)
        self.assertEqual(lead.partner_id, known)
        company = self.Partner.search([("name", "=", "Tour Desk Company"), ("is_company", "=", True)])
        self.assertEqual(len(company), 1, "the company was created")
