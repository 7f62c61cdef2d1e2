from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import QualifyCommon, set_qualification_fields


@tagged("post_install", "-at_install")
class TestQualify(QualifyCommon):
    def test_builtin_behaviour(self):
        """Without any profile, qualifying does what Odoo's conversion does: company, contact, opportunity."""
        lead = self._create_leads(vat="BE0477472701", phone="+32 470 11 22 33", medium_id=False)
        [result] = self._qualify(lead)
        company = self.Partner.browse(result["partner_id"])
        contact = self.Partner.browse(result["contact_id"])
        self.assertEqual(result["lead_id"], lead.id)
        self.assertEqual(result["opportunity_id"], lead.id)
        self.assertFalse(result["sale_order_id"])
        self.assertTrue(company.is_company)
        self.assertEqual(company.name, "Company 0")
        self.assertEqual(company.vat, "BE0477472701")
        self.assertFalse(company.email, "person fields stay on the contact")
        self.assertEqual(contact.name, "Contact 0")
        self.assertEqual(contact.parent_id, company)
        self.assertEqual(contact.email, "contact0@company0.example.com")
        self.assertEqual((company | contact).originating_lead_id, lead)
        self.assertEqual((company | contact).company_id, self.company)
        self.assertEqual(lead.type, "opportunity")
        self.assertTrue(lead.active)
        self.assertEqual(lead.partner_id, contact)
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertFalse(lead.qualification_profile_id)
        self.assertEqual(lead.qualified_user_id, self.user_salesman)
        self.assertTrue(lead.date_qualified)
        self.assertEqual(lead.qualification_event_ids.event, "qualified")
        [message] = lead.message_ids.filtered(lambda message: "Lead qualified" in (message.body or ""))
        self.assertIn(f'data-oe-id="{company.id}"', message.body)
        self.assertIn(f'data-oe-id="{contact.id}"', message.body)

    def test_opportunity_defaults(self):
        """The profile's team, salesperson and stage go to the opportunity."""
        other_team = self.env["crm.team"].create(
            {"name": "Key Accounts", "member_ids": [(4, self.user_manager.id)]}
        )
        stage = self.env["crm.stage"].create({"name": "Key Qualified", "team_id": other_team.id})
        self._profile(
            opportunity_team_id=other_team.id,
            opportunity_user_id=self.user_manager.id,
            opportunity_stage_id=stage.id,
        )
        lead = self._create_leads()
        self._qualify(lead)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.team_id, other_team)
        self.assertEqual(lead.user_id, self.user_manager)
        self.assertEqual(lead.stage_id, stage)

    def test_policy_combinations(self):
        """Every policy of every kind with every choice (profile default, ticked, unticked)."""
        for kind in ("partner", "contact", "opportunity"):
            self._assert_policy_combinations(kind)

    def test_profile_matching(self):
        """The first active profile by sequence whose company, teams and domain suit the lead, then the
        company default, then the built-in behaviour."""
        other_team = self.env["crm.team"].create({"name": "Other Team"})
        by_team = self._profile(name="Other team", sequence=1, team_ids=[(6, 0, other_team.ids)])
        by_domain = self._profile(name="Acme", sequence=2, lead_domain="[('partner_name', 'ilike', 'acme')]")
        by_our_team = self._profile(name="Our team", sequence=3, team_ids=[(6, 0, self.team.ids)])
        default = self._profile(name="Default", sequence=99, lead_domain="[('id', '=', 0)]")
        acme, other, ours, plain = (
            self._create_leads(partner_name="ACME Corp")
            | self._create_leads(team_id=other_team.id)
            | self._create_leads()
            | self._create_leads(team_id=False)
        )
        profiles = (acme | other | ours | plain)._get_qualification_profiles()
        self.assertEqual(profiles[acme.id], by_domain)
        self.assertEqual(profiles[other.id], by_team)
        self.assertEqual(profiles[ours.id], by_our_team)
        self.assertFalse(profiles[plain.id], "no profile suits: the built-in behaviour")
        self.company.qualification_profile_id = default
        self.assertEqual(plain._get_qualification_profiles()[plain.id], default)
        by_domain.sequence = 10
        self.assertEqual(acme._get_qualification_profiles()[acme.id], by_our_team)
        by_our_team.action_archive()
        self.assertEqual(acme._get_qualification_profiles()[acme.id], by_domain)

    def test_lead_domain_evaluation(self):
        """The domain widget's expressions evaluate; an invalid domain is refused."""
        mine = self._profile(
            lead_domain="[('user_id', '=', uid), "
            "('create_date', '<=', context_today().strftime('%Y-%m-%d 23:59:59'))]"
        )
        lead = self._create_leads()
        self.assertEqual(lead.with_user(self.user_salesman)._get_qualification_profiles()[lead.id], mine)
        self.assertFalse(lead.with_user(self.user_salesman_all)._get_qualification_profiles()[lead.id])
        with self.assertRaises(ValidationError):
            self._profile(lead_domain="[('no_such_field', '=', 1)]")

    def test_explicit_profile_must_suit(self):
        other_team = self.env["crm.team"].create({"name": "Other Team"})
        profile = self._profile(team_ids=[(6, 0, other_team.ids)])
        lead = self._create_leads()
        with self.assertRaisesRegex(UserError, "does not suit"):
            self._qualify(lead, profile_id=profile.id)
        self.assertEqual(lead.qualification_state, "open")

    def test_company_name_required(self):
        """A company asked for needs a company name; a proposed one is simply skipped."""
        lead = self._create_leads(partner_name=False)
        with self.assertRaisesRegex(UserError, "no company name"):
            self._qualify(lead, create_partner=True)
        self.assertEqual(lead.qualification_state, "open")
        [result] = self._qualify(lead)
        self.assertFalse(result["partner_id"])
        self.assertFalse(self.Partner.browse(result["contact_id"]).parent_id)


