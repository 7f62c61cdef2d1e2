from odoo import Command
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase, tagged

from .common import LeadQualificationCommon


@tagged("post_install", "-at_install")
class TestForcedTransitions(LeadQualificationCommon):
    """Rule health: how often each rule is forced, by whom and why, next to how often it blocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        override = cls.env.ref("lead_qualification_plus.group_transition_override")
        cls.user_manager_2 = mail_new_test_user(
            cls.env,
            login="lqp_test_manager_2",
            name="Max Manager",
            groups="base.group_user,sales_team.group_sale_manager",
            company_id=cls.company.id,
        )
        (cls.user_manager | cls.user_manager_2).groups_id += override
        Rule = cls.env["crm.transition.rule"]
        cls.rule_phone = Rule.create(
            {
                "name": "LQP Phone first",
                "team_ids": [Command.set(cls.team.ids)],
                "to_stage_id": cls.stage_contacted.id,
                "requirement_ids": [
                    Command.create(
                        {"name": "Phone known", "kind": "domain", "domain": "[('phone', '!=', False)]"}
                    )
                ],
            }
        )
        cls.rule_budget = Rule.create(
            {
                "name": "LQP Budget first",
                "team_ids": [Command.set(cls.team.ids)],
                "to_stage_id": cls.stage_contacted.id,
                "requirement_ids": [
                    Command.create(
                        {"name": "Budget known", "kind": "domain", "domain": "[('expected_revenue', '>', 0)]"}
                    )
                ],
            }
        )
        cls.Log = cls.env["crm.transition.block.log"]

    def _force(self, user, leads, reason):
        leads.with_user(user).force_transition(self.stage_contacted.id, reason)
        # Back, for the next forced move (no rule out of Contacted).
        leads.write({"stage_id": self.stage_new.id})

    def test_forced_counts_per_rule_and_user_with_reasons(self):
        lead_a, lead_b = self._create_leads(2)
        lead_c = self._create_leads(1, phone="+32 470 000000")
        self._force(self.user_manager, lead_a | lead_b, "Trade fair, no time")
        self._force(self.user_manager_2, lead_c, "Budget given by phone")
        self._force(self.user_manager_2, lead_a, "Customer in a hurry")
        forced = self.Log.search([("kind", "=", "forced"), ("lead_id", "in", (lead_a | lead_b | lead_c).ids)])
        by_rule = dict(forced._read_group([("id", "in", forced.ids)], ["rule_id"], ["__count"]))
        # lead_c had its phone: only the budget rule was routed around for it.
        self.assertEqual(by_rule, {self.rule_phone: 3, self.rule_budget: 4})
        by_rule_user = {
            (rule, user): count
            for rule, user, count in forced._read_group(
                [("id", "in", forced.ids)], ["rule_id", "blocked_user_id"], ["__count"]
            )
        }
        self.assertEqual(
            by_rule_user,
            {
                (self.rule_phone, self.user_manager): 2,
                (self.rule_budget, self.user_manager): 2,
                (self.rule_phone, self.user_manager_2): 1,
                (self.rule_budget, self.user_manager_2): 2,
            },
        )
        reasons = forced.filtered(lambda row: row.rule_id == self.rule_phone).mapped("reason")
        self.assertEqual(
            sorted(reasons), ["Customer in a hurry", "Trade fair, no time", "Trade fair, no time"]
        )
        row = forced.filtered(lambda row: row.lead_id == lead_c)
        self.assertEqual(row.requirement_ids, self.rule_budget.requirement_ids, "what was skipped")
        self.assertEqual(
            (row.event_id.event, row.event_id.lead_id, row.event_id.note),
            ("transition_forced", lead_c, "Budget given by phone"),
        )
        # Refusals and forced moves apart: forcing is not counted as a refusal.
        self.assertFalse(self.Log.search([("kind", "=", "blocked"), ("lead_id", "in", lead_c.ids)]))

    def test_a_forced_move_without_refusal_logs_nothing(self):
        lead = self._create_leads(1, phone="+32 470 000000", expected_revenue=100)
        self._force(self.user_manager, lead, "Nothing to skip")
        self.assertFalse(self.Log.search([("lead_id", "=", lead.id)]))

    def test_who_sees_the_forced_moves(self):
        # The demo data's forced moves are not this test's.
        earlier = self.Log.search([])
        other_company = self.env["res.company"].create({"name": "LQP Other Company"})
        lead_sally = self._create_leads()
        lead_alan = self._create_leads(1, user_id=self.user_salesman_all.id)
        other_lead = self.env["crm.lead"].create(
            {"name": "LQP other company lead", "type": "lead", "company_id": other_company.id}
        )
        self._force(self.user_manager, lead_sally | lead_alan, "Trade fair")
        self.Log._log_forced([(other_lead, self.rule_phone, self.rule_phone.requirement_ids)], [], "Other")
        domain = [("kind", "=", "forced"), ("id", "not in", earlier.ids)]
        self.assertEqual(self.Log.with_user(self.user_salesman).search(domain).lead_id, lead_sally)
        manager_rows = self.Log.with_user(self.user_manager).search(domain)
        self.assertEqual(manager_rows.lead_id, lead_sally | lead_alan, "the manager's companies only")
        self.assertFalse(self.Log.with_user(self.user_manager).has_access("write"))


@tagged("post_install", "-at_install")
class TestForcedTransitionsUi(HttpCase, LeadQualificationCommon):
    def test_manager_sees_the_rules_routed_around(self):
        self.user_manager.groups_id += self.env.ref("lead_qualification_plus.group_transition_override")
        self.env["crm.transition.rule"].create(
            {
                "name": "LQP Phone first",
                "team_ids": [Command.set(self.team.ids)],
                "to_stage_id": self.stage_contacted.id,
                "requirement_ids": [
                    Command.create(
                        {"name": "Phone known", "kind": "domain", "domain": "[('phone', '!=', False)]"}
                    )
                ],
            }
        )
        leads = self._create_leads(2)
        leads.with_user(self.user_manager).force_transition(self.stage_contacted.id, "Trade fair, no time")
        self.start_tour("/odoo", "lqp_forced_transitions", login=self.user_manager.login)
