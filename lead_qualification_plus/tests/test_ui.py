"""The browser tours, one class per tour: ``TestUi<Feature>`` runs the tour ``lqp_<feature>`` of
``static/tests/tours/<feature>_tour.js``."""

from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from .common import (
    LeadQualificationCommon,
    TransitionPopupTourCommon,
    TransitionRuleCommon,
    set_qualification_fields,
)


@tagged("post_install", "-at_install")
class TestUiOpenPipeline(HttpCase, LeadQualificationCommon):
    def test_salesperson_opens_pipeline(self):
        """A salesperson opens the CRM app in a real browser and finds their lead in the Leads list."""
        self._create_leads(name="Tour lead from the harness")
        self.start_tour("/odoo", "lqp_open_pipeline", login=self.user_salesman.login)


@tagged("post_install", "-at_install")
class TestUiStakeholders(HttpCase, LeadQualificationCommon):
    def test_salesperson_adds_stakeholder_and_competitor(self):
        """A salesperson adds a stakeholder with a role and a competitor on a lead, inline in the form."""
        lead = self._create_leads(name="Stakeholder tour lead")
        contact = self.env["res.partner"].create({"name": "Tina Tourist"})
        competitor = self.env["crm.competitor"].create({"name": "Tour Rival"})
        self.start_tour("/odoo", "lqp_stakeholders", login=self.user_salesman.login)
        self.assertEqual(lead.stakeholder_ids.partner_id, contact)
        self.assertEqual(
            lead.stakeholder_ids.role_id,
            self.env.ref("lead_qualification_plus.crm_stakeholder_role_economic_buyer"),
        )
        self.assertEqual(lead.decision_maker_count, 1)
        self.assertEqual(lead.competitor_ids.competitor_id, competitor)
        self.assertEqual(lead.competitor_ids.threat_level, "high")


@tagged("post_install", "-at_install")
class TestUiDisqualifyReactivate(HttpCase, LeadQualificationCommon):
    def test_disqualify_and_reactivate_a_lead(self):
        """A salesperson disqualifies a lead with a reason and a note, finds it under "Disqualified",
        reactivates it and sees it back in its stage."""
        lead = self._create_leads(name="Tour lead to nurture", stage_id=self.stage_contacted.id)
        self.start_tour("/odoo", "lqp_disqualify_reactivate", login=self.user_salesman.login)
        self.assertTrue(lead.active)
        self.assertEqual(lead.stage_id, self.stage_contacted)
        self.assertEqual(
            lead.qualification_event_ids.sorted("id").mapped("event"), ["disqualified", "reactivated"]
        )
        self.assertEqual(
            lead.qualification_event_ids.sorted("id")[0].note, "Bought from a competitor last month"
        )
        self.assertEqual(lead.activity_ids.user_id, self.user_salesman)


@tagged("post_install", "-at_install")
class TestUiQualificationReport(HttpCase, LeadQualificationCommon):
    def test_manager_opens_qualification_report(self):
        """A sales manager opens CRM > Reporting > Qualification, sees the pivot by source, switches to the
        graph and shows it as a pie."""
        source = self.env["utm.source"].create({"name": "LQP Tour source"})
        leads = self._create_leads(3, source_id=source.id)
        set_qualification_fields(leads[0], {"qualification_state": "qualified"})
        self.start_tour("/odoo", "lqp_qualification_report", login=self.user_manager.login)


@tagged("post_install", "-at_install")
class TestUiTransitionRuleConfig(HttpCase, TransitionRuleCommon):
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


@tagged("post_install", "-at_install")
class TestUiTransitionPopup(HttpCase, TransitionPopupTourCommon):
    def test_transition_popup_tour(self):
        """A salesperson opens a lead, clicks the transition button, fills the field, logs the call, moves."""
        self._run_transition_popup_tour()


