from datetime import datetime, timedelta
from unittest.mock import patch

import psycopg2
import pytz

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..models import crm_lead_domain_mixin as mixin
from .common import CustomFieldCommon, LeadDomainCommon

# A condition that makes the user saving it a Settings administrator if it is ever evaluated with a record.
ESCALATION = "[('id', '!=', 0 if user.write({'groups_id': [(4, %d)]}) else 0)]"


@tagged("post_install", "-at_install")
class TestLeadDomainSecurity(LeadDomainCommon):
    """A condition typed by a sales manager runs with plain values only: no record, no method call."""

    def test_manager_cannot_make_themselves_administrator(self):
        condition = ESCALATION % self.group_system.id
        for where in ("rule", "requirement", "profile"):
            with self.subTest(where=where):
                self._assert_refused(lambda where=where: self._save_condition(where, condition))
                self.assertFalse(self.user_manager.has_group("base.group_system"))
        # Evaluated directly, out of any savepoint that could hide a write: still nothing happens.
        Rule = self.env["crm.transition.rule"].with_user(self.user_manager)
        with self.assertRaises(ValueError):
            Rule._parse_lead_domain(condition)
        self.env.invalidate_all()
        self.assertFalse(self.user_manager.has_group("base.group_system"))

    def test_no_superuser_reads(self):
        for condition in (
            "[('id', 'in', user.env['res.users'].search([]).ids)]",
            "[('name', '=', env['ir.config_parameter'].get_param('database.secret'))]",
            "[('name', '=', context_today.__globals__)]",
            "[('name', '=', time.sleep(30))]",
            "[('name', '=', [x for x in range(3)])]",
            "[('name', '=', 'x' * 100000000)]",
            "[('id', '=', 10 ** 10 ** 10)]",
        ):
            with self.subTest(condition=condition):
                self._assert_refused(lambda condition=condition: self._save_condition("rule", condition))

    def test_records_never_reach_a_condition(self):
        """Even with a record put back in the evaluation context, no method of it can be reached."""
        Rule = type(self.env["crm.transition.rule"])
        context = Rule._lead_domain_eval_context

        def with_user(model, names=None):
            return {**context(model, names), "user": model.env.user}

        names = mixin._CONTEXT_NAMES | {"user"}
        with (
            patch.object(Rule, "_lead_domain_eval_context", with_user),
            patch.object(mixin, "_CONTEXT_NAMES", names),
        ):
            with self.assertRaises(ValueError):
                self.env["crm.transition.rule"].with_user(self.user_manager)._parse_lead_domain(
                    ESCALATION % self.group_system.id
                )
            self.assertFalse(self.user_manager.has_group("base.group_system"))
            with self.assertRaisesRegex(ValueError, "attribute 'id' is not allowed"):
                self.env["crm.transition.rule"]._parse_lead_domain("[('user_id', '=', user.id)]")

    def test_domain_editor_conditions(self):
        """What Odoo's domain editor writes is accepted, and evaluated for the user looking."""
        self.user_salesman.tz = "UTC"
        lead = self._create_leads(date_deadline=fields.Date.today() + timedelta(days=3))
        mine = self._save_condition("rule", "[('user_id', '=', uid)]")
        for condition in (
            "[('create_date', '>=', context_today().strftime('%Y-%m-%d'))]",
            "[('date_deadline', '>=', (context_today() - relativedelta(days=7)).strftime('%Y-%m-%d'))]",
            "[('date_deadline', '>', (context_today() + relativedelta(days=1)).strftime('%Y-%m-%d'))]",
            "[('create_date', '>=', datetime.datetime.combine(context_today(), "
            "datetime.time(0, 0, 0)).to_utc().strftime('%Y-%m-%d %H:%M:%S'))]",
            "[('create_date', '>=', datetime.datetime.combine(context_today() + relativedelta(days=-7), "
            "datetime.time(0, 0, 0)).to_utc().strftime('%Y-%m-%d %H:%M:%S'))]",
            "[('date_deadline', '<', (context_today() + timedelta(days=30)).isoformat())]",
            "[('create_date', '<=', time.strftime('%Y-%m-%d 23:59:59'))]",
            "['|', ('company_id', '=', company_id), ('company_id', 'in', company_ids)]",
            "[('tag_ids', 'not any', [('name', '=', 'Spam')]), ('priority', '!=', '3')]",
            "[('expected_revenue', '>=', -1), ('name', '!=', False)]",
        ):
            with self.subTest(condition=condition):
                for where in ("rule", "requirement", "profile"):
                    record = self._save_condition(where, condition)
                    if where == "profile":
                        suitable = record.with_user(self.user_salesman)._filter_suitable_leads(lead)
                        self.assertEqual(suitable, lead)
                        record.action_archive()
                    elif where == "rule":
                        lead.invalidate_recordset(["transition_rule_ids"])
                        self.assertIn(record, lead.with_user(self.user_salesman).transition_rule_ids)
                        record.active = False
                    else:
                        requirement = record.requirement_ids.with_user(self.user_salesman)
                        met = requirement._evaluate(lead.with_user(self.user_salesman), {})
                        self.assertEqual(met[record.requirement_ids.id], {lead.id})
                        record.active = False
        lead.invalidate_recordset(["transition_rule_ids"])
        self.assertIn(mine, lead.with_user(self.user_salesman).transition_rule_ids)
        self.assertNotIn(mine, lead.with_user(self.user_salesman_all).transition_rule_ids)

    def test_datetime_today_is_the_users_midnight(self):
        self.user_salesman.tz = "Asia/Tokyo"
        Rule = self.env["crm.transition.rule"].with_user(self.user_salesman)
        [(_field, _op, value)] = Rule._parse_lead_domain(
            "[('create_date', '>=', datetime.datetime.combine(context_today(), "
            "datetime.time(0, 0, 0)).to_utc().strftime('%Y-%m-%d %H:%M:%S'))]"
        )
        today = fields.Date.context_today(Rule)
        midnight = pytz.timezone("Asia/Tokyo").localize(datetime.combine(today, datetime.min.time()))
        self.assertEqual(value, midnight.astimezone(pytz.utc).strftime("%Y-%m-%d %H:%M:%S"))

    def test_rules_and_profiles_agree_on_today(self):
        """``context_today()`` is the user's date for rules, requirements and profiles alike."""
        # A timezone whose date differs from the server's (UTC) date now.
        tz = "Pacific/Kiritimati" if datetime.now(pytz.utc).hour >= 10 else "Pacific/Pago_Pago"
        self.user_salesman.tz = tz
        user_today = datetime.now(pytz.timezone(tz)).date()
        lead = self._create_leads(date_deadline=user_today)
        condition = "[('date_deadline', '=', context_today().strftime('%Y-%m-%d'))]"
        rule = self._save_condition("rule", condition)
        requirement_rule = self._save_condition("requirement", condition)
        profile = self._save_condition("profile", condition)
        as_salesman = lead.with_user(self.user_salesman)
        self.assertIn(rule, as_salesman.transition_rule_ids)
        met = requirement_rule.requirement_ids.with_user(self.user_salesman)._evaluate(as_salesman, {})
        self.assertEqual(met[requirement_rule.requirement_ids.id], {lead.id})
        self.assertEqual(profile.with_user(self.user_salesman)._filter_suitable_leads(lead), lead)
        self.assertEqual(as_salesman._get_qualification_profiles()[lead.id], profile)


