from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TransitionRuleCommon


@tagged("post_install", "-at_install")
class TestTransitionRequirements(TransitionRuleCommon):
    """Each kind of requirement blocks the move until its work is done, then lets it through."""

    def _assert_blocked(self, leads, stage, *texts):
        with self.assertRaises(ValidationError) as caught:
            leads.write({"stage_id": stage.id})
        for text in texts:
            self.assertIn(text, str(caught.exception))
        return caught.exception

    def test_field(self):
        self._create_rule(
            [
                {"name": "Job position known", "kind": "field", "field_id": self.field_function.id},
                {"name": "Budget estimated", "kind": "field", "field_id": self.field_revenue.id},
                {"name": "Tagged", "kind": "field", "field_id": self.field_tags.id},
            ]
        )
        lead = self._create_leads(function=False, expected_revenue=0)
        error = self._assert_blocked(lead, self.stage_contacted, "Log first call", "LQP Contacted", "Lead 0")
        self.assertIn("Job position known", str(error))
        self.assertIn("Budget estimated", str(error))
        self.assertEqual(lead.stage_id, self.stage_new, "Nothing is written when the rule refuses")
        tag = self.env["crm.tag"].create({"name": "LQP tag"})
        lead.write({"function": "CEO", "expected_revenue": 1000, "tag_ids": [Command.set(tag.ids)]})
        lead.write({"stage_id": self.stage_contacted.id})
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_field_saved_with_the_stage(self):
        """A form saves the filled fields together with the new stage: the rule sees them."""
        self._create_rule(
            [{"name": "Job position known", "kind": "field", "field_id": self.field_function.id}]
        )
        lead = self._create_leads(function=False)
        lead.write({"function": "CTO", "stage_id": self.stage_contacted.id})
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_domain(self):
        self._create_rule(
            [{"name": "Revenue above 500", "kind": "domain", "domain": "[('expected_revenue', '>', 500)]"}]
        )
        lead = self._create_leads(expected_revenue=100)
        self._assert_blocked(lead, self.stage_contacted, "Revenue above 500")
        lead.expected_revenue = 600
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_activity_done(self):
        self._create_rule(
            [
                {
                    "name": "Two calls",
                    "kind": "activity_done",
                    "activity_type_id": self.type_call.id,
                    "min_count": 2,
                }
            ]
        )
        lead = self._create_leads()
        self._plan(lead, self.type_call)
        self._log_done(lead, self.type_meeting)
        self._log_done(lead, self.type_call)
        self._assert_blocked(lead, self.stage_contacted, "Two calls")
        self._log_done(lead, self.type_call)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_activity_done_since_stage_entry(self):
        self._create_rule(
            [
                {
                    "name": "Call since entering",
                    "kind": "activity_done",
                    "activity_type_id": self.type_call.id,
                    "since_stage_entry": True,
                }
            ]
        )
        lead = self._create_leads()
        self._log_done(lead, self.type_call)
        self._set_stage_entry(lead, 1)
        self._assert_blocked(lead, self.stage_contacted, "Call since entering")
        self._set_stage_entry(lead, -1)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_activity_planned(self):
        self._create_rule(
            [
                {
                    "name": "Meeting planned",
                    "kind": "activity_planned",
                    "activity_type_id": self.type_meeting.id,
                }
            ]
        )
        lead = self._create_leads()
        self._plan(lead, self.type_call)
        self._assert_blocked(lead, self.stage_contacted, "Meeting planned")
        self._plan(lead, self.type_meeting)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_note_since_stage_entry(self):
        self._create_rule([{"name": "Note the call", "kind": "note"}])
        lead = self._create_leads()
        lead.message_post(body="An email to the customer", message_type="email")
        self._assert_blocked(lead, self.stage_contacted, "Note the call")
        lead.message_post(body="Old note", message_type="comment", subtype_xmlid="mail.mt_note")
        self._set_stage_entry(lead, 1)
        self._assert_blocked(lead, self.stage_contacted, "Note the call")
        self._set_stage_entry(lead, -1)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_attachment(self):
        self._create_rule([{"name": "Proposal attached", "kind": "attachment"}])
        lead = self._create_leads()
        self._assert_blocked(lead, self.stage_contacted, "Proposal attached")
        self.env["ir.attachment"].create(
            {"name": "proposal.txt", "raw": b"proposal", "res_model": "crm.lead", "res_id": lead.id}
        )
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_all_versus_any(self):
        requirements = [
            {"name": "Email sent", "kind": "activity_done", "activity_type_id": self.type_email.id},
            {"name": "Call done", "kind": "activity_done", "activity_type_id": self.type_call.id},
        ]
        rule = self._create_rule(requirements, match="all")
        lead_all, lead_any, lead_none = self._create_leads(3)
        self._log_done(lead_all | lead_any, self.type_call)
        self._assert_blocked(lead_all, self.stage_contacted, "Email sent")
        rule.match = "any"
        error = self._assert_blocked(
            lead_none, self.stage_contacted, "at least one of", "Email sent", "Call done"
        )
        self.assertTrue(error)
        lead_any.stage_id = self.stage_contacted
        self.assertEqual(lead_any.stage_id, self.stage_contacted)

    def test_no_context_key_skips_the_rules(self):
        self._create_rule(
            [{"name": "Job position known", "kind": "field", "field_id": self.field_function.id}]
        )
        lead = self._create_leads(function=False)
        lead = lead.with_context(
            skip_transition_rules=True,
            transition_rules_skipped=True,
            tracking_disable=True,
            install_mode=True,
        )
        self._assert_blocked(lead, self.stage_contacted, "Job position known")