@tagged("post_install", "-at_install")
class TestUiTransitionPopupNarrow(HttpCase, TransitionPopupTourCommon):
    """The same checklist on a 1024 px wide screen: nothing to scroll sideways, nothing cut."""

    browser_size = "1024x768"

    def test_transition_popup_tour(self):
        self._run_transition_popup_tour()


@tagged("post_install", "-at_install")
class TestUiTransitionKanban(HttpCase, TransitionRuleCommon):
    def test_kanban_drop_on_blocked_stage(self):
        """Dropping a card on a stage whose rule is unmet shows the missing work; the card goes back."""
        self._create_rule(
            [{"name": "Call the customer", "kind": "activity_done", "activity_type_id": self.type_call.id}]
        )
        lead = self._create_leads(name="Tour card to drag", type="opportunity")
        self._create_leads(
            name="Tour card already contacted", type="opportunity", stage_id=self.stage_contacted.id
        )
        self.start_tour("/odoo", "lqp_transition_kanban", login=self.user_salesman.login)
        self.assertEqual(lead.stage_id, self.stage_new)


@tagged("post_install", "-at_install")
class TestUiTransitionStatusbar(HttpCase, TransitionRuleCommon):
    def test_statusbar_click_on_blocked_stage(self):
        """A refused status-bar click says what is missing and leaves the form on its saved stage, clean."""
        self._create_rule(
            [{"name": "Call the customer", "kind": "activity_done", "activity_type_id": self.type_call.id}]
        )
        lead = self._create_leads(name="Tour statusbar opportunity", type="opportunity")
        self.start_tour("/odoo", "lqp_transition_statusbar", login=self.user_salesman.login)
        self.assertEqual(lead.stage_id, self.stage_new)


@tagged("post_install", "-at_install")
class TestUiTransitionForce(HttpCase, TransitionRuleCommon):
    def test_manager_forces_from_the_checklist(self):
        """A sales manager forces the move from the checklist with a reason, posted in the chatter."""
        self._create_rule(
            [{"name": "Call the customer", "kind": "activity_done", "activity_type_id": self.type_call.id}]
        )
        lead = self._create_leads(name="Tour forced lead", user_id=self.user_manager.id)
        self.start_tour("/odoo", "lqp_transition_force", login=self.user_manager.login)
        self.assertEqual(lead.stage_id, self.stage_contacted)
        self.assertIn("The customer called us: urgent order", " ".join(lead.message_ids.mapped("body")))


@tagged("post_install", "-at_install")
class TestUiTransitionPolicy(HttpCase, TransitionRuleCommon):
    def test_statusbar_of_a_team_with_defined_moves(self):
        """In a team that allows only defined moves, the status bar dims the stages out of reach; clicking
        one says where the record may go; the defined move goes through."""
        self.team.transition_policy = "defined"
        # Only the team's four stages in the status bar: all of them fit inline, none in its "More" menu.
        other_team = self.env["crm.team"].create({"name": "Elsewhere"})
        self.env["crm.stage"].search([("team_id", "=", False)]).team_id = other_team
        self._create_rule([], name="First contact")
        lead = self._create_leads(name="Tour policy opportunity", type="opportunity")
        self.start_tour("/odoo", "lqp_transition_policy", login=self.user_salesman.login)
        self.assertEqual(lead.stage_id, self.stage_contacted)


