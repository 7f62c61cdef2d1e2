from odoo.tests import HttpCase, tagged

from .common import TransitionRuleCommon


@tagged("post_install", "-at_install")
class TestTransitionRuleConfigUi(HttpCase, TransitionRuleCommon):
    def test_manager_configures_rule(self):
        """A sales manager, not a settings administrator, creates a rule with a field requirement."""
        self.assertFalse(self.user_manager.has_group("base.group_system"))
        self._create_leads(3, stage_id=self.stage_contacted.id)
        self._create_leads(2, stage_id=self.stage_new.id)
        self.assertEqual(
            self.env["crm.lead"].search_count(
                [("team_id", "=", self.team.id), ("stage_id", "=", self.stage_contacted.id)]
            ),
            3,
        )
        self.start_tour("/odoo", "lqp_transition_rule_config", login=self.user_manager.login)
        rule = self.Rule.search([("name", "=", "Confirm the buyer")])
        self.assertEqual(rule.from_stage_ids, self.stage_contacted)
        self.assertEqual(rule.to_stage_id, self.stage_qualified)
        self.assertEqual(rule.team_ids, self.team)
        self.assertEqual(rule.requirement_ids.field_id, self.field_function)
