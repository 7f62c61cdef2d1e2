from psycopg2 import IntegrityError

from odoo import Command
from odoo.service.model import _as_validation_error
from odoo.tools import mute_logger

from .common import StakeholderCommon


class TestStakeholders(StakeholderCommon):
    def test_roles_are_installed(self):
        roles = self.env["crm.stakeholder.role"].search([])
        for name in (
            "Decision maker",
            "Economic buyer",
            "Influencer",
            "Champion",
            "Technical evaluator",
            "Legal advisor",
            "Board member",
            "Project lead",
        ):
            self.assertIn(name, roles.mapped("name"))
        self.assertTrue(self.role_decision_maker.is_decision_maker)
        self.assertFalse(self.role_influencer.is_decision_maker)

    def test_create_stakeholders_and_counts(self):
        lead = self._create_leads()
        self.assertEqual((lead.stakeholder_count, lead.decision_maker_count), (0, 0))
        lead.write(
            {
                "stakeholder_ids": [
                    Command.create(
                        {
                            "partner_id": self.free_contact.id,
                            "role_id": self.role_decision_maker.id,
                            "influence": "high",
                            "attitude": "champion",
                            "note": "Signs the contract",
                        }
                    ),
                    Command.create(
                        {"partner_id": self.free_contact_2.id, "role_id": self.role_influencer.id}
                    ),
                ]
            }
        )
        self.assertEqual((lead.stakeholder_count, lead.decision_maker_count), (2, 1))
        line = lead.stakeholder_ids.filtered(lambda s: s.partner_id == self.free_contact_2)
        self.assertEqual((line.influence, line.attitude), ("medium", "neutral"))
        # The count follows the configuration of the roles, and is searchable (stored).
        self.role_influencer.is_decision_maker = True
        self.assertEqual(lead.decision_maker_count, 2)
        self.role_influencer.is_decision_maker = False
        self.assertEqual(
            self.env["crm.lead"].search([("id", "=", lead.id), ("decision_maker_count", ">", 0)]), lead
        )
        lead.stakeholder_ids.filtered("is_decision_maker").unlink()
        self.assertEqual(lead.decision_maker_count, 0)
        self.assertEqual(
            self.env["crm.lead"].search([("id", "=", lead.id), ("decision_maker_count", "=", 0)]), lead
        )

    def test_copy_keeps_stakeholders_and_competitors(self):
        lead = self._create_leads()
        self._add_stakeholder(lead, self.free_contact, self.role_decision_maker)
        self._add_competitor(lead, self.competitor_a)
        lead.lost_to_competitor_id = self.competitor_a
        copy = lead.copy()
        self.assertEqual(copy.stakeholder_ids.partner_id, self.free_contact)
        self.assertEqual(copy.decision_maker_count, 1)
        self.assertEqual(copy.competitor_ids.competitor_id, self.competitor_a)
        self.assertFalse(copy.lost_to_competitor_id)

    def test_contact_once_per_lead(self):
        lead = self._create_leads()
        self._add_stakeholder(lead, self.free_contact)
        # The same contact on another lead is fine.
        self._add_stakeholder(self._create_leads(), self.free_contact)
        with self.assertRaises(IntegrityError) as caught, mute_logger("odoo.sql_db"):
            self._add_stakeholder(lead, self.free_contact, self.role_influencer)
            self.env.flush_all()
        # What the user reads (Odoo turns the violation into this message over RPC).
        self.assertIn("already a stakeholder", str(_as_validation_error(self.env, caught.exception)))

    def test_partner_stakeholder_in(self):
        leads = self._create_leads(2)
        lost = self._create_leads(name="Lost one")
        for lead in leads + lost:
            self._add_stakeholder(lead, self.free_contact)
        lost.action_set_lost()
        partner = self.free_contact.with_user(self.user_salesman)
        self.assertEqual(partner.stakeholder_lead_count, 3)
        self.assertEqual(self.free_contact_2.stakeholder_lead_count, 0)
        action = partner.action_view_stakeholder_leads()
        found = (
            self.env["crm.lead"]
            .with_user(self.user_salesman)
            .with_context(active_test=False)
            .search(action["domain"])
        )
        self.assertEqual(found, leads + lost)