@tagged("post_install", "-at_install")
class TestLeadDomainValidation(LeadDomainCommon):
    """A condition the database would refuse on a stage move is refused when it is saved."""

    BAD_CONDITIONS = (
        "[('id', 'in', [1, 'a'])]",
        "[('create_date', '>', context_today)]",
        "[('date_deadline', '<', context_today)]",
        r"[('name', '=', 'a\x00b')]",
        "[('probability', '>', float('nan'))]",
        "[('probability', '>', 1e400 - 1e400)]",
        "[('date_deadline', '<', relativedelta(days=1))]",
        "[('no_such_field', '=', 1)]",
        "[('name', '=',",
        "('name', '=', 'x')",
    )

    def test_bad_conditions_are_refused(self):
        lead = self._create_leads()
        for where in ("rule", "requirement", "profile"):
            for condition in self.BAD_CONDITIONS:
                with self.subTest(where=where, condition=condition):
                    self._assert_refused(
                        lambda where=where, condition=condition: self._save_condition(where, condition)
                    )
        self.assertFalse(self.Rule.search([("name", "like", "Condition")]))
        self.assertFalse(self.Profile.search([("name", "=", "Condition profile")]))
        # Nothing saved, nothing breaks: the lead moves and qualifies.
        lead.with_user(self.user_salesman).stage_id = self.stage_contacted
        lead.with_user(self.user_salesman).qualify()
        self.assertEqual(lead.qualification_state, "qualified")

    def test_refusal_leaves_the_transaction_usable(self):
        """The database's own refusal is rolled back to a savepoint: the user's transaction goes on."""
        Rule = self.env["crm.transition.rule"].with_user(self.user_manager)
        with self.assertRaises(ValidationError):
            Rule._validate_lead_domain("[('id', 'in', [1, 'a'])]", "Mixed ids")
        self.assertTrue(self.env["crm.lead"].search_count([]))

    def test_refused_on_write(self):
        rule = self._save_condition("rule", "[('priority', '=', '3')]")
        profile = self._save_condition("profile", "[('priority', '=', '3')]")
        for record in (rule, profile):
            with self.subTest(model=record._name):
                self._assert_refused(
                    lambda record=record: record.with_user(self.user_manager).write(
                        {"lead_domain": "[('id', 'in', [1, 'a'])]"}
                    )
                )
            self.assertEqual(record.lead_domain, "[('priority', '=', '3')]")

    def test_broken_condition_takes_the_rule_out_of_service(self):
        """A condition that cannot be evaluated any more (a module uninstalled with its field, a condition
        saved before conditions were run at save) never breaks a salesperson's screen: its rule or
        profile is out of service until a manager corrects it."""
        rule = self._create_rule(
            [{"name": "Job position known", "kind": "field", "field_id": self.field_function.id}]
        )
        requirement_rule = self._save_condition("requirement", "[('priority', '=', '3')]")
        profile = self._save_condition("profile", "[('priority', '=', '3')]")
        lead = self._create_leads(priority="3")
        self.assertIn(rule, lead.transition_rule_ids)
        self.env.flush_all()
        for table, column, record, condition in (
            ("crm_transition_rule", "lead_domain", rule, "[('id', 'in', [1, 'a'])]"),
            (
                "crm_transition_requirement",
                "domain",
                requirement_rule.requirement_ids,
                "[('x_gone', '=', 1)]",
            ),
            ("crm_qualification_profile", "lead_domain", profile, "[('create_date', '>', context_today)]"),
        ):
            self.env.cr.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [condition, record.id])
        self.env.invalidate_all()
        as_salesman = lead.with_user(self.user_salesman)
        self.assertEqual(as_salesman.transition_rule_ids, requirement_rule)
        self.assertEqual(as_salesman.check_transition(self.stage_contacted.id), [])
        self.assertEqual(rule.blocked_count, 0)
        self.assertFalse(profile._filter_suitable_leads(lead))
        # The managers see why, on the rule and the profile.
        for record, error in (
            (rule, "cannot be compared with 'a'"),
            (profile, "is not a value a field can be compared with"),
            (requirement_rule.requirement_ids, "x_gone"),
        ):
            self.assertIn("out of service", record.with_user(self.user_manager).lead_domain_error)
            self.assertIn(error, record.lead_domain_error)
        self.assertFalse(requirement_rule.lead_domain_error)
        # A requirement whose condition cannot be evaluated is not met: its rule refuses, with its name.
        check = as_salesman.check_transition(self.stage_won.id)
        self.assertEqual([(line["rule_id"], line["met"]) for line in check], [(requirement_rule.id, False)])
        with Form(
            self.env["crm.lead.qualify"]
            .with_user(self.user_salesman)
            .with_context(active_model="crm.lead", active_ids=lead.ids, active_id=lead.id)
        ) as wizard:
            self.assertFalse(wizard.profile_id)
        as_salesman.stage_id = self.stage_contacted
        as_salesman.qualify()
        self.assertEqual(lead.qualification_state, "qualified")


