from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import LeadQualificationCommon


@tagged("post_install", "-at_install")
class TestCrmOnly(LeadQualificationCommon):
    """The addon on the CRM app alone (no Sales, no Invoicing): everything but quotations works.

    Run by the harness on a database with crm only (run_crm_only_test); on the full test database, where the
    sales bridge adds quotations, it is left out.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason_spam = cls.env.ref("lead_qualification_plus.crm_lost_reason_spam")

    def test_no_sales_app(self):
        states = dict(
            self.env["ir.module.module"]
            .search([("name", "in", ["sale", "account", "lead_qualification_plus_sale"])])
            .mapped(lambda module: (module.name, module.state))
        )
        self.assertFalse({name for name, state in states.items() if state == "installed"})
        self.assertNotIn("sale.order", self.env)

    def test_qualify_company_contact_opportunity(self):
        lead = self._create_leads()
        result = lead.with_user(self.user_salesman).qualify()[0]
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(lead.type, "opportunity")
        company = self.env["res.partner"].browse(result["partner_id"])
        contact = self.env["res.partner"].browse(result["contact_id"])
        self.assertEqual((company.name, company.is_company), ("Company 0", True))
        self.assertEqual((contact.name, contact.parent_id), ("Contact 0", company))
        self.assertEqual(lead.partner_id, contact)
        self.assertFalse(result["sale_order_id"])
        self.assertEqual(lead.qualification_event_ids.mapped("event"), ["qualified"])

    def test_quotation_refused_without_sales(self):
        lead = self._create_leads()
        partners = self.env["res.partner"].search_count([])
        with self.assertRaisesRegex(UserError, "only with the Sales app"):
            lead.with_user(self.user_salesman).qualify(create_sale_order=True)
        self.assertEqual(lead.qualification_state, "open")
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        # Asking for no quotation is what the CRM does anyway.
        lead.with_user(self.user_salesman).qualify(create_sale_order=False)
        self.assertEqual(lead.qualification_state, "qualified")

    def test_qualify_wizard_offers_no_quotation(self):
        lead = self._create_leads()
        wizard = (
            self.env["crm.lead.qualify"]
            .with_user(self.user_salesman)
            .with_context(active_model="crm.lead", active_ids=lead.ids)
            .create({})
        )
        self.assertNotIn("create_sale_order", wizard._fields)
        wizard.action_qualify()
        self.assertEqual(lead.qualification_state, "qualified")

    def test_disqualify_and_reactivate(self):
        lead = self._create_leads()
        self.env["crm.lead.disqualify"].with_user(self.user_salesman).with_context(
            active_model="crm.lead", active_ids=lead.ids, default_lead_ids=lead.ids
        ).create({"reason_id": self.reason_spam.id}).action_disqualify()
        self.assertEqual((lead.qualification_state, lead.active), ("disqualified", False))
        lead.with_user(self.user_salesman).action_reactivate()
        self.assertEqual((lead.qualification_state, lead.active), ("open", True))

    def test_transition_rule_holds_qualification(self):
        budget = self.env["ir.model.fields"]._get("crm.lead", "expected_revenue")
        self.env["crm.transition.rule"].create(
            {
                "name": "Budget known",
                "target": "qualify",
                "team_ids": [Command.set(self.team.ids)],
                "requirement_ids": [
                    Command.create({"name": "Budget estimated", "kind": "field", "field_id": budget.id})
                ],
            }
        )
        lead = self._create_leads(expected_revenue=0)
        with self.assertRaisesRegex(ValidationError, "Budget estimated"):
            lead.with_user(self.user_salesman).qualify()
        self.assertEqual(lead.qualification_state, "open")
        lead.expected_revenue = 5000
        lead.with_user(self.user_salesman).qualify()
        self.assertEqual(lead.qualification_state, "qualified")
