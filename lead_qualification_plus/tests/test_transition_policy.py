from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TransitionRuleCommon


@tagged("post_install", "-at_install")
class TestTransitionPolicy(TransitionRuleCommon):
    """A team with ``transition_policy = "defined"`` lets its records take only the moves a rule defines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.transition_policy = "defined"
        # New -> Contacted is defined (no requirement: the rule only allows the move).
        cls.rule = cls._create_rule([], name="First contact")
        cls.team_stages = cls.stage_new | cls.stage_contacted | cls.stage_qualified | cls.stage_won

    def _allowed_team_stages(self, lead, **kwargs):
        return self.env["crm.stage"].browse(lead.get_allowed_stages(**kwargs)) & self.team_stages

    def test_open_policy_changes_nothing(self):
        self.team.transition_policy = "open"
        lead = self._create_leads()
        lead.with_user(self.user_salesman).stage_id = self.stage_qualified
        self.assertEqual(lead.stage_id, self.stage_qualified)

    def test_defined_move_allowed_undefined_refused_naming_next_stages(self):
        lead = self._create_leads()
        with self.assertRaises(ValidationError) as refusal:
            lead.with_user(self.user_salesman).stage_id = self.stage_qualified
        message = str(refusal.exception)
        self.assertIn("LQP Qualified", message)
        allowed_line = message.split("allowed next stages:")[1]
        self.assertIn("LQP Contacted", allowed_line)
        self.assertNotIn("LQP Qualified", allowed_line)
        self.assertNotIn("Won", allowed_line)
        self.assertEqual(lead.stage_id, self.stage_new)
        lead.with_user(self.user_salesman).stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_no_next_stage_says_none(self):
        self.team.allow_backward_moves = False
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        with self.assertRaises(ValidationError) as refusal:
            lead.stage_id = self.stage_qualified
        self.assertIn("allowed next stages: none", str(refusal.exception))

    def test_rule_from_any_stage_defines_the_move_from_every_stage(self):
        self._create_rule(
            [], name="Qualify anytime", from_stage_ids=False, to_stage_id=self.stage_qualified.id
        )
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        lead.stage_id = self.stage_qualified
        self.assertEqual(lead.stage_id, self.stage_qualified)

    def test_archived_rule_or_unmatched_condition_defines_nothing(self):
        self.rule.active = False
        lead = self._create_leads()
        with self.assertRaises(ValidationError):
            lead.stage_id = self.stage_contacted
        self.rule.write({"active": True, "lead_domain": "[('expected_revenue', '>', 1000)]"})
        with self.assertRaises(ValidationError):
            lead.stage_id = self.stage_contacted
        lead.expected_revenue = 5000
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_rule_requirements_still_apply_to_a_defined_move(self):
        self.rule.requirement_ids = [
            (0, 0, {"name": "Log a call", "kind": "activity_done", "activity_type_id": self.type_call.id})
        ]
        lead = self._create_leads()
        with self.assertRaises(ValidationError) as refusal:
            lead.stage_id = self.stage_contacted
        self.assertIn("Log a call", str(refusal.exception))
        self._log_done(lead, self.type_call)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_backward_moves(self):
        lead = self._create_leads(stage_id=self.stage_qualified.id)
        lead.stage_id = self.stage_new
        self.assertEqual(lead.stage_id, self.stage_new)
        self.team.allow_backward_moves = False
        lead2 = self._create_leads(stage_id=self.stage_qualified.id)
        with self.assertRaises(ValidationError):
            lead2.stage_id = self.stage_new

    def test_mass_write_is_all_or_nothing(self):
        in_new = self._create_leads(2)
        ahead = self._create_leads(stage_id=self.stage_qualified.id)
        self.team.allow_backward_moves = False
        with self.assertRaises(ValidationError) as refusal:
            (in_new | ahead).write({"stage_id": self.stage_contacted.id})
        self.assertIn(ahead.display_name, str(refusal.exception))
        # The two records that could move did not: the write is refused as a whole.
        self.assertEqual(in_new.stage_id, self.stage_new)
        self.assertEqual(ahead.stage_id, self.stage_qualified)
        in_new.write({"stage_id": self.stage_contacted.id})
        self.assertEqual(in_new.stage_id, self.stage_contacted)

    def test_import_is_refused_the_same_way(self):
        lead = self._create_leads()
        external_id = (
            lead.get_external_id()[lead.id]
            or self.env["ir.model.data"]
            .create(
                {"module": "__import__", "name": "lqp_policy_lead", "model": "crm.lead", "res_id": lead.id}
            )
            .complete_name
        )
        result = self.env["crm.lead"].load(
            ["id", "stage_id/.id"], [[external_id, str(self.stage_qualified.id)]]
        )
        self.assertTrue(any(message["type"] == "error" for message in result["messages"]), result)
        self.assertEqual(lead.stage_id, self.stage_new)

    def test_won_lost_and_reactivation_are_not_undefined_moves(self):
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        lead.with_user(self.user_salesman).action_set_won()
        self.assertEqual(lead.stage_id, self.stage_won)
        other = self._create_leads(stage_id=self.stage_contacted.id)
        other.with_user(self.user_salesman).action_set_lost()
        self.assertFalse(other.active)
        other.with_user(self.user_salesman).action_unarchive()
        self.assertTrue(other.active)
        self.assertEqual(other.stage_id, self.stage_contacted)

    def test_get_allowed_stages(self):
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        # Backward to New, Won always; Qualified undefined.
        self.assertEqual(self._allowed_team_stages(lead), self.stage_new | self.stage_won)
        self.team.allow_backward_moves = False
        self.assertEqual(self._allowed_team_stages(lead), self.stage_won)
        self.team.transition_policy = "open"
        self.assertEqual(
            self._allowed_team_stages(lead), self.stage_new | self.stage_qualified | self.stage_won
        )

    def test_get_allowed_stages_leaves_out_moves_still_asking_for_work(self):
        self.rule.requirement_ids = [
            (0, 0, {"name": "Log a call", "kind": "activity_done", "activity_type_id": self.type_call.id})
        ]
        lead = self._create_leads()
        self.assertNotIn(self.stage_contacted.id, lead.get_allowed_stages())
        self.assertIn(self.stage_contacted.id, lead.get_allowed_stages(check_requirements=False))
        self._log_done(lead, self.type_call)
        self.assertIn(self.stage_contacted.id, lead.with_user(self.user_salesman).get_allowed_stages())

    def test_get_allowed_stages_one_record_at_a_time(self):
        with self.assertRaises(UserError):
            self._create_leads(2).get_allowed_stages()

    def test_stage_moves_restricted_says_whether_the_pipeline_must_ask(self):
        """The pipeline asks where a dragged card may go only for the cards whose moves could be refused."""
        lead = self._create_leads().with_user(self.user_salesman)
        self.assertTrue(lead.stage_moves_restricted, "defined moves only")
        self.team.transition_policy = "open"
        self.assertTrue(lead.stage_moves_restricted, "a rule applies to the moves from New")
        lead.stage_id = self.stage_qualified
        self.assertFalse(lead.stage_moves_restricted, "no rule leaves Qualified: every move goes through")
        self.rule.from_stage_ids = False
        lead.invalidate_recordset(["stage_moves_restricted"])
        self.assertTrue(lead.stage_moves_restricted, "the rule now applies from every stage")
        self.rule.team_ids = self.env["crm.team"].create({"name": "Elsewhere"})
        lead.invalidate_recordset(["stage_moves_restricted"])
        self.assertFalse(lead.stage_moves_restricted, "the rule is another team's")

    def test_stage_moves_restricted_costs_the_same_for_one_card_or_many(self):
        other_team = self.env["crm.team"].create({"name": "Other"})
        self._create_rule([], name="Other team's rule", team_ids=other_team.ids)
        leads = self._create_leads(20).with_user(self.user_salesman)
        queries = []
        # The first batch warms the caches (access rules, registry): the next two are compared.
        for batch in (leads[-1:], leads[:1], leads):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            batch.mapped("stage_moves_restricted")
            queries.append(self.env.cr.sql_log_count - before)
        self.assertEqual(queries[1], queries[2])

    def test_kanbans_of_leads_load_stage_moves_restricted(self):
        # Without it, a drag in these kanbans asks the server even where any move goes.
        for xmlid in ("crm.crm_case_kanban_view_leads", "crm.view_crm_lead_kanban"):
            arch = self.env["crm.lead"].get_view(self.env.ref(xmlid).id, "kanban")["arch"]
            self.assertIn('name="stage_moves_restricted"', arch, xmlid)

    def test_salesperson_cannot_change_the_policy(self):
        with self.assertRaises(AccessError):
            self.team.with_user(self.user_salesman).transition_policy = "open"


@tagged("post_install", "-at_install", "is_query_count")
class TestTransitionPolicyPerformance(TransitionRuleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.transition_policy = "defined"
        cls._create_rule([], name="First contact", lead_domain="[('probability', '<', 100)]")

    def _policy_queries(self, count):
        """The queries of checking the move New -> Contacted (defined by the rule) of ``count`` records of the
        team, from a cold cache: the records, the team's policy, the rules, their scope and condition."""
        leads = self._create_leads(count)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        with self.assertQueryCount(8):
            leads._check_transition_policy(self.stage_contacted)
        return self.cr.sql_log_count - before

    def test_policy_check_queries_do_not_grow_with_records(self):
        """A mass move of one team's records reads the team's policy once, whatever the number of records."""
        # A first run fills Odoo's caches (access rules, the stages' ids): only warm runs compare.
        self._create_leads()._check_transition_policy(self.stage_contacted)
        self.assertEqual(self._policy_queries(1), self._policy_queries(50))