class TestAttachStakeholdersToCompany(StakeholderCommon):
    def test_contacts_without_company_join_the_lead_company(self):
        lead = self._create_leads(partner_id=self.customer_contact.id)
        self._add_stakeholder(lead, self.free_contact, self.role_decision_maker)
        self._add_stakeholder(lead, self.employed_contact)
        attached = lead._attach_stakeholders_to_company()
        self.assertEqual(attached, self.free_contact)
        self.assertEqual(self.free_contact.parent_id, self.customer)
        # A contact of another company stays there; the lines stay on the lead.
        self.assertEqual(self.employed_contact.parent_id, self.other_company)
        self.assertEqual(lead.stakeholder_ids.partner_id, self.free_contact + self.employed_contact)

    def test_partner_is_the_company_itself(self):
        lead = self._create_leads(partner_id=self.customer.id)
        self._add_stakeholder(lead, self.free_contact)
        lead._attach_stakeholders_to_company()
        self.assertEqual(self.free_contact.parent_id, self.customer)

    def test_no_company_no_change(self):
        without_partner = self._create_leads()
        individual = self.env["res.partner"].create({"name": "Ivy Individual"})
        with_individual = self._create_leads(partner_id=individual.id)
        self._add_stakeholder(without_partner, self.free_contact)
        self._add_stakeholder(with_individual, self.free_contact_2)
        self.assertFalse((without_partner + with_individual)._attach_stakeholders_to_company())
        self.assertFalse((self.free_contact + self.free_contact_2).parent_id)

    def test_batch_first_lead_wins(self):
        lead_customer = self._create_leads(partner_id=self.customer.id)
        lead_other = self._create_leads(partner_id=self.other_company.id)
        self._add_stakeholder(lead_customer, self.free_contact)
        self._add_stakeholder(lead_other, self.free_contact)
        self._add_stakeholder(lead_other, self.free_contact_2)
        (lead_customer + lead_other)._attach_stakeholders_to_company()
        self.assertEqual(self.free_contact.parent_id, self.customer)
        self.assertEqual(self.free_contact_2.parent_id, self.other_company)

    def _count_queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _attach_overhead(self, lead_count):
        """Queries of the method beyond Odoo's own cost of writing the contacts' parent."""
        leads = self._create_leads(lead_count, partner_id=self.customer.id)
        contacts = self.env["res.partner"].create(
            [{"name": f"Contact {index}"} for index in range(lead_count)]
        )
        for lead, contact in zip(leads, contacts, strict=True):
            self._add_stakeholder(lead, contact)
        others = self.env["res.partner"].create([{"name": f"Other {index}"} for index in range(lead_count)])
        attach_count = self._count_queries(leads._attach_stakeholders_to_company)
        write_count = self._count_queries(lambda: others.write({"parent_id": self.customer.id}))
        self.assertEqual(contacts.parent_id, self.customer)
        return attach_count - write_count

    def test_batch_query_count_does_not_grow_with_leads(self):
        """Reading the leads, stakeholders and companies costs the same for 2 leads as for 10.

        (Odoo's ``res.partner.write`` itself syncs each contact one by one; that part is subtracted.)
        """
        self._attach_overhead(1)  # warm-up: caches of the registry and the rules
        self.assertLessEqual(self._attach_overhead(10), self._attach_overhead(2))

    def test_salesperson_runs_it_with_own_rights(self):
        self.user_salesman.groups_id += self.env.ref("base.group_partner_manager")
        lead = self._create_leads(partner_id=self.customer.id)
        self._add_stakeholder(lead, self.free_contact)
        lead.with_user(self.user_salesman)._attach_stakeholders_to_company()
        self.assertEqual(self.free_contact.parent_id, self.customer)


class TestStakeholderViews(StakeholderCommon):
    def test_views_show_decision_makers(self):
        """The pipeline card marks opportunities without a decision maker; both search views can filter."""
        Lead = self.env["crm.lead"].with_user(self.user_salesman)
        kanban = Lead.get_view(self.env.ref("crm.crm_case_kanban_view_leads").id, "kanban")["arch"]
        self.assertIn("o_lqp_no_decision_maker", kanban)
        for search_view in ("crm.view_crm_case_leads_filter", "crm.view_crm_case_opportunities_filter"):
            arch = Lead.get_view(self.env.ref(search_view).id, "search")["arch"]
            self.assertIn('name="has_decision_maker"', arch)
            self.assertIn('name="without_decision_maker"', arch)
        form = Lead.get_view(self.env.ref("crm.crm_lead_view_form").id, "form")["arch"]
        self.assertIn('name="stakeholder_ids"', form)
        self.assertIn('name="competitor_ids"', form)