@tagged("post_install", "-at_install")
class TestLeadDomainFieldRemoval(CustomFieldCommon):
    """A field that a condition or a requirement reads cannot be deleted from under it."""

    def test_used_field_cannot_be_deleted(self):
        lead = self._create_leads(x_lqp_budget=5000)
        budget, segment = self.field_budget, self.field_segment
        cases = [
            ("rule", budget, lambda: self._save_condition("rule", "[('x_lqp_budget', '>', 1000)]")),
            (
                "requirement",
                budget,
                lambda: self._save_condition("requirement", "[('x_lqp_budget', '>', 1000)]"),
            ),
            (
                "field requirement",
                budget,
                lambda: self._create_rule([{"name": "Budget known", "kind": "field", "field_id": budget.id}]),
            ),
            ("profile", budget, lambda: self._save_condition("profile", "[('x_lqp_budget', '>', 1000)]")),
            (
                "through a relation",
                segment,
                lambda: self._save_condition("profile", "[('partner_id.x_lqp_segment', '=', 'SMB')]"),
            ),
            (
                "in a sub-condition",
                segment,
                lambda: self._save_condition(
                    "rule", "[('partner_id', 'any', [('x_lqp_segment', '=', 'SMB')])]"
                ),
            ),
        ]
        for case, field, create in cases:
            with self.subTest(case=case):
                record = create()
                error = self._assert_refused(field.unlink, "cannot be deleted", UserError)
                self.assertIn(record.name, str(error))
                self.assertTrue(field.exists())
                self._assert_refused(
                    lambda field=field: field.write({"name": "x_lqp_renamed"}), "renamed", UserError
                )
                self.assertIn(field.name, ("x_lqp_budget", "x_lqp_segment"))
                if case == "field requirement":
                    self.assertEqual(record.requirement_ids.field_id, budget, "the requirement is kept")
                record.unlink()
        # The lead still moves and qualifies; a field nothing uses is deleted as before.
        as_salesman = lead.with_user(self.user_salesman)
        as_salesman.stage_id = self.stage_contacted
        as_salesman.qualify()
        self.assertEqual(lead.qualification_state, "qualified")
        self.field_segment.unlink()
        self.assertNotIn("x_lqp_segment", self.env["res.partner"]._fields)