@tagged("post_install", "-at_install")
class TestQualifyDuplicates(QualifyCommon):
    def test_match_by_email(self):
        existing = self.Partner.create(
            {"name": "Existing", "email": '"Someone" <Contact0@Company0.example.com>'}
        )
        lead = self._create_leads()
        count = self.Partner.search_count([])
        [result] = self._qualify(lead)
        self.assertEqual(result["contact_id"], existing.id)
        self.assertEqual(self.Partner.search_count([]), count + 1, "only the company is created")
        self.assertEqual(lead.partner_id, existing)
        self.assertIn("Contact linked", lead.message_ids[0].body)

    def test_match_company_through_contact(self):
        company = self.Partner.create({"name": "Other name", "is_company": True})
        contact = self.Partner.create(
            {"name": "C", "email": "contact0@company0.example.com", "parent_id": company.id}
        )
        [result] = self._qualify(self._create_leads())
        self.assertEqual(result["partner_id"], company.id)
        self.assertEqual(result["contact_id"], contact.id)

    def test_match_by_vat(self):
        company = self.Partner.create(
            {"name": "Registered Name SA", "is_company": True, "vat": "BE0477472701"}
        )
        [result] = self._qualify(self._create_leads(vat="BE0477472701"))
        self.assertEqual(result["partner_id"], company.id)
        contact = self.Partner.browse(result["contact_id"])
        self.assertEqual(contact.originating_lead_id.id, result["lead_id"], "the contact is created")
        self.assertEqual(contact.parent_id, company)

    def test_match_by_phone(self):
        existing = self.Partner.create({"name": "Phone Person", "mobile": "+32 470 99 88 77"})
        [result] = self._qualify(self._create_leads(email_from=False, mobile="+32 470 99 88 77"))
        self.assertEqual(result["contact_id"], existing.id)

    def test_match_by_company_name(self):
        company = self.Partner.create({"name": "Company 0", "is_company": True})
        self.Partner.create({"name": "Company 0 Ltd", "is_company": True})
        [result] = self._qualify(self._create_leads())
        self.assertEqual(result["partner_id"], company.id)
        self.assertEqual(self.Partner.browse(result["contact_id"]).parent_id, company)

    def test_match_within_lead_company(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        self.Partner.create({"name": "Company 0", "is_company": True, "company_id": other_company.id})
        [result] = self._qualify(self._create_leads())
        self.assertEqual(self.Partner.browse(result["partner_id"]).originating_lead_id.id, result["lead_id"])

    def test_match_disabled(self):
        self._profile(match_existing_partners=False)
        existing = self.Partner.create({"name": "Existing", "email": "contact0@company0.example.com"})
        [result] = self._qualify(self._create_leads())
        self.assertNotEqual(result["contact_id"], existing.id)

    def test_mass_shared_emails(self):
        """200 leads sharing 50 emails and companies: 50 companies, 50 contacts, never twice."""
        leads = self.env["crm.lead"]
        for index in range(4):
            leads |= self._create_leads(50, name=f"Batch {index}")
        for position, lead in enumerate(leads):
            lead.write(
                {
                    "email_from": f"buyer{position % 50}@shared.example.com",
                    "partner_name": f"Shared {position % 50}",
                }
            )
        self.Partner.create({"name": "Known buyer", "email": "buyer0@shared.example.com"})
        results = self._qualify(leads)
        self.assertEqual(len(results), 200)
        contacts = self.Partner.browse({result["contact_id"] for result in results})
        companies = self.Partner.browse({result["partner_id"] for result in results})
        self.assertEqual(len(contacts), 50)
        self.assertEqual(len(companies), 50)
        self.assertEqual(len(contacts.filtered("originating_lead_id")), 49, "one contact existed")
        self.assertEqual(set(leads.mapped("qualification_state")), {"qualified"})
        self.assertEqual(set(leads.mapped("type")), {"opportunity"})
        self.assertEqual(len(leads.qualification_event_ids), 200)


@tagged("post_install", "-at_install")
class TestQualifyRefusals(QualifyCommon):
    def _assert_unchanged(self, leads, partner_count):
        self.assertEqual(set(leads.mapped("qualification_state")), {"open"})
        self.assertEqual(set(leads.mapped("type")), {"lead"})
        self.assertFalse(leads.qualification_event_ids)
        self.assertEqual(self.Partner.search_count([]), partner_count)

    def test_refuse_qualified_and_disqualified(self):
        leads = self._create_leads(3)
        set_qualification_fields(leads[1], {"qualification_state": "qualified"})
        set_qualification_fields(leads[2], {"qualification_state": "disqualified"})
        partners = self.Partner.search_count([])
        with self.assertRaises(UserError) as caught:
            self._qualify(leads)
        self.assertIn("Lead 1", str(caught.exception))
        self.assertIn("Lead 2", str(caught.exception))
        self.assertNotIn("Lead 0", str(caught.exception))
        self._assert_unchanged(leads[0], partners)

    def test_mass_all_or_nothing(self):
        """One lead that cannot get its company stops the whole run."""
        leads = self._create_leads(5)
        leads[3].partner_name = False
        partners = self.Partner.search_count([])
        with self.assertRaisesRegex(UserError, "Lead 3"):
            self._qualify(leads, create_partner=True)
        self._assert_unchanged(leads, partners)

    def test_policy_refusals(self):
        self._profile(partner_policy="always", contact_policy="never")
        leads = self._create_leads(2)
        partners = self.Partner.search_count([])
        with self.assertRaisesRegex(UserError, "never creates a contact"):
            self._qualify(leads, create_contact=True)
        with self.assertRaisesRegex(UserError, "always creates a company"):
            self._qualify(leads, create_partner=False)
        self._assert_unchanged(leads, partners)

    def test_refuse_opportunities_and_lost(self):
        opportunity = self._create_leads(type="opportunity")
        lost = self._create_leads(active=False)
        with self.assertRaisesRegex(UserError, "already opportunities"):
            self._qualify(opportunity)
        with self.assertRaisesRegex(UserError, "Lost or won"):
            self._qualify(lost)


@tagged("post_install", "-at_install")
class TestQualifyAccess(QualifyCommon):
    def test_salesperson_cannot_configure_profiles(self):
        profile = self._profile()
        Profile = self.Profile.with_user(self.user_salesman)
        self.assertEqual(Profile.browse(profile.id).name, "Test profile", "salespeople read profiles")
        with self.assertRaises(AccessError):
            Profile.create({"name": "Mine"})
        with self.assertRaises(AccessError):
            Profile.browse(profile.id).write({"partner_policy": "always"})
        manager_profile = self.Profile.with_user(self.user_manager).create({"name": "Managed"})
        manager_profile.write({"partner_policy": "always"})
        manager_profile.unlink()

    def test_qualify_only_writable_leads(self):
        lead = self._create_leads(user_id=self.user_manager.id)
        with self.assertRaises(AccessError):
            self._qualify(lead)
        self.assertEqual(lead.qualification_state, "open")
        self._qualify(lead, user=self.user_salesman_all)
        self.assertEqual(lead.qualification_state, "qualified")

    def test_multi_company(self):
        """Profiles are company-scoped; what is created belongs to the lead's company."""
        profile_b, user_b, lead_b = self._other_company_lead()
        lead_a = self._create_leads()
        self.assertFalse(self.Profile.with_user(self.user_salesman).search([("id", "=", profile_b.id)]))
        self.assertFalse(lead_a._get_qualification_profiles()[lead_a.id])
        [result] = lead_b.with_user(user_b).qualify()
        self.assertEqual(lead_b.qualification_profile_id, profile_b)
        partners = self.Partner.browse([result["partner_id"], result["contact_id"]])
        self.assertEqual(partners.company_id, profile_b.company_id)
        with self.assertRaises(UserError):
            self._qualify(lead_a, profile_id=profile_b.id)


class TestNativeConversion(QualifyCommon):
    def test_convert_to_opportunity_qualifies_the_lead(self):
        """Odoo's own Convert to Opportunity wizard leaves no unqualified opportunity behind."""
        lead = self._create_leads()
        wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_user(self.user_salesman)
            .with_context(active_model="crm.lead", active_id=lead.id, active_ids=lead.ids)
            .create({"name": "convert", "action": "create"})
        )
        wizard.action_apply()
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(lead.qualified_user_id, self.user_salesman)
        self.assertEqual(lead.qualification_event_ids.event, "qualified")


class TestQualifyStakeholders(QualifyCommon):
    def _lead_with_stakeholder(self):
        lead = self._create_leads()
        self.stakeholder = self.env["res.partner"].create({"name": "Dora Decider"})
        role = self.env["crm.stakeholder.role"].search([("is_decision_maker", "=", True)], limit=1)
        lead.stakeholder_ids = [Command.create({"partner_id": self.stakeholder.id, "role_id": role.id})]
        return lead

    def test_stakeholders_join_the_created_company(self):
        lead = self._lead_with_stakeholder()
        result = self._qualify(lead)
        company = self.env["res.partner"].browse(result[0]["partner_id"])
        self.assertTrue(company.is_company)
        self.assertEqual(self.stakeholder.parent_id, company)
        self.assertEqual(
            lead.stakeholder_ids.partner_id, self.stakeholder, "the line stays on the opportunity"
        )

    def test_profile_can_keep_stakeholders_apart(self):
        self._profile(stakeholders_join_company=False)
        lead = self._lead_with_stakeholder()
        self._qualify(lead)
        self.assertFalse(self.stakeholder.parent_id)
