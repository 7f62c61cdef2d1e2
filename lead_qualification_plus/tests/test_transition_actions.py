from odoo import Command
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TransitionRuleCommon

_ENGINE_LOGGER = "odoo.addons.lead_qualification_plus.models.crm_transition_rule"


@tagged("post_install", "-at_install")
class TestTransitionActions(TransitionRuleCommon):
    """A rule's server actions run on the records that took its transition, on every path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.user_id = cls.user_manager
        model = cls.env["ir.model"]._get("crm.lead")
        # Made by the test's superuser, as an administrator (or a module) makes them.
        cls.action_code = cls.env["ir.actions.server"].create(
            {
                "name": "Note the move",
                "model_id": model.id,
                "state": "code",
                "code": "record.write({'description': 'as superuser' if env.su else 'as the user'})",
            }
        )
        cls.action_priority = cls.env["ir.actions.server"].create(
            {
                "name": "Raise the priority",
                "model_id": model.id,
                "state": "object_write",
                "update_path": "priority",
                "evaluation_type": "value",
                "value": "3",
            }
        )
        cls.template = cls.env["mail.template"].create(
            {
                "name": "Contacted",
                "model_id": model.id,
                "subject": "Thanks for your time, {{ object.name }}",
                "body_html": "<p>We talked today.</p>",
            }
        )
        cls.action_mail = cls.env["ir.actions.server"].create(
            {
                "name": "Thank the customer",
                "model_id": model.id,
                "state": "mail_post",
                "mail_post_method": "note",
                "template_id": cls.template.id,
            }
        )
        cls.rule = cls._create_rule(
            [],
            action_server_ids=[Command.set((cls.action_code | cls.action_priority | cls.action_mail).ids)],
        )

    def test_a_qualify_rule_takes_no_actions(self):
        """Actions after the move run after moves to a stage: a qualify rule holding some, which would never
        run them, is refused at save, by every path (the form hides the tab, an RPC call or an import not)."""
        Rule = self.env["crm.transition.rule"].with_user(self.user_manager)
        actions = [Command.set(self.action_priority.ids)]
        with self.assertRaises(ValidationError) as refusal:
            Rule.create({"name": "Qualify and notify", "target": "qualify", "action_server_ids": actions})
        self.assertIn("run only for rules that move records to a stage", str(refusal.exception))
        result = Rule.load(
            ["name", "target", "action_server_ids/.id"],
            [["Imported", "qualify", str(self.action_priority.id)]],
        )
        self.assertEqual([message["type"] for message in result["messages"]], ["error"], result)
        self.assertFalse(Rule.search_count([("name", "in", ("Qualify and notify", "Imported"))]))
        # A rule with actions cannot become a qualify rule, nor a qualify rule get actions.
        with self.assertRaises(ValidationError):
            self.rule.with_user(self.user_manager).write({"target": "qualify"})
        qualify = Rule.create({"name": "Qualify", "target": "qualify"})
        with self.assertRaises(ValidationError):
            qualify.action_server_ids = actions
        self.env.invalidate_all()
        self.assertEqual(self.rule.target, "stage")
        self.assertFalse(qualify.action_server_ids)

    def _assert_actions_ran(self, leads):
        for lead in leads:
            self.assertEqual(lead.stage_id, self.stage_contacted)
            # Superuser mode, as in an automation: the salesperson could not have run the code herself.
            self.assertEqual(lead.description, "<p>as superuser</p>")
            self.assertEqual(lead.priority, "3")
            self.assertIn(
                f"Thanks for your time, {lead.name}",
                lead.message_ids.mapped("subject"),
                "the template posted",
            )

    def test_write_and_kanban_run_the_actions(self):
        leads = self._create_leads(2)
        leads.with_user(self.user_salesman).write({"stage_id": self.stage_contacted.id})
        self._assert_actions_ran(leads)

    def test_other_moves_do_not_run_them(self):
        lead = self._create_leads()
        lead.write({"stage_id": self.stage_qualified.id})
        self.assertFalse(lead.description)
        self.assertNotEqual(lead.priority, "3")

    def test_create_and_import_run_the_actions(self):
        self.rule.from_stage_ids = False
        created = self._create_leads(stage_id=self.stage_contacted.id)
        self._assert_actions_ran(created)
        result = (
            self.env["crm.lead"]
            .with_user(self.user_salesman)
            .load(
                ["name", "type", "team_id/.id", "stage_id/.id"],
                [["Imported", "lead", str(self.team.id), str(self.stage_contacted.id)]],
            )
        )
        self.assertFalse(result["messages"], result["messages"])
        self._assert_actions_ran(self.env["crm.lead"].browse(result["ids"]))

    def test_transition_popup_and_forced_move_run_the_actions(self):
        lead, forced = self._create_leads(2)
        action = lead.with_user(self.user_salesman).action_open_transition(self.rule.id)
        self.env["crm.lead.transition"].with_user(self.user_salesman).browse(action["res_id"]).action_move()
        self._assert_actions_ran(lead)
        self.user_manager.groups_id += self.env.ref("lead_qualification_plus.group_transition_override")
        forced.with_user(self.user_manager).force_transition(self.stage_contacted.id, "Customer called us")
        self.assertEqual(forced.stage_id, self.stage_contacted)
        self.assertEqual(forced.priority, "3")

    def test_an_action_moving_its_record_again_does_not_loop(self):
        # Back to where it came from, and through the rule again.
        self.action_code.code = (
            f"record.write({{'stage_id': {self.stage_new.id}}})\n"
            f"record.write({{'stage_id': {self.stage_contacted.id}, "
            "'description': (record.description or '') + 'x'})"
        )
        lead = self._create_leads()
        lead.write({"stage_id": self.stage_contacted.id})
        self.assertEqual(lead.description, "<p>x</p>")

    def test_failing_action_keeps_the_move_and_is_reported_once(self):
        self.action_code.code = "record.write({'description': 'half done'})\nraise UserError('Webhook down')"
        leads = self._create_leads(3)
        with mute_logger(_ENGINE_LOGGER):
            leads.with_user(self.user_salesman).write({"stage_id": self.stage_contacted.id})
        self.assertEqual(leads.stage_id, self.stage_contacted, "the move stands")
        self.assertFalse(any(leads.mapped("description")), "the failing action is undone alone")
        self.assertEqual(set(leads.mapped("priority")), {"3"}, "the other actions ran")
        reports = self.env["mail.activity"].search(
            [("summary", "ilike", "Note the move"), ("user_id", "=", self.user_manager.id)]
        )
        self.assertEqual(len(reports), 1, "one report per kind of failure, not one per record")
        self.assertIn("Log first call", reports.summary)
        self.assertIn("Webhook down", str(reports.note))
        more = self._create_leads(2)
        with mute_logger(_ENGINE_LOGGER):
            more.write({"stage_id": self.stage_contacted.id})
        self.assertEqual(self.env["mail.activity"].search_count([("summary", "ilike", "Note the move")]), 1)

    def test_sales_manager_reads_the_actions_on_leads_only(self):
        """The rule form lists the actions to choose from: a sales manager reads those on leads, not others,
        and writes none; a salesperson reads none."""
        partner_action = self.env["ir.actions.server"].create(
            {"name": "On partners", "model_id": self.env["ir.model"]._get_id("res.partner"), "state": "code"}
        )
        Actions = self.env["ir.actions.server"].with_user(self.user_manager)
        found = Actions.search([("id", "in", (self.action_priority | partner_action).ids)])
        self.assertEqual(found, self.action_priority)
        self.assertEqual(
            self.rule.with_user(self.user_manager).action_server_ids.mapped("name"),
            ["Note the move", "Raise the priority", "Thank the customer"],
        )
        with self.assertRaises(AccessError):
            partner_action.with_user(self.user_manager).read(["name"])
        with self.assertRaises(AccessError):
            self.action_priority.with_user(self.user_manager).write({"value": "1"})
        with self.assertRaises(AccessError):
            self.action_code.with_user(self.user_manager).read(["code"])
        with self.assertRaises(AccessError):
            self.action_priority.with_user(self.user_manager).read(["webhook_url"])
        with self.assertRaises(AccessError):
            self.action_priority.with_user(self.user_salesman).read(["name"])
        # Administrators still read every action.
        admin = mail_new_test_user(
            self.env, login="lqp_test_admin", groups="base.group_system,sales_team.group_sale_manager"
        )
        self.assertEqual(partner_action.with_user(admin).read(["name"])[0]["name"], "On partners")

    def test_only_administrators_actions_may_be_chosen(self):
        """A sales manager may configure rules, not get code of his own run in superuser mode."""
        model = self.env["ir.model"]._get("crm.lead")
        with self.assertRaises(AccessError):
            self.env["ir.actions.server"].with_user(self.user_manager).create(
                {"name": "Mine", "model_id": model.id, "state": "code", "code": "pass"}
            )
        # An action written by someone who is not an administrator (through a module's own sudo, say).
        foreign = (
            self.env["ir.actions.server"]
            .with_user(self.user_manager)
            .sudo()
            .create({"name": "Foreign code", "model_id": model.id, "state": "code", "code": "pass"})
        )
        self.env.flush_all()
        self.assertEqual(foreign.create_uid, self.user_manager)
        rule = self.rule.with_user(self.user_manager)
        with self.assertRaises(ValidationError) as caught:
            rule.action_server_ids = [Command.link(foreign.id)]
        self.assertIn("Foreign code", str(caught.exception))
        with self.assertRaises(ValidationError):
            self._create_rule([], name="Other", action_server_ids=[Command.set(foreign.ids)])
        # Nor an administrator's action on another model.
        partner_action = self.env["ir.actions.server"].create(
            {"name": "On partners", "model_id": self.env["ir.model"]._get_id("res.partner"), "state": "code"}
        )
        with self.assertRaises(ValidationError):
            rule.action_server_ids = [Command.link(partner_action.id)]
        # An administrator's action changed since by someone else is not run.
        self.action_code.with_user(self.user_manager).sudo().code = "record.write({'priority': '1'})"
        lead = self._create_leads()
        with mute_logger(_ENGINE_LOGGER):
            lead.write({"stage_id": self.stage_contacted.id})
        self.assertEqual(lead.priority, "3", "only the administrator's actions ran")
        self.assertFalse(lead.description)
        # The manager may pick the administrator's actions.
        rule.action_server_ids = [Command.set(self.action_priority.ids)]
        self.assertEqual(self.rule.action_server_ids, self.action_priority)
