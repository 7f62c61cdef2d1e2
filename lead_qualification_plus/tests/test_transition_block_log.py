import importlib.util
from contextlib import contextmanager
from unittest.mock import patch

import odoo
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BLOCK_LOG_MODULE, LeadQualificationCommon


@tagged("post_install", "-at_install")
class TestTransitionBlockLog(LeadQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        phone_field = cls.env["ir.model.fields"]._get("crm.lead", "phone")
        cls.rule_call = cls.env["crm.transition.rule"].create(
            {
                "name": "LQP Log first call",
                "team_ids": [odoo.Command.set(cls.team.ids)],
                "to_stage_id": cls.stage_contacted.id,
                "requirement_ids": [
                    odoo.Command.create({"name": "Phone known", "kind": "field", "field_id": phone_field.id}),
                    odoo.Command.create(
                        {"name": "Budget known", "kind": "domain", "domain": "[('expected_revenue', '>', 0)]"}
                    ),
                ],
            }
        )
        cls.req_phone, cls.req_budget = cls.rule_call.requirement_ids
        cls.rule_qualify = cls.env["crm.transition.rule"].create(
            {
                "name": "LQP Budget before qualifying",
                "target": "qualify",
                "team_ids": [odoo.Command.set(cls.team.ids)],
                "requirement_ids": [
                    odoo.Command.create(
                        {"name": "Budget set", "kind": "domain", "domain": "[('expected_revenue', '>', 0)]"}
                    ),
                ],
            }
        )
        cls.lead_sally, cls.lead_sally_2 = cls._create_leads(2)
        cls.lead_alan = cls._create_leads(1, user_id=cls.user_salesman_all.id, phone="+32 470 000000")
        cls.Block = cls.env["crm.transition.block.log"]

    @contextmanager
    def _spy_block_log(self):
        """Record what the refusal passes to the hook (the rows themselves are rolled back with it)."""
        calls = []
        log_class = type(self.Block)
        original = log_class._log_blocks

        def spy(records, blocked):
            calls.append([(lead, rule, unmet) for lead, rule, unmet in blocked])
            return original(records, blocked)

        with patch.object(log_class, "_log_blocks", spy):
            yield calls

    def test_stage_refusal_calls_the_hook(self):
        """A refused drag to Contacted logs one block per record and rule, with its unmet requirements."""
        leads = self.lead_sally | self.lead_alan
        with self._spy_block_log() as calls, self.assertRaises(ValidationError):
            leads.with_user(self.user_salesman_all).write({"stage_id": self.stage_contacted.id})
        self.assertEqual(len(calls), 1)
        blocked = {lead: (rule, unmet) for lead, rule, unmet in calls[0]}
        self.assertEqual(blocked[self.lead_sally], (self.rule_call, self.req_phone | self.req_budget))
        self.assertEqual(blocked[self.lead_alan], (self.rule_call, self.req_budget))
        self.assertEqual(self.lead_sally.stage_id, self.stage_new, "the refused move is not written")

    def test_allowed_move_logs_nothing(self):
        self.lead_alan.expected_revenue = 100
        with self._spy_block_log() as calls:
            self.lead_alan.write({"stage_id": self.stage_contacted.id})
        self.assertFalse(calls)
        self.assertFalse(self.Block.search([("lead_id", "=", self.lead_alan.id)]))

    def test_qualify_refusal_is_logged(self):
        """A refused qualification is logged with its rule, requirement, team, salesperson and author."""
        leads = (self.lead_sally | self.lead_alan).with_user(self.user_salesman_all)
        try:
            leads._check_qualify_transition_rules()
        except ValidationError:
            pass
        else:
            self.fail("the qualification rule must refuse")
        blocks = self.Block.search([("rule_id", "=", self.rule_qualify.id)])
        self.assertEqual(len(blocks), 2)
        block = blocks.filtered(lambda block: block.lead_id == self.lead_alan)
        self.assertEqual(
            (block.target, block.team_id, block.user_id, block.blocked_user_id, block.lead_type),
            ("qualify", self.team, self.user_salesman_all, self.user_salesman_all, "lead"),
        )
        self.assertEqual(block.requirement_ids, self.rule_qualify.requirement_ids)
        self.assertEqual(block.company_id, self.company)

    def test_counts_by_rule_requirement_team_salesperson_month(self):
        """The report answers: how often did each rule / requirement block, for whom, when."""
        log_model = self.Block.with_user(self.user_salesman_all)
        log_model._log_blocks(
            [
                (self.lead_sally, self.rule_call, self.req_phone | self.req_budget),
                (self.lead_sally_2, self.rule_call, self.req_phone),
                (self.lead_alan, self.rule_call, self.req_budget),
            ]
        )
        log_model._log_blocks([(self.lead_alan, self.rule_qualify, self.rule_qualify.requirement_ids)])
        domain = [("lead_id", "in", (self.lead_sally | self.lead_sally_2 | self.lead_alan).ids)]
        by_rule = dict(self.Block._read_group(domain, ["rule_id"], ["__count"]))
        self.assertEqual(by_rule, {self.rule_call: 3, self.rule_qualify: 1})
        by_requirement = dict(
            self.Block._read_group(
                [*domain, ("rule_id", "=", self.rule_call.id)], ["requirement_ids"], ["__count"]
            )
        )
        self.assertEqual(by_requirement, {self.req_phone: 2, self.req_budget: 2})
        by_user = dict(self.Block._read_group(domain, ["user_id"], ["__count"]))
        self.assertEqual(by_user, {self.user_salesman: 2, self.user_salesman_all: 2})
        by_team_month = self.Block.read_group(domain, ["__count"], ["team_id", "date:month"], lazy=False)
        self.assertEqual(
            [(group["team_id"][0], group["__count"]) for group in by_team_month], [(self.team.id, 4)]
        )

    def test_salesperson_sees_blocks_of_own_leads(self):
        self.Block._log_blocks(
            [
                (self.lead_sally, self.rule_call, self.req_phone),
                (self.lead_alan, self.rule_call, self.req_budget),
            ]
        )
        domain = [("rule_id", "=", self.rule_call.id)]
        self.assertEqual(self.Block.with_user(self.user_salesman).search(domain).lead_id, self.lead_sally)
        self.assertEqual(len(self.Block.with_user(self.user_manager).search(domain)), 2)
        self.assertFalse(self.Block.with_user(self.user_manager).has_access("create"))

    def test_blocks_follow_the_company_of_their_record(self):
        other_company = self.env["res.company"].create({"name": "LQP Other Company"})
        other_lead = self.env["crm.lead"].create(
            {"name": "LQP other company lead", "type": "lead", "company_id": other_company.id}
        )
        self.Block._log_blocks(
            [
                (self.lead_alan, self.rule_call, self.req_budget),
                (other_lead, self.rule_call, self.req_phone),
            ]
        )
        domain = [("rule_id", "=", self.rule_call.id)]
        manager = self.user_manager
        manager.company_ids |= other_company
        blocks = self.Block.with_user(manager)
        self.assertEqual(
            blocks.with_context(allowed_company_ids=self.company.ids).search(domain).lead_id, self.lead_alan
        )
        self.assertEqual(
            len(blocks.with_context(allowed_company_ids=(self.company | other_company).ids).search(domain)), 2
        )

    def test_production_logs_through_its_own_cursor(self):
        """Outside tests the log goes through a cursor of its own (committed apart from the refusal)."""
        opened = []

        @contextmanager
        def own_cursor(registry, readonly=False):
            # Stands for the separate connection: same transaction here, so nothing is committed.
            opened.append(registry)
            with self.env.cr.savepoint(flush=False):
                yield self.env.cr

        with (
            patch(f"{BLOCK_LOG_MODULE}.running_tests", return_value=False),
            patch.object(type(self.env.registry), "cursor", own_cursor),
        ):
            self.Block._log_blocks([(self.lead_sally, self.rule_call, self.req_phone)])
        self.assertEqual(len(opened), 1)
        self.assertEqual(
            self.Block.search([("lead_id", "=", self.lead_sally.id)]).requirement_ids, self.req_phone
        )

    def test_logging_failure_never_hides_the_refusal(self):
        """If the log cannot be written, a warning says so and the caller goes on."""

        def broken_cursor(registry, readonly=False):
            raise odoo.sql_db.PoolError("no connection left")

        with (
            patch(f"{BLOCK_LOG_MODULE}.running_tests", return_value=False),
            patch.object(type(self.env.registry), "cursor", broken_cursor),
            self.assertLogs(BLOCK_LOG_MODULE, "WARNING"),
        ):
            self.Block._log_blocks([(self.lead_sally, self.rule_call, self.req_phone)])

    def test_records_unknown_to_the_log_cursor_are_left_out(self):
        """A lead that exists only in the refused transaction cannot be referenced by the log: skipped."""
        values = self.Block._prepare_block_values([(self.lead_sally, self.rule_call, self.req_phone)])
        missing = dict(values[0], lead_id=self.lead_sally.id + 1_000_000)
        blocks = self.Block._create_blocks_in(self.env, [*values, missing])
        self.assertEqual(blocks.lead_id, self.lead_sally)


@tagged("post_install", "-at_install")
class TestBlockLogUpgrade(LeadQualificationCommon):
    """A database of the version where the log was named like a report keeps its rows on upgrade."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_call = cls.env["crm.transition.rule"].create(
            {
                "name": "LQP Phone first",
                "to_stage_id": cls.stage_contacted.id,
                "requirement_ids": [
                    odoo.Command.create(
                        {"name": "Phone known", "kind": "domain", "domain": "[('phone', '!=', False)]"}
                    )
                ],
            }
        )
        cls.req_phone = cls.rule_call.requirement_ids
        cls.lead_sally, cls.lead_sally_2 = cls._create_leads(2)
        cls.Block = cls.env["crm.transition.block.log"]

    def _run_migration(self):
        path = odoo.modules.get_module_path("lead_qualification_plus")
        spec = importlib.util.spec_from_file_location(
            "pre_rename_block_log", f"{path}/migrations/18.0.2.0.0/pre-rename-block-log.py"
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.0.0")

    def _back_to_the_old_names(self):
        # What the previous version left in the database, built back from the current one (DDL is
        # transactional: the test's rollback undoes it).
        cr = self.env.cr
        cr.execute("ALTER TABLE crm_transition_block_log RENAME TO crm_transition_block_report")
        cr.execute(
            "ALTER SEQUENCE crm_transition_block_log_id_seq RENAME TO crm_transition_block_report_id_seq"
        )
        cr.execute(
            "ALTER TABLE crm_transition_block_log_requirement_rel "
            "RENAME TO crm_transition_block_report_requirement_rel"
        )
        for table, column in [
            ("ir_model", "model"),
            ("ir_model_fields", "model"),
            ("ir_model_data", "model"),
        ]:
            cr.execute(
                f"UPDATE {table} SET {column} = 'crm.transition.block.report' "
                f"WHERE {column} = 'crm.transition.block.log'"
            )
        cr.execute(
            """UPDATE ir_model_data
                  SET name = replace(name, 'crm_transition_block_log', 'crm_transition_block_report')
                WHERE module = 'lead_qualification_plus'"""
        )

    def test_upgrade_keeps_the_rows_and_their_ids(self):
        self.Block._log_blocks([(self.lead_sally, self.rule_call, self.req_phone)])
        block = self.Block.search([("lead_id", "=", self.lead_sally.id)])
        self.env.flush_all()
        model_id = self.env["ir.model"]._get_id("crm.transition.block.log")
        self._back_to_the_old_names()
        self._run_migration()
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        self.assertEqual(self.env["ir.model"]._get_id("crm.transition.block.log"), model_id)
        self.assertEqual(self.env.ref("lead_qualification_plus.model_crm_transition_block_log").id, model_id)
        self.assertTrue(self.env.ref("lead_qualification_plus.crm_transition_block_log_action"))
        self.assertEqual(block.requirement_ids, self.req_phone)
        self.assertEqual(block.rule_id, self.rule_call)
        self.Block._log_blocks([(self.lead_sally_2, self.rule_call, self.req_phone)])
        self.assertEqual(len(self.Block.search([("rule_id", "=", self.rule_call.id)])), 2)
