from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import StakeholderCommon


class TestStakeholderSecurity(StakeholderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal = new_test_user(cls.env, login="lqp_test_portal", groups="base.group_portal")
        cls.own_lead = cls._create_leads(name="Own lead")
        cls.foreign_lead = cls._create_leads(name="Foreign lead", user_id=cls.user_salesman_all.id)
        cls.own_stakeholder = cls._add_stakeholder(cls.own_lead, cls.free_contact)
        cls.foreign_stakeholder = cls._add_stakeholder(cls.foreign_lead, cls.free_contact)
        cls.own_competitor = cls._add_competitor(cls.own_lead, cls.competitor_a)
        cls.foreign_competitor = cls._add_competitor(cls.foreign_lead, cls.competitor_a)

    def test_salesperson_sees_lines_of_own_leads_only(self):
        for model, own, foreign in (
            ("crm.lead.stakeholder", self.own_stakeholder, self.foreign_stakeholder),
            ("crm.lead.competitor", self.own_competitor, self.foreign_competitor),
        ):
            Lines = self.env[model].with_user(self.user_salesman)
            self.assertEqual(Lines.search([("id", "in", (own + foreign).ids)]), own)
            with self.assertRaises(AccessError):
                foreign.with_user(self.user_salesman).read(["note"])
            with self.assertRaises(AccessError):
                foreign.with_user(self.user_salesman).write({"note": "sneaky"})
            own.with_user(self.user_salesman).write({"note": "mine"})
        # Nor can a line be moved onto, or created on, a lead the salesperson may not read.
        with self.assertRaises(AccessError):
            self.env["crm.lead.stakeholder"].with_user(self.user_salesman).create(
                {"lead_id": self.foreign_lead.id, "partner_id": self.free_contact_2.id}
            )
        with self.assertRaises(AccessError):
            self.own_stakeholder.with_user(self.user_salesman).write(
                {"lead_id": self.foreign_lead.id, "partner_id": self.free_contact_2.id}
            )
        self.assertEqual(self.free_contact.with_user(self.user_salesman).stakeholder_lead_count, 1)

    def test_all_leads_salesperson_and_manager_see_all_lines(self):
        for user in (self.user_salesman_all, self.user_manager):
            stakeholders = (
                self.env["crm.lead.stakeholder"]
                .with_user(user)
                .search([("lead_id", "in", (self.own_lead + self.foreign_lead).ids)])
            )
            self.assertEqual(stakeholders, self.own_stakeholder + self.foreign_stakeholder)
            competitors = (
                self.env["crm.lead.competitor"]
                .with_user(user)
                .search([("lead_id", "in", (self.own_lead + self.foreign_lead).ids)])
            )
            self.assertEqual(competitors, self.own_competitor + self.foreign_competitor)
        self.assertEqual(self.free_contact.with_user(self.user_manager).stakeholder_lead_count, 2)

    def test_portal_sees_nothing(self):
        for model in (
            "crm.lead.stakeholder",
            "crm.lead.competitor",
            "crm.competitor",
            "crm.stakeholder.role",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.user_portal).search([])

    def test_master_data_managers_edit_salespeople_read(self):
        Competitor = self.env["crm.competitor"]
        Role = self.env["crm.stakeholder.role"]
        self.assertTrue(Competitor.with_user(self.user_salesman).search([("id", "=", self.competitor_a.id)]))
        self.assertTrue(Role.with_user(self.user_salesman).search([]))
        with self.assertRaises(AccessError):
            Competitor.with_user(self.user_salesman).create({"name": "Rogue Rival"})
        with self.assertRaises(AccessError):
            self.competitor_a.with_user(self.user_salesman).write({"strengths": "Everything"})
        with self.assertRaises(AccessError):
            Role.with_user(self.user_salesman).create({"name": "Gatekeeper"})
        Competitor.with_user(self.user_manager).create({"name": "Managed Rival", "strengths": "Price"})
        Role.with_user(self.user_manager).create({"name": "Gatekeeper"})


class TestStakeholderMultiCompany(StakeholderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create({"name": "LQP Second Company"})
        cls.competitor_main = cls.env["crm.competitor"].create(
            {"name": "Main Rival", "company_id": cls.company.id}
        )
        cls.competitor_2 = cls.env["crm.competitor"].create(
            {"name": "Second Rival", "company_id": cls.company_2.id}
        )
        cls.team_2 = cls.env["crm.team"].create({"name": "Second Team", "company_id": cls.company_2.id})
        cls.lead_2 = cls.env["crm.lead"].create(
            {"name": "Second company lead", "team_id": cls.team_2.id, "company_id": cls.company_2.id}
        )
        cls.stakeholder_2 = cls._add_stakeholder(cls.lead_2, cls.free_contact)
        cls.line_2 = cls._add_competitor(cls.lead_2, cls.competitor_2)

    def test_company_scoped_competitors(self):
        """Competitors of another company are hidden; shared ones (no company) are seen by all."""
        Competitor = self.env["crm.competitor"].with_user(self.user_manager)
        visible = Competitor.search(
            [("id", "in", (self.competitor_a + self.competitor_main + self.competitor_2).ids)]
        )
        self.assertEqual(visible, self.competitor_a + self.competitor_main)
        # Once allowed in the second company, the manager sees it there.
        self.user_manager.company_ids += self.company_2
        visible = Competitor.with_context(allowed_company_ids=[self.company.id, self.company_2.id]).search(
            [("id", "=", self.competitor_2.id)]
        )
        self.assertEqual(visible, self.competitor_2)

    def test_lines_follow_the_lead_company(self):
        self.assertEqual(self.stakeholder_2.company_id, self.company_2)
        self.assertFalse(
            self.env["crm.lead.stakeholder"]
            .with_user(self.user_manager)
            .search([("id", "=", self.stakeholder_2.id)])
        )
        self.assertFalse(
            self.env["crm.lead.competitor"].with_user(self.user_manager).search([("id", "=", self.line_2.id)])
        )

    def test_competitor_of_another_company_is_refused(self):
        lead = self._create_leads()
        with self.assertRaises(UserError):
            self._add_competitor(lead, self.competitor_2)
