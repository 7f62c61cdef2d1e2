from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import ProcessDiagramTourCommon, TransitionRuleCommon


@tagged("post_install", "-at_install")
class TestProcessDiagram(TransitionRuleCommon):
    """The data the process diagram draws: the team's stages, its rules as arrows, nothing else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        call = {"name": "Call", "kind": "activity_done", "activity_type_id": cls.type_call.id}
        job = {"name": "Job position known", "kind": "field", "field_id": cls.field_function.id}
        cls.rule_call = cls._create_rule([call, job])
        cls.rule_win = cls._create_rule(
            [job], name="Sign", from_stage_ids=[Command.clear()], to_stage_id=cls.stage_won.id
        )
        cls.rule_qualify = cls.Rule.create(
            {
                "name": "Budget known",
                "target": "qualify",
                "team_ids": [Command.set(cls.team.ids)],
                "from_stage_ids": [Command.set((cls.stage_new | cls.stage_contacted).ids)],
                "requirement_ids": [
                    Command.create({"name": "Budget", "kind": "field", "field_id": cls.field_revenue.id})
                ],
            }
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Other Team", "company_id": cls.company.id})
        cls.other_stage = cls.env["crm.stage"].create(
            {"name": "Other team's stage", "sequence": 2, "team_id": cls.other_team.id}
        )

    def _edges(self, diagram):
        return {(edge["name"], edge["from"], edge["to"]): edge for edge in diagram["edges"]}

    def test_nodes_in_sequence_order(self):
        diagram = self.team.with_user(self.user_manager).get_process_diagram()
        stage_nodes = [node for node in diagram["nodes"] if node["stage_id"]]
        expected = self.env["crm.stage"].search(
            ["|", ("team_id", "=", False), ("team_id", "=", self.team.id)]
        )
        self.assertEqual([node["stage_id"] for node in stage_nodes], expected.ids)
        self.assertEqual(
            [node["name"] for node in stage_nodes if node["stage_id"] in self.team_stages.ids],
            ["LQP New", "LQP Contacted", "LQP Qualified", "LQP Won"],
        )
        # "Any stage" first (a rule applies from any stage), "Qualified" last (a qualify rule).
        self.assertEqual(diagram["nodes"][0]["id"], "any")
        self.assertEqual(diagram["nodes"][-1]["id"], "qualified")
        self.assertEqual(diagram["nodes"][-1]["name"], "Qualified")
        self.assertNotIn(self.other_stage.id, [node["stage_id"] for node in stage_nodes])
        self.assertTrue(all(node["slas"] == [] for node in diagram["nodes"]))

    @property
    def team_stages(self):
        return self.stage_new | self.stage_contacted | self.stage_qualified | self.stage_won

    def test_edges_and_labels(self):
        diagram = self.team.with_user(self.user_salesman).get_process_diagram()
        new, contacted = f"stage_{self.stage_new.id}", f"stage_{self.stage_contacted.id}"
        edges = self._edges(diagram)
        self.assertEqual(
            set(edges),
            {
                ("Log first call", new, contacted),
                ("Sign", "any", f"stage_{self.stage_won.id}"),
                ("Budget known", new, "qualified"),
                ("Budget known", contacted, "qualified"),
            },
        )
        call = edges["Log first call", new, contacted]
        self.assertEqual(call["rule_id"], self.rule_call.id)
        self.assertEqual(call["requirement_count"], 2)
        self.assertEqual(call["label"], "Log first call (2 requirements)")
        self.assertEqual(edges["Sign", "any", f"stage_{self.stage_won.id}"]["label"], "Sign (1 requirement)")

    def test_team_filter_and_archived_rules(self):
        self._create_rule([], name="Other team's rule", team_ids=[Command.set(self.other_team.ids)])
        # Between stages of every team: the rule draws on every team's process.
        self._create_rule(
            [],
            name="Every team's rule",
            team_ids=[Command.clear()],
            from_stage_ids=[Command.set(self.env.ref("crm.stage_lead1").ids)],
            to_stage_id=self.env.ref("crm.stage_lead2").id,
        )
        self._create_rule([], name="Archived rule", active=False)
        names = {edge["name"] for edge in self.team.get_process_diagram()["edges"]}
        self.assertEqual(names, {"Log first call", "Sign", "Budget known", "Every team's rule"})
        names = {edge["name"] for edge in self.other_team.get_process_diagram()["edges"]}
        self.assertEqual(names, {"Every team's rule"})
        # A rule of every team into a stage of another team is not part of this team's process.
        self.assertNotIn(
            "Log first call", {edge["name"] for edge in self.other_team.get_process_diagram()["edges"]}
        )

    def test_without_rules(self):
        (self.rule_call | self.rule_win | self.rule_qualify).active = False
        diagram = self.team.get_process_diagram()
        self.assertFalse(diagram["edges"])
        self.assertNotIn("any", [node["id"] for node in diagram["nodes"]])
        self.assertNotIn("qualified", [node["id"] for node in diagram["nodes"]])

    def test_other_company_invisible(self):
        company_b = self.env["res.company"].create({"name": "LQP Company B"})
        self._create_rule([], name="Rule of B", team_ids=[Command.clear()], company_id=company_b.id)
        # The manager works in the first company only: the rule of B is not his to see.
        names = {
            edge["name"] for edge in self.team.with_user(self.user_manager).get_process_diagram()["edges"]
        }
        self.assertNotIn("Rule of B", names)
        # The administrator sees both companies, but the team's records follow its company's rules only.
        self.env.user.company_ids |= company_b
        names = {
            edge["name"]
            for edge in self.team.with_context(
                allowed_company_ids=[self.company.id, company_b.id]
            ).get_process_diagram()["edges"]
        }
        self.assertNotIn("Rule of B", names)
        team_b = self.env["crm.team"].create({"name": "Team of B", "company_id": company_b.id})
        with self.assertRaises(AccessError):
            team_b.with_user(self.user_manager).get_process_diagram()

    def test_one_team_at_a_time(self):
        for teams in (self.env["crm.team"], self.team | self.other_team):
            with self.assertRaisesRegex(UserError, "one sales team at a time"):
                teams.get_process_diagram()

    def test_open_action(self):
        action = self.team.with_user(self.user_salesman).action_open_process_diagram()
        self.assertEqual(action["tag"], "lqp_process_diagram")
        self.assertEqual(action["params"], {"team_id": self.team.id})


@tagged("post_install", "-at_install")
class TestProcessDiagramUi(HttpCase, ProcessDiagramTourCommon):
    """At 1280 pixels the whole process shows, the stages every team shares included (ten nodes)."""

    browser_size = "1280x800"

    def test_manager_reads_the_process(self):
        """A sales manager opens the diagram from the configuration, reads it and opens a rule from it."""
        self._run_process_diagram_tour()


@tagged("post_install", "-at_install")
class TestProcessDiagramUiNarrow(HttpCase, ProcessDiagramTourCommon):
    """At 1024 pixels a process of the team's own stages (six nodes, as the demo's) shows whole, legible."""

    browser_size = "1024x768"

    def test_manager_reads_the_process(self):
        other_team = self.env["crm.team"].create({"name": "Elsewhere"})
        self.env["crm.stage"].search([("team_id", "=", False)]).team_id = other_team
        self._run_process_diagram_tour()