@tagged("post_install", "-at_install")
class TestTransitionEnforcement(TransitionRuleCommon):
    """Which rules apply to which moves, who may move, and how the refusal is reported."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.requirement = {"name": "Job position known", "kind": "field", "field_id": cls.field_function.id}

    def test_from_any_stage(self):
        self._create_rule([self.requirement], from_stage_ids=False)
        lead = self._create_leads(function=False, stage_id=self.stage_qualified.id)
        with self.assertRaises(ValidationError):
            lead.write({"stage_id": self.stage_contacted.id})
        # A record created straight into the stage moves into it: the rules from any stage apply.
        with self.assertRaises(ValidationError):
            self._create_leads(function=False, stage_id=self.stage_contacted.id)
        self._create_leads(function="CEO", stage_id=self.stage_contacted.id)

    def test_rule_from_given_stages_ignores_other_moves(self):
        self._create_rule([self.requirement])
        lead = self._create_leads(function=False, stage_id=self.stage_qualified.id)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)
        created = self._create_leads(function=False, stage_id=self.stage_contacted.id)
        self.assertEqual(
            created.stage_id, self.stage_contacted, "Only rules from any stage apply at creation"
        )

    def test_move_without_rule_into_the_stage_leaves_odoo_to_compute(self):
        """A move no rule can refuse takes no savepoint: its flush would compute the pending fields of every
        record (Odoo's predictive probability of a lead created before the first won one, here a prorated
        revenue) before Odoo does, with other results."""
        self._create_rule([self.requirement])
        lead, other = self._create_leads(2)
        self.env.flush_all()
        lead.expected_revenue = 500
        prorated_revenue = lead._fields["prorated_revenue"]
        other.stage_id = self.stage_qualified
        self.assertIn(lead, self.env.records_to_compute(prorated_revenue))
        other.stage_id = self.stage_contacted
        self.assertNotIn(lead, self.env.records_to_compute(prorated_revenue), "a rule applies: flushed")

    def test_team_scope(self):
        self._create_rule([self.requirement])
        other_team = self.env["crm.team"].create({"name": "Other team"})
        lead = self._create_leads(function=False, team_id=other_team.id)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_type_scope(self):
        self._create_rule([self.requirement], lead_type="opportunity")
        lead, opportunity = self._create_leads(2, function=False)
        opportunity.type = "opportunity"
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)
        with self.assertRaises(ValidationError):
            opportunity.stage_id = self.stage_contacted

    def test_company_scope(self):
        other_company = self.env["res.company"].create({"name": "LQP Other Company"})
        rule = self._create_rule([self.requirement], company_id=other_company.id)
        lead = self._create_leads(function=False)
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)
        for company in (self.env["res.company"], self.company):
            rule.company_id = company
            with self.assertRaises(ValidationError):
                self._create_leads(function=False).stage_id = self.stage_contacted

    def test_domain_scope(self):
        self._create_rule([self.requirement], lead_domain="[('priority', '=', '3')]")
        normal, urgent = self._create_leads(2, function=False)
        urgent.priority = "3"
        normal.stage_id = self.stage_contacted
        self.assertEqual(normal.stage_id, self.stage_contacted)
        with self.assertRaises(ValidationError):
            urgent.stage_id = self.stage_contacted

    def test_groups(self):
        self._create_rule([], group_ids=[Command.set(self.env.ref("sales_team.group_sale_manager").ids)])
        lead = self._create_leads()
        with self.assertRaises(AccessError) as caught:
            lead.with_user(self.user_salesman).write({"stage_id": self.stage_contacted.id})
        self.assertIn("Log first call", str(caught.exception))
        self.assertEqual(lead.stage_id, self.stage_new)
        lead.with_user(self.user_manager).write({"stage_id": self.stage_contacted.id})
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_mass_write_is_all_or_nothing(self):
        self._create_rule([self.requirement])
        leads = self._create_leads(3, function="CEO")
        leads[1].function = False
        with self.assertRaises(ValidationError) as caught:
            leads.write({"stage_id": self.stage_contacted.id})
        self.assertIn("Lead 1", str(caught.exception))
        self.assertNotIn("Lead 0", str(caught.exception))
        leads.invalidate_recordset()
        self.assertEqual(leads.stage_id, self.stage_new, "No record moved")

    def test_refusal_speaks_of_one_or_many_transitions(self):
        """One refused move reads in the singular, several in the plural."""
        self._create_rule([self.requirement])
        leads = self._create_leads(2, function=False)
        with self.assertRaises(ValidationError) as caught:
            leads[0].write({"stage_id": self.stage_contacted.id})
        self.assertIn("The work this transition requires", str(caught.exception))
        self.assertNotIn("these transitions", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            leads.write({"stage_id": self.stage_contacted.id})
        self.assertIn("The work these transitions require", str(caught.exception))

    def test_salesperson_moves_own_lead(self):
        self._create_rule([self.requirement])
        lead = self._create_leads(function=False)
        lead_as_salesman = lead.with_user(self.user_salesman)
        with self.assertRaises(ValidationError):
            lead_as_salesman.write({"stage_id": self.stage_contacted.id})
        lead_as_salesman.write({"function": "CFO", "stage_id": self.stage_contacted.id})
        self.assertEqual(lead.stage_id, self.stage_contacted)

    @mute_logger("odoo.sql_db", "odoo.models")
    def test_import_path(self):
        self._create_rule([self.requirement])
        lead = self._create_leads(function=False)
        result = self.env["crm.lead"].load([".id", "stage_id"], [[str(lead.id), self.stage_contacted.name]])
        self.assertFalse(result["ids"])
        self.assertIn("Job position known", " ".join(message["message"] for message in result["messages"]))
        lead.invalidate_recordset()
        self.assertEqual(lead.stage_id, self.stage_new)
        result = self.env["crm.lead"].load(
            [".id", "function", "stage_id"], [[str(lead.id), "CEO", self.stage_contacted.name]]
        )
        self.assertEqual(result["ids"], lead.ids, result["messages"])
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_import_creates_in_guarded_stage(self):
        """Importing new records straight into a stage guarded from any stage: each row is checked."""
        self._create_rule([self.requirement], from_stage_ids=[Command.clear()])
        Lead = self.env["crm.lead"]
        count = Lead.search_count([])
        fields = ["name", "type", "team_id", "function", "stage_id"]
        row = ["Imported", "lead", self.team.name]
        result = Lead.load(
            fields, [[*row, "", self.stage_contacted.name], [*row, "CEO", self.stage_contacted.name]]
        )
        self.assertFalse(result["ids"])
        self.assertIn("Job position known", " ".join(message["message"] for message in result["messages"]))
        self.assertEqual(Lead.search_count([]), count, "a refused import creates nothing")
        result = Lead.load(
            fields, [[*row, "CEO", self.stage_contacted.name], [*row, "", self.stage_new.name]]
        )
        self.assertEqual(len(result["ids"]), 2, result["messages"])
        self.assertEqual(Lead.browse(result["ids"]).stage_id, self.stage_contacted | self.stage_new)

    def test_check_transition(self):
        rule = self._create_rule(
            [
                self.requirement,
                {"name": "Call done", "kind": "activity_done", "activity_type_id": self.type_call.id},
            ]
        )
        lead = self._create_leads(function="CEO")
        result = lead.check_transition(self.stage_contacted.id)
        self.assertEqual(
            result,
            [
                {
                    "rule_id": rule.id,
                    "rule": "Log first call",
                    "requirement_id": rule.requirement_ids[0].id,
                    "requirement": "Job position known",
                    "met": True,
                    "optional": False,
                },
                {
                    "rule_id": rule.id,
                    "rule": "Log first call",
                    "requirement_id": rule.requirement_ids[1].id,
                    "requirement": "Call done",
                    "met": False,
                    "optional": False,
                },
            ],
        )
        self.assertEqual(lead.check_transition(self.stage_won.id), [])

    def test_qualify_rules(self):
        self.Rule.create(
            {
                "name": "Budget known",
                "target": "qualify",
                "team_ids": [Command.set(self.team.ids)],
                "requirement_ids": [
                    Command.create(
                        {"name": "Budget estimated", "kind": "field", "field_id": self.field_revenue.id}
                    )
                ],
            }
        )
        lead = self._create_leads(expected_revenue=0)
        with self.assertRaises(ValidationError) as caught:
            lead._check_qualify_transition_rules()
        self.assertIn("Budget estimated", str(caught.exception))
        lead.expected_revenue = 5000
        self.assertTrue(lead._check_qualify_transition_rules())

    def test_transition_rule_ids(self):
        rule = self._create_rule([self.requirement])
        manager_rule = self._create_rule(
            [],
            name="Qualify",
            to_stage_id=self.stage_qualified.id,
            group_ids=[Command.set(self.env.ref("sales_team.group_sale_manager").ids)],
        )
        domain_rule = self._create_rule(
            [], name="Urgent", to_stage_id=self.stage_won.id, lead_domain="[('priority', '=', '3')]"
        )
        lead = self._create_leads()
        self.assertEqual(lead.with_user(self.user_salesman).transition_rule_ids, rule)
        self.assertEqual(lead.with_user(self.user_manager).transition_rule_ids, rule | manager_rule)
        lead.priority = "3"
        self.assertEqual(lead.with_user(self.user_salesman).transition_rule_ids, rule | domain_rule)
        lead.stage_id = self.stage_qualified
        self.assertFalse(lead.transition_rule_ids)

    def test_transition_rule_ids_query_count(self):
        """The buttons of a form: the rules, their conditions and their names in three queries."""
        self._create_rule([self.requirement])
        self._create_rule(
            [], name="Urgent", to_stage_id=self.stage_won.id, lead_domain="[('priority', '=', '3')]"
        )
        lead = self._create_leads()
        lead_as_salesman = lead.with_user(self.user_salesman)
        # Warm the registry caches (access rules, groups) as a running server has them.
        self.Rule.with_user(self.user_salesman).search([]).mapped("display_name")
        self.env.invalidate_all()
        # The form reads the record itself before its buttons.
        lead_as_salesman.read(["stage_id", "team_id", "type", "company_id", "active", "qualification_state"])
        self.user_salesman.mapped("groups_id")
        with self.assertQueryCount(3):
            self.assertEqual(len(lead_as_salesman.transition_rule_ids.mapped("display_name")), 1)

    def test_query_count_does_not_grow_with_records(self):
        rules = self.Rule
        for index in range(5):
            rules |= self._create_rule(
                [
                    self.requirement,
                    {"name": "Call", "kind": "activity_done", "activity_type_id": self.type_call.id},
                    {"name": "Meeting", "kind": "activity_planned", "activity_type_id": self.type_meeting.id},
                    {"name": "Note", "kind": "note"},
                    {"name": "File", "kind": "attachment"},
                    {"name": "Revenue", "kind": "domain", "domain": "[('expected_revenue', '>', 0)]"},
                ],
                name=f"Rule {index}",
                lead_domain="[('probability', '<', 100)]",
            )

        def move(leads):
            self.env.flush_all()
            self.env.invalidate_all()
            leads.mapped("stage_id")
            before = self.cr.sql_log_count
            leads.write({"stage_id": self.stage_contacted.id})
            self.env.flush_all()
            return self.cr.sql_log_count - before

        def extra_queries(count):
            leads = self._create_leads(count, function="CEO", expected_revenue=100)
            self._log_done(leads, self.type_call)
            self._plan(leads, self.type_meeting)
            for lead in leads:
                lead.message_post(body="Note", message_type="comment", subtype_xmlid="mail.mt_note")
            self.env["ir.attachment"].create(
                [{"name": "a.txt", "raw": b"a", "res_model": "crm.lead", "res_id": lead.id} for lead in leads]
            )
            rules.active = False
            without_rules = move(leads)
            with leads._transition_rules_skipped():
                leads.write({"stage_id": self.stage_new.id})
            rules.active = True
            with_rules = move(leads)
            self.assertEqual(leads.stage_id, self.stage_contacted)
            return with_rules - without_rules

        # A first run fills Odoo's caches (defaults of the records a move creates): only warm runs compare.
        extra_queries(10)
        extra_10, extra_100 = extra_queries(10), extra_queries(100)
        self.assertEqual(extra_10, extra_100, "The rules cost the same queries for 10 and 100 records")
        self.assertLessEqual(extra_100, 20)


@tagged("post_install", "-at_install")
class TestTransitionOverride(TransitionRuleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule(
            [{"name": "Job position known", "kind": "field", "field_id": cls.field_function.id}]
        )

    def test_salesperson_cannot_force(self):
        lead = self._create_leads(function=False)
        with self.assertRaises(AccessError):
            lead.with_user(self.user_salesman).force_transition(
                self.stage_contacted.id, "Customer in a hurry"
            )
        self.assertEqual(lead.stage_id, self.stage_new)

    def test_reason_is_mandatory(self):
        lead = self._create_leads(function=False)
        with self.assertRaises(UserError):
            lead.with_user(self.user_manager).force_transition(self.stage_contacted.id, "  ")
        self.assertEqual(lead.stage_id, self.stage_new)

    def test_manager_forces_with_reason(self):
        leads = self._create_leads(2, function=False)
        leads.with_user(self.user_manager).force_transition(self.stage_contacted.id, "Customer in a hurry")
        self.assertEqual(leads.stage_id, self.stage_contacted)
        for lead in leads:
            body = lead.message_ids[0].body
            self.assertIn("Customer in a hurry", body)
            self.assertIn("Job position known", body)
            self.assertIn(self.user_manager.name, body)
            event = lead.qualification_event_ids
            self.assertEqual(event.event, "transition_forced")
            self.assertEqual(event.note, "Customer in a hurry")
            self.assertEqual(event.user_id, self.user_manager)
        # The skip only lasted for the forced move.
        leads.with_user(self.user_manager).write({"stage_id": self.stage_new.id})
        with self.assertRaises(ValidationError):
            leads.write({"stage_id": self.stage_contacted.id})


@tagged("post_install", "-at_install")
class TestTransitionRuleConfiguration(TransitionRuleCommon):
    """Bad configuration is refused at save; rules are configured by managers only."""

    def test_bad_configuration(self):
        cases = [
            ({"lead_domain": "[('no_such_field', '=', 1)]"}, [], "cannot be evaluated"),
            ({"lead_domain": "[('name', '=',"}, [], "cannot be evaluated"),
            ({"to_stage_id": False}, [], "choose that stage"),
            ({"from_stage_ids": [Command.set(self.stage_contacted.ids)]}, [], "remove that stage"),
            ({}, [{"name": "No field", "kind": "field"}], "choose the field"),
            (
                {},
                [
                    {
                        "name": "Partner field",
                        "kind": "field",
                        "field_id": self.env["ir.model.fields"]._get("res.partner", "name").id,
                    }
                ],
                "choose a field of the lead",
            ),
            (
                {},
                [{"name": "Bad condition", "kind": "domain", "domain": "[('nope', '=', 1)]"}],
                "cannot be evaluated",
            ),
            ({}, [{"name": "No type", "kind": "activity_done"}], "choose the activity type"),
            ({}, [{"name": "No type", "kind": "activity_planned"}], "choose the activity type"),
        ]
        for values, requirements, message in cases:
            with self.subTest(message=message, values=values), self.assertRaises(ValidationError) as caught:
                self._create_rule(requirements, **values)
            self.assertIn(message, str(caught.exception))

    def test_field_of_a_requirement_is_not_removed(self):
        """Deleting the field would silently drop the requirement and let moves pass it used to block."""
        field = self.env["ir.model.fields"].create(
            {
                "name": "x_lqp_budget_owner",
                "field_description": "Budget owner",
                "model_id": self.env["ir.model"]._get_id("crm.lead"),
                "ttype": "char",
            }
        )
        rule = self._create_rule(
            [
                {"name": "Budget owner named", "kind": "field", "field_id": field.id},
                {"name": "Call done", "kind": "activity_done", "activity_type_id": self.type_call.id},
            ],
            match="any",
        )
        lead = self._create_leads()
        self._log_done(lead, self.type_call)
        with self.assertRaisesRegex(UserError, "Budget owner named"):
            field.unlink()
        self.assertEqual(rule.requirement_ids.mapped("name"), ["Budget owner named", "Call done"])
        lead.stage_id = self.stage_contacted
        self.assertEqual(lead.stage_id, self.stage_contacted)

    def test_salesperson_cannot_edit_rules(self):
        rule = self._create_rule(
            [{"name": "Job position known", "kind": "field", "field_id": self.field_function.id}]
        )
        rule_as_salesman = rule.with_user(self.user_salesman)
        self.assertEqual(rule_as_salesman.name, "Log first call", "Salespeople read the rules")
        with self.assertRaises(AccessError):
            rule_as_salesman.write({"active": False})
        with self.assertRaises(AccessError):
            rule_as_salesman.requirement_ids.unlink()
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.user_salesman).create({"name": "Mine", "to_stage_id": self.stage_won.id})
        rule.with_user(self.user_manager).write({"match": "any"})
        self.assertEqual(rule.match, "any")

    def test_impact_preview(self):
        rule = self._create_rule(
            [{"name": "Job position known", "kind": "field", "field_id": self.field_function.id}]
        )
        blocked = self._create_leads(2, function=False)
        self._create_leads(function="CEO")
        self._create_leads(function=False, stage_id=self.stage_qualified.id)
        rule.invalidate_recordset(["blocked_count"])
        self.assertEqual(rule.blocked_count, 2)
        action = rule.action_view_blocked_leads()
        self.assertEqual(self.env["crm.lead"].search(action["domain"]), blocked)


@tagged("post_install", "-at_install")
class TestTransitionDemo(TransitionRuleCommon):
    """The demo rules gate the demo team only, as the seed describes them."""

    def test_demo_rules(self):
        lead = self.env.ref("lead_qualification_plus.crm_lead_demo_transition_1")
        contacted = self.env.ref("lead_qualification_plus.crm_stage_demo_contacted")
        # The open lead gets the button of its next stage and the one of the rule gating its qualification.
        self.assertEqual(
            lead.transition_rule_ids,
            self.env.ref("lead_qualification_plus.crm_transition_rule_demo_contacted")
            | self.env.ref("lead_qualification_plus.crm_transition_rule_demo_qualify"),
        )
        with self.assertRaises(ValidationError) as caught:
            lead.write({"stage_id": contacted.id})
        self.assertIn("Call the customer", str(caught.exception))
        self._set_stage_entry(lead, -1)
        self._log_done(lead, self.type_call)
        lead.message_post(body="Needs 40 chairs", message_type="comment", subtype_xmlid="mail.mt_note")
        lead.write({"stage_id": contacted.id})

        qualified = self.env.ref("crm.stage_lead2")
        with self.assertRaises(ValidationError) as caught:
            lead.write({"stage_id": qualified.id})
        self.assertIn("Send the survey", str(caught.exception))
        self.assertIn("Fill the industry", str(caught.exception))
        self._log_done(lead, self.env.ref("lead_qualification_plus.mail_activity_type_send_survey"))
        lead.industry_id = self.env["res.partner.industry"].search([], limit=1) or self.env[
            "res.partner.industry"
        ].create({"name": "Furniture"})
        lead.write({"stage_id": qualified.id})

        with self.assertRaises(ValidationError) as caught:
            lead._check_qualify_transition_rules()
        self.assertIn("Plan a meeting", str(caught.exception))

    def test_demo_rules_leave_other_teams_alone(self):
        lead = self._create_leads(stage_id=self.env.ref("crm.stage_lead1").id)
        lead.write({"stage_id": self.env.ref("crm.stage_lead2").id})
        self.assertTrue(lead._check_qualify_transition_rules())