@tagged("post_install", "-at_install")
class TestLeadDomainFieldUninstall(CustomFieldCommon):
    def test_module_uninstall_still_removes_fields(self):
        """A module uninstall removes its fields whatever uses them (the rule is then out of service)."""
        self._save_condition("rule", "[('x_lqp_budget', '>', 1000)]")
        self.field_budget.with_context(_force_unlink=True).unlink()
        self.assertFalse(self.field_budget.exists())


@tagged("post_install", "-at_install")
class TestRuleScopeNeverWidens(LeadDomainCommon):
    """A rule or profile does not apply more widely because what it was limited to is deleted."""

    def test_last_from_stage_cannot_be_deleted(self):
        stage_a, stage_b = self.env["crm.stage"].create([{"name": "LQP A"}, {"name": "LQP B"}])
        rule = self._create_rule([], from_stage_ids=[Command.set(stage_a.ids)])
        two_stages = self._create_rule(
            [], name="Two stages", from_stage_ids=[Command.set((stage_a | stage_b).ids)]
        )
        rule.action_archive()
        with self.assertRaisesRegex(UserError, "Log first call") as caught:
            stage_a.unlink()
        self.assertNotIn("Two stages", str(caught.exception))
        self.assertEqual(rule.from_stage_ids, stage_a)
        stage_b.unlink()
        self.assertEqual(two_stages.from_stage_ids, stage_a)

    def test_last_team_cannot_be_deleted(self):
        team = self.env["crm.team"].create({"name": "LQP Short-lived"})
        rule = self._create_rule([], team_ids=[Command.set(team.ids)])
        profile = self.Profile.create({"name": "Short-lived profile", "team_ids": [Command.set(team.ids)]})
        with self.assertRaisesRegex(UserError, "Short-lived profile") as caught:
            team.unlink()
        self.assertIn(rule.name, str(caught.exception))
        self.assertEqual(rule.team_ids, team)
        self.assertEqual(profile.team_ids, team)
        rule.team_ids = self.team | team
        profile.unlink()
        team.unlink()
        self.assertEqual(rule.team_ids, self.team)

    def test_last_allowed_group_cannot_be_deleted(self):
        group = self.env["res.groups"].create({"name": "LQP Closers"})
        rule = self._create_rule([], group_ids=[Command.set(group.ids)])
        with self.assertRaisesRegex(UserError, rule.name):
            group.unlink()
        self.assertEqual(rule.group_ids, group)
        lead = self._create_leads()
        with self.assertRaises(AccessError):
            lead.with_user(self.user_salesman).stage_id = self.stage_contacted
        rule.group_ids = False
        group.unlink()
        self.assertFalse(group.exists())

    def test_company_of_a_rule_or_profile_cannot_be_deleted(self):
        company = self.env["res.company"].create({"name": "LQP Short-lived Company"})
        rule = self._create_rule([], company_id=company.id)
        profile = self.Profile.create({"name": "Short-lived profile", "company_id": company.id})
        for record in (rule, profile):
            with self.subTest(model=record._name):
                with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
                    company.unlink()
                self.assertEqual(record.company_id, company)
                record.unlink()
        company.unlink()
        self.assertFalse(company.exists())