@tagged("post_install", "-at_install")
class TestUiKanbanAllowedStages(HttpCase, TransitionRuleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the team's four columns in the pipeline.
        cls.other_team = cls.env["crm.team"].create({"name": "Elsewhere"})
        cls.env["crm.stage"].search([("team_id", "=", False)]).team_id = cls.other_team
        cls.lead = cls._create_leads(name="Tour card to drag", type="opportunity")
        # The pipeline shows a stage of a team only when it has cards: one in each column but New's.
        for stage in cls.stage_contacted | cls.stage_qualified | cls.stage_won:
            cls._create_leads(name=f"Tour card in {stage.name}", type="opportunity", stage_id=stage.id)

    def _start_tour_counting_questions(self, tour):
        """Run ``tour`` as the salesperson; return the ids of the records the browser asked
        ``get_allowed_stages`` about (the refusal's own list of next stages apart)."""
        CrmLead = type(self.env["crm.lead"])
        get_allowed_stages = CrmLead.get_allowed_stages
        asked = []

        def counting(records, check_requirements=True):
            if check_requirements:
                asked.extend(records.ids)
            return get_allowed_stages(records, check_requirements=check_requirements)

        with patch.object(CrmLead, "get_allowed_stages", counting):
            self.start_tour("/odoo", tour, login=self.user_salesman.login)
        return asked

    def test_kanban_dims_the_stages_a_dragged_card_cannot_reach(self):
        """In a team that allows only defined moves, dragging a card dims the columns out of its reach; a drop
        there is refused naming where it may go, the card staying put; the defined move goes through."""
        self.team.transition_policy = "defined"
        self._create_rule([], name="First contact")
        asked = self._start_tour_counting_questions("lqp_kanban_allowed_stages")
        self.assertEqual(self.lead.stage_id, self.stage_contacted)
        self.assertEqual(asked, [self.lead.id] * 2, "one question per drag, none on loading the pipeline")

    def test_kanban_of_a_team_where_any_move_goes_asks_nothing(self):
        """A card whose moves nothing can refuse (open policy, no rule of its team) is dragged without a
        question to the server and without marks."""
        self._create_rule([], name="Elsewhere's first contact", team_ids=self.other_team.ids)
        asked = self._start_tour_counting_questions("lqp_kanban_open_moves")
        self.assertEqual(self.lead.stage_id, self.stage_qualified)
        self.assertEqual(asked, [])


@tagged("post_install", "-at_install")
class TestUiTransitionRecommended(HttpCase, TransitionRuleCommon):
    def test_recommended_item_does_not_block(self):
        """The checklist shows an optional item as recommended: the move waits for the required item only."""
        self._create_rule(
            [
                {"name": "Job position known", "kind": "field", "field_id": self.field_function.id},
                {"name": "Attach the brochure you sent", "kind": "attachment", "optional": True},
            ]
        )
        lead = self._create_leads(name="Tour recommended lead", function=False)
        self.start_tour("/odoo", "lqp_transition_recommended", login=self.user_salesman.login)
        self.assertEqual(lead.stage_id, self.stage_contacted)
        self.assertEqual(lead.function, "Head of Purchasing")
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]),
            "moved without the recommended brochure",
        )


@tagged("post_install", "-at_install")
class TestUiTransitionActionsAfter(HttpCase, TransitionRuleCommon):
    def test_manager_picks_an_action_that_runs_after_the_move(self):
        """A sales manager, not an administrator, picks an administrator's server action on a stage rule; it
        runs on the next record moved through the rule."""
        self.assertFalse(self.user_manager.has_group("base.group_system"))
        model = self.env["ir.model"]._get("crm.lead")
        # Made by the test's superuser, as an administrator makes them.
        hot = self.env["ir.actions.server"].create(
            {
                "name": "Mark as hot",
                "model_id": model.id,
                "state": "object_write",
                "update_path": "priority",
                "evaluation_type": "value",
                "value": "3",
            }
        )
        self.env["ir.actions.server"].create(
            {"name": "Tour partner action", "model_id": self.env["ir.model"]._get_id("res.partner")}
        )
        rule = self._create_rule([], name="Tour welcome rule")
        # Only the team's four stages in the status bar: all of them fit inline, none in its "More" menu.
        other_team = self.env["crm.team"].create({"name": "Elsewhere"})
        self.env["crm.stage"].search([("team_id", "=", False)]).team_id = other_team
        lead = self._create_leads(name="Tour welcome lead", priority="0")
        self.start_tour("/odoo", "lqp_transition_actions_after", login=self.user_manager.login)
        self.assertEqual(rule.action_server_ids, hot)
        self.assertEqual(lead.stage_id, self.stage_contacted)
        self.assertEqual(lead.priority, "3")
