from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QualifyCommon


@tagged("post_install", "-at_install")
class TestQualifyWizard(QualifyCommon):
    def test_ticks_follow_the_profile(self):
        """always = ticked and locked, never = hidden, default_on / default_off = proposed, changeable."""
        profile = self._profile(
            partner_policy="never",
            contact_policy="always",
            opportunity_policy="default_on",
        )
        lead = self._create_leads()
        form = self._open_wizard("crm.lead.qualify", lead, user=self.user_salesman, form=True)
        self.assertEqual(form.profile_id, profile)
        self.assertFalse(form.create_partner)
        self.assertTrue(form.create_contact)
        self.assertTrue(form.create_opportunity)
        self.assertTrue(form._get_modifier("create_partner", "invisible"))
        self.assertTrue(form._get_modifier("create_contact", "readonly"))
        self.assertFalse(form._get_modifier("create_opportunity", "readonly"))
        form.create_opportunity = False
        action = form.save().action_qualify()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("res.partner", lead.partner_id.id),
            "ends on the contact",
        )
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertFalse(lead.partner_id.parent_id, "no company")

    def test_profile_change_among_suitable(self):
        other_team = self.env["crm.team"].create({"name": "Other Team"})
        first = self._profile(name="First", sequence=1, partner_policy="default_off")
        second = self._profile(name="Second", sequence=2, partner_policy="always")
        unsuited = self._profile(name="Unsuited", team_ids=[(6, 0, other_team.ids)])
        form = self._open_wizard("crm.lead.qualify", self._create_leads(), user=self.user_salesman, form=True)
        self.assertEqual(form.profile_id, first)
        self.assertFalse(form.create_partner)
        suitable = form.suitable_profile_ids
        self.assertIn(second, suitable)
        self.assertNotIn(unsuited, suitable)
        form.profile_id = second
        self.assertTrue(form.create_partner)
        self.assertTrue(form._get_modifier("create_partner", "readonly"))

    def test_link_best_match_or_create(self):
        company = self.Partner.create({"name": "Company 0", "is_company": True})
        contact = self.Partner.create({"name": "Known", "email": "contact0@company0.example.com"})
        lead = self._create_leads()
        form = self._open_wizard("crm.lead.qualify", lead, user=self.user_salesman, form=True)
        self.assertEqual(form.company_link_id, company)
        self.assertEqual(form.contact_link_id, contact)
        form.contact_link_id = self.Partner
        action = form.save().action_qualify()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("crm.lead", lead.id), "ends on the opportunity"
        )
        self.assertNotEqual(lead.partner_id, contact, "a new contact was created")
        self.assertEqual(lead.partner_id.parent_id, company, "the company was linked")

    def test_mass_from_list(self):
        leads = self._create_leads(3)
        leads[2].partner_name = False
        form = self._open_wizard("crm.lead.qualify", leads, user=self.user_salesman, form=True)
        self.assertEqual(form.lead_count, 3)
        self.assertTrue(form.create_partner)
        action = form.save().action_qualify()
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(set(action["domain"][0][2]), set(leads.ids))
        self.assertEqual(set(leads.mapped("qualification_state")), {"qualified"})
        self.assertFalse(leads[2].partner_id.parent_id, "the lead without company name gets a contact only")

    def test_mixed_profiles(self):
        other_team = self.env["crm.team"].create(
            {"name": "Other Team", "member_ids": [(4, self.user_salesman.id)]}
        )
        quick = self._profile(name="Quick", team_ids=[(6, 0, self.team.ids)], opportunity_policy="never")
        b2b = self._profile(name="B2B", team_ids=[(6, 0, other_team.ids)])
        leads = self._create_leads() | self._create_leads(team_id=other_team.id)
        form = self._open_wizard("crm.lead.qualify", leads, user=self.user_salesman, form=True)
        self.assertTrue(form.mixed_profiles)
        self.assertFalse(form.profile_id)
        form.save().action_qualify()
        self.assertEqual(leads.mapped("qualification_profile_id"), quick | b2b)
        self.assertEqual(leads.mapped("type"), ["lead", "opportunity"])

    def test_profile_with_lead_filter_offered_on_open(self):
        """The dialog opens on the first profile whose lead filter suits the lead, and offers it among the
        others, for one lead as for a mass qualification."""
        b2b = self._profile(name="B2B", sequence=1, lead_domain="[('partner_name', '!=', False)]")
        quick = self._profile(name="Quick", sequence=2, partner_policy="never")
        lead = self._create_leads()
        form = self._open_wizard("crm.lead.qualify", lead, user=self.user_salesman, form=True)
        self.assertEqual(form.profile_id, b2b)
        self.assertEqual({profile.id for profile in form.suitable_profile_ids}, {b2b.id, quick.id})
        leads = self._create_leads(2)
        form = self._open_wizard("crm.lead.qualify", leads, user=self.user_salesman, form=True)
        self.assertEqual(form.profile_id, b2b)
        self.assertEqual({profile.id for profile in form.suitable_profile_ids}, {b2b.id, quick.id})
        person = self._create_leads(partner_name=False)
        self.assertEqual(
            [
                profile.id
                for profile in self._open_wizard(
                    "crm.lead.qualify", person, user=self.user_salesman, form=True
                ).suitable_profile_ids
            ],
            quick.ids,
        )

    def test_adjust_the_opportunity_before_confirming(self):
        """The dialog proposes the lead's name, revenue, team and salesperson; what the user changes is what
        the opportunity gets."""
        self._profile(opportunity_policy="always")
        lead = self._create_leads(expected_revenue=1000)
        form = self._open_wizard("crm.lead.qualify", lead, user=self.user_salesman, form=True)
        self.assertEqual(form.opportunity_name, lead.name)
        self.assertEqual(form.expected_revenue, 1000)
        self.assertEqual(form.team_id, self.team)
        self.assertEqual(form.user_id, self.user_salesman)
        form.opportunity_name = "Forty desks"
        form.expected_revenue = 24000
        form.user_id = self.user_salesman_all
        form.save().action_qualify()
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual((lead.name, lead.expected_revenue), ("Forty desks", 24000))
        self.assertEqual(lead.user_id, self.user_salesman_all)

    def test_refused_qualification_keeps_the_lead_as_it_was(self):
        self._profile(opportunity_policy="always")
        lead = self._create_leads(expected_revenue=1000)
        form = self._open_wizard("crm.lead.qualify", lead, user=self.user_salesman, form=True)
        form.opportunity_name = "Forty desks"
        form.expected_revenue = 24000
        wizard = form.save()
        lead.type = "opportunity"  # converted meanwhile, by someone else
        # not assertRaises: it rolls back to a savepoint of its own, which would hide what the wizard leaves
        try:
            wizard.action_qualify()
        except UserError:
            pass
        else:
            self.fail("qualifying an opportunity must be refused")
        self.assertEqual((lead.name, lead.expected_revenue), ("Lead 0", 1000))

    def test_duplicates_say_why_they_match(self):
        company = self.Partner.create({"name": "Company 0", "is_company": True, "vat": "BE0477472701"})
        contact = self.Partner.create(
            {"name": "Known", "email": "contact0@company0.example.com", "parent_id": company.id}
        )
        lead = self._create_leads(vat="BE0477472701")
        form = self._open_wizard("crm.lead.qualify", lead, user=self.user_salesman, form=True)
        self.assertIn(company, form.company_match_ids)
        self.assertIn(contact, form.contact_match_ids)
        wizard = form.save()
        self.assertEqual(wizard._match_reasons(company), ["email", "VAT", "company name"])
        self.assertEqual(
            wizard._match_reasons(contact), ["email", "VAT"], "a contact shares its company's VAT"
        )
        self.assertIn("Links the existing company", wizard.summary_html)
