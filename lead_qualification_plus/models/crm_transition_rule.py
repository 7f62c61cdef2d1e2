import logging
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .crm_lead import is_concurrency_error

_logger = logging.getLogger(__name__)

# The (rule id, record id) pairs whose actions after the move are running: an action moving its record again
# does not run the same actions again on it. A context variable of the running thread, out of reach of RPC.
_ACTIONS_RUNNING = ContextVar("lead_qualification_plus_actions_running", default=frozenset())

# Refused moves listed in one refusal: a mass move names the first ones and counts the others.
_REFUSAL_LINES_SHOWN = 20


class TransitionBlockedError(ValidationError):
    """A transition rule refuses a move: the web client offers the refused rule's checklist.

    Its ``context`` (sent to the web client with the error) names the first refused record and rule."""

    def __init__(self, message, lead, rule):
        super().__init__(message)
        self.context = {
            "lqp_transition_blocked": {
                "lead_id": lead.id,
                "rule_id": rule.id,
                "rule": rule.name,
                "target": rule.target,
            }
        }


class CrmTransitionRule(models.Model):
    """A transition a lead/opportunity may only take when the work it demands is done.

    The rules are records, and the engine lives here: the rules that apply to a move are evaluated in one pass
    (``_evaluate_moves``), with one grouped read per requirement kind whatever the number of records; their
    verdicts are authorised, explained, logged and raised by ``_check_moves``. The lead only says which move
    it makes and calls it.
    """

    _name = "crm.transition.rule"
    _inherit = ["crm.lead.domain.mixin"]
    _description = "CRM Transition Rule"
    _order = "sequence, id"

    name = fields.Char(
        required=True,
        translate=True,
        help="The transition's label, shown on its button, e.g. 'Log first call'.",
    )
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        index=True,
        default=lambda self: self.env.company,
        ondelete="restrict",
        help="Leave empty to apply the rule in every company.",
    )
    team_ids = fields.Many2many(
        comodel_name="crm.team",
        relation="crm_transition_rule_crm_team_rel",
        column1="rule_id",
        column2="team_id",
        string="Sales Teams",
        help="Leave empty to apply the rule to every sales team.",
    )
    lead_type = fields.Selection(
        selection=[("lead", "Lead"), ("opportunity", "Opportunity"), ("both", "Both")],
        string="Applies To",
        required=True,
        default="both",
    )
    from_stage_ids = fields.Many2many(
        comodel_name="crm.stage",
        relation="crm_transition_rule_from_stage_rel",
        column1="rule_id",
        column2="stage_id",
        string="From Stages",
        help="Leave empty to apply the rule whatever stage the record comes from.",
    )
    target = fields.Selection(
        selection=[("stage", "Move to a stage"), ("qualify", "Qualify")],
        required=True,
        default="stage",
    )
    to_stage_id = fields.Many2one(
        comodel_name="crm.stage",
        string="To Stage",
        index=True,
        ondelete="cascade",
    )
    lead_domain = fields.Char(
        string="Applies When",
        default="[]",
        help="The rule applies only to the records matching this condition.",
    )
    group_ids = fields.Many2many(
        comodel_name="res.groups",
        relation="crm_transition_rule_res_groups_rel",
        column1="rule_id",
        column2="group_id",
        string="Allowed Groups",
        help="Who may perform the transition. Leave empty to let every salesperson perform it.",
    )
    match = fields.Selection(
        selection=[("all", "All requirements"), ("any", "At least one requirement")],
        required=True,
        default="all",
    )
    requirement_ids = fields.One2many(
        comodel_name="crm.transition.requirement",
        inverse_name="rule_id",
        string="Requirements",
        copy=True,
    )
    guidance = fields.Html(
        translate=True,
        help="Shown in the transition popup: how to do the work well.",
    )
    action_server_ids = fields.Many2many(
        comodel_name="ir.actions.server",
        relation="crm_transition_rule_ir_actions_server_rel",
        column1="rule_id",
        column2="action_id",
        string="Actions After the Move",
        domain=[("model_name", "=", "crm.lead"), ("usage", "=", "ir_actions_server")],
        help="Server actions on leads/opportunities (send an email, schedule an activity, update fields, "
        "call a webhook) run on the records once they took this transition, on every path. Only actions "
        "created and last changed by an administrator may be chosen. A failing action does not undo the "
        "move: it is logged and reported to the rule's managers.",
    )
    blocked_count = fields.Integer(
        string="Blocked Records",
        compute="_compute_blocked_count",
        help="Open records in the from-stages to which the rule applies and that would not meet it now.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_blocked_count(self):
        for rule in self:
            rule.blocked_count = len(rule._get_blocked_leads()) if rule.id else 0

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("lead_domain")
    def _check_lead_domain(self):
        for rule in self:
            self._validate_lead_domain(rule.lead_domain, rule.name)

    @api.constrains("team_ids")
    def _check_team_ids(self):
        self._check_references_readable(["team_ids"])

    @api.constrains("action_server_ids")
    def _check_action_server_ids(self):
        for rule in self:
            # Reads who made the actions: the rule's author may not read the users' groups of others.
            for action in rule.sudo().action_server_ids:
                if action.model_id.model != "crm.lead":
                    raise ValidationError(
                        self.env._(
                            'The action "%(action)s" does not work on leads/opportunities: the transition '
                            'rule "%(rule)s" runs only actions on leads/opportunities.',
                            action=action.name,
                            rule=rule.name,
                        )
                    )
                if not action._lqp_made_by_administrator():
                    raise ValidationError(
                        self.env._(
                            'The action "%(action)s" was not created or last changed by an administrator: '
                            'the transition rule "%(rule)s" may only run actions that administrators made.',
                            action=action.name,
                            rule=rule.name,
                        )
                    )

    @api.constrains("target", "action_server_ids")
    def _check_qualify_rule_without_actions(self):
        # Actions after the move run after moves to a stage only: on a qualify rule they would never run.
        # sudo: only reads whether the rules being saved have actions (their author, a sales manager, reads
        # only the actions on leads); it writes nothing and reaches no other record.
        for rule in self.sudo().filtered(lambda rule: rule.target == "qualify" and rule.action_server_ids):
            raise ValidationError(
                self.env._(
                    'The transition rule "%(rule)s" qualifies: actions after the move run only for rules '
                    "that move records to a stage. Remove its actions (After the Move tab) or make it move "
                    "to a stage.",
                    rule=rule.name,
                )
            )

    @api.constrains("target", "to_stage_id", "from_stage_ids")
    def _check_stages(self):
        for rule in self:
            if rule.target != "stage":
                continue
            if not rule.to_stage_id:
                raise ValidationError(
                    self.env._(
                        'The transition rule "%(name)s" moves records to a stage: choose that stage.',
                        name=rule.name,
                    )
                )
            if rule.to_stage_id in rule.from_stage_ids:
                raise ValidationError(
                    self.env._(
                        'The transition rule "%(name)s" moves records to "%(stage)s": '
                        "remove that stage from the stages they come from.",
                        name=rule.name,
                        stage=rule.to_stage_id.name,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_blocked_leads(self):
        """Open the open records that this rule would block now."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action.update(
            {
                "name": self.env._("Blocked by %(rule)s", rule=self.name),
                "domain": [("id", "in", self._get_blocked_leads().ids)],
                "context": {"active_test": False},
                "view_mode": "list,form",
                "views": [(False, "list"), (False, "form")],
            }
        )
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _names_widened_without(self, fname, removed, model_names=("crm.transition.rule",)):
        """The names of the records of ``model_names`` (every company, archived ones included) whose
        many2many ``fname`` holds nothing but ``removed``: empty means "all", so deleting ``removed`` would
        widen them."""
        names = []
        for model_name in model_names:
            # sudo: the rules and profiles of every company rely on ``removed``, whoever deletes it; only
            # their names come out, in the refusal.
            records = (
                self.env[model_name]
                .sudo()
                .with_context(active_test=False)
                .search([(fname, "in", removed.ids)])
            )
            names += [record.name for record in records if not record[fname] - removed]
        return ", ".join(f"“{name}”" for name in names)

    def _scope_filter(self):
        """Return a predicate ``(team_id, lead_type, company_id, from_stage_id) -> bool``: whether rule
        ``self`` applies to such a record, its condition apart. Plain values: it runs for every record."""
        from_stage_ids = set(self.from_stage_ids.ids)
        team_ids = set(self.team_ids.ids)
        lead_type = self.lead_type
        company_id = self.company_id.id

        def applies(team_id, record_type, record_company_id, from_stage_id):
            return (
                (not from_stage_ids or from_stage_id in from_stage_ids)
                and (not team_ids or team_id in team_ids)
                and (lead_type == "both" or record_type == lead_type)
                and (not company_id or record_company_id == company_id)
            )

        return applies

    def _evaluate_moves(self, leads, from_stages, stage_entry):
        """Evaluate the rules of self against ``leads`` and return their verdicts.

        ``from_stages`` maps each lead id to the stage it leaves (False when it is created),
        ``stage_entry`` to when it entered that stage. Returns a list of
        ``(lead, rule, unmet requirements, satisfied)`` for each pair where the rule applies, in the order of
        the leads then the rules. The number of queries depends on the rules, never on the number of leads.
        """
        ids_by_rule = self._get_applicable_ids(leads, from_stages)
        if not ids_by_rule:
            return []
        # Recommended requirements are left out: they never block (``_get_blocking_requirements``).
        requirements = self.env["crm.transition.requirement"].union(
            *(rule._get_blocking_requirements() for rule in ids_by_rule)
        )
        met = requirements._evaluate(leads.browse(set().union(*ids_by_rule.values())), stage_entry)
        checks = [
            (
                rule,
                rule_ids,
                [(requirement.id, met[requirement.id]) for requirement in rule._get_blocking_requirements()],
            )
            for rule, rule_ids in ids_by_rule.items()
        ]
        Requirement = self.env["crm.transition.requirement"]
        verdicts = []
        for lead in leads:
            lead_id = lead.id
            for rule, rule_ids, rule_requirements in checks:
                if lead_id not in rule_ids:
                    continue
                unmet_ids = [req_id for req_id, met_ids in rule_requirements if lead_id not in met_ids]
                if rule.match == "any":
                    satisfied = not rule_requirements or len(unmet_ids) < len(rule_requirements)
                else:
                    satisfied = not unmet_ids
                verdicts.append((lead, rule, Requirement.browse(unmet_ids), satisfied))
        return verdicts

    def _check_moves(self, leads, from_stages, stage_entry):
        """Raise when a rule of self refuses to let ``leads`` take their transition: an AccessError when the
        user may not perform it (rule groups), else a TransitionBlockedError listing the work still to do.

        Stage rules judge the records now in their stage (the records as written, in their new stage);
        qualification rules judge every record. ``from_stages`` and ``stage_entry`` are as for
        ``_evaluate_moves``. Every refused move is logged in the transition block log before raising.
        Returns the verdicts of the moves it let through.
        """
        qualify_rules = self.filtered(lambda rule: rule.target == "qualify")
        stage_rules = self - qualify_rules
        verdicts = qualify_rules._evaluate_moves(leads, from_stages, stage_entry) if qualify_rules else []
        if stage_rules:
            for stage, stage_leads in leads.grouped("stage_id").items():
                rules = stage_rules.filtered(lambda rule, stage=stage: rule.to_stage_id == stage)
                verdicts += rules._evaluate_moves(stage_leads, from_stages, stage_entry)
        # The rules are read in superuser mode (they bind every user); who moves is the user of the records.
        # Superuser mode bypasses access rights, and the allowed groups are an access right; the
        # requirements still apply.
        if not leads.env.su:
            self._check_verdicts_allowed(verdicts)
        self._raise_for_blocked(verdicts)
        return verdicts

    @api.model
    def _run_actions_after(self, verdicts):
        """Run the actions after the move of the rules of ``verdicts`` (``_evaluate_moves``) on their records,
        once the records took the transition.

        As Odoo's automations run them (``base_automation``'s ``_process``): in superuser mode, one record at
        a time, with ``active_model``, ``active_id`` and ``active_ids``. Each in a savepoint: a failing action
        is undone alone, logged and reported to the rule's managers; the move stands.
        """
        running = _ACTIONS_RUNNING.get()
        by_rule = {}
        for lead, rule, _unmet, _satisfied in verdicts:
            if rule.action_server_ids and (rule.id, lead.id) not in running:
                by_rule.setdefault(rule, []).append(lead)
        if not by_rule:
            return
        token = _ACTIONS_RUNNING.set(
            running | {(rule.id, lead.id) for rule, leads in by_rule.items() for lead in leads}
        )
        try:
            for rule, leads in by_rule.items():
                rule._run_actions_on(leads)
        finally:
            _ACTIONS_RUNNING.reset(token)

    def _run_actions_on(self, leads):
        self.ensure_one()
        # Superuser mode, as an automation runs them: the rule's actions are administrators' own (checked at
        # save and again here, in case an action was changed since), never something the mover wrote.
        for action in self.sudo().action_server_ids:
            if not action._lqp_made_by_administrator():
                _logger.warning(
                    "Transition rule %s: action %s skipped, it was not made by an administrator",
                    self.id,
                    action.id,
                )
                continue
            for lead in leads:
                context = {"active_model": lead._name, "active_id": lead.id, "active_ids": lead.ids}
                try:
                    with self.env.cr.savepoint():
                        action.with_context(**context).run()
                except Exception as error:
                    if is_concurrency_error(error):
                        raise
                    _logger.exception(
                        "Transition rule %s: action %s failed on record %s", self.id, action.id, lead.id
                    )
                    self._report_action_failure(action, lead, error)

    def _get_managers(self):
        """Who answers for rule ``self``: the leaders of its teams, else the last who changed it."""
        self.ensure_one()
        # sudo: reads who leads the rule's teams and who changed it last, whoever moved the record; only the
        # users come out, to be told of a failure.
        managers = self.sudo().team_ids.user_id
        return managers or self.sudo().write_uid

    def _report_action_failure(self, action, lead, error):
        """Tell the rule's managers that ``action`` failed on ``lead``: one open To-Do per manager and kind of
        failure (rule, action, error class), not one per record or attempt."""
        self.ensure_one()
        summary = self.env._(
            'Action "%(action)s" of the transition "%(rule)s" fails (%(error)s)',
            action=action.name,
            rule=self.name,
            error=type(error).__name__,
        )
        # The report is the system's, whoever moved the record: the mover may not see the managers'
        # activities.
        Activity = self.env["mail.activity"].sudo()
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for manager in self._get_managers():
            if Activity.search_count([("user_id", "=", manager.id), ("summary", "=", summary)], limit=1):
                continue
            # sudo: the report is the system's (see above): the mover may lack the rights to give a colleague
            # an activity; its values are the failure's, none of them the mover's.
            lead.sudo().activity_schedule(
                activity_type_id=todo.id if todo else False,
                summary=summary,
                note=self.env._(
                    "The record moved, but the action after the move failed: %(message)s. "
                    "Ask an administrator to fix the action; later failures of the same kind are not "
                    "reported again while this activity is open.",
                    message=str(error),
                ),
                user_id=manager.id,
            )

    def _get_transition_label(self):
        self.ensure_one()
        if self.target == "qualify":
            return self.env._('"%(rule)s" (qualification)', rule=self.name)
        return self.env._('"%(rule)s" (to %(stage)s)', rule=self.name, stage=self.to_stage_id.name)

    @api.model
    def _raise_for_blocked(self, verdicts):
        """Log and raise a TransitionBlockedError for the verdicts of ``_evaluate_moves`` whose work is not
        done; return when there is none."""
        blocked = [(lead, rule, unmet) for lead, rule, unmet, satisfied in verdicts if not satisfied]
        if not blocked:
            return
        # The refusal point of every path (stage write, create, qualify): the block log counts it here.
        self.env["crm.transition.block.log"]._log_blocks(blocked)
        first_lead, first_rule, _unmet = blocked[0]
        raise TransitionBlockedError(self._format_blocked(blocked), lead=first_lead, rule=first_rule)

    @api.model
    def _check_verdicts_allowed(self, verdicts):
        """Raise an AccessError when the user may not perform a transition of ``verdicts`` (rule groups)."""
        user_groups = self.env.user.groups_id
        rules = self.union(*(rule for _lead, rule, _unmet, _ok in verdicts))
        refused = {rule for rule in rules if rule.group_ids and not rule.group_ids & user_groups}
        forbidden = [(lead, rule) for lead, rule, _unmet, _ok in verdicts if rule in refused]
        if not forbidden:
            return
        lines = [
            self.env._(
                "- %(record)s: %(transition)s is reserved to %(groups)s",
                record=lead.display_name,
                transition=rule._get_transition_label(),
                groups=", ".join(rule.group_ids.mapped("full_name")),
            )
            for lead, rule in forbidden
        ]
        raise AccessError(
            self.env._(
                "You are not allowed to perform these transitions:\n%(lines)s\nAsk a colleague who may.",
                lines="\n".join(lines),
            )
        )

    @api.model
    def _format_blocked(self, blocked):
        """The refusal message of ``blocked`` (``(lead, rule, unmet requirements)`` triples): what each
        record still needs, then what to do next."""
        lines = []
        for lead, rule, unmet in blocked[:_REFUSAL_LINES_SHOWN]:
            if rule.match == "any":
                header = self.env._(
                    "%(record)s — %(transition)s needs at least one of:",
                    record=lead.display_name,
                    transition=rule._get_transition_label(),
                )
            else:
                header = self.env._(
                    "%(record)s — %(transition)s still needs:",
                    record=lead.display_name,
                    transition=rule._get_transition_label(),
                )
            lines.append(header)
            lines.extend(f"    • {name}" for name in unmet.mapped("name"))
        if len(blocked) > _REFUSAL_LINES_SHOWN:
            lines.append(self.env._("... and %(count)s more.", count=len(blocked) - _REFUSAL_LINES_SHOWN))
        first_rule = blocked[0][1]
        if first_rule.target == "qualify":
            way_forward = self.env._(
                'Open the record and click "%(rule)s" in its header: its checklist lets you do the work, '
                "then qualify.",
                rule=first_rule.name,
            )
        else:
            way_forward = self.env._(
                'Open the record and click "%(rule)s" in its header: its checklist lets you do the work and '
                "move it. A sales manager can force the move from that checklist.",
                rule=first_rule.name,
            )
        if len(blocked) == 1:
            return self.env._(
                "The work this transition requires is not done yet:\n%(lines)s\n\n%(way_forward)s",
                lines="\n".join(lines),
                way_forward=way_forward,
            )
        return self.env._(
            "The work these transitions require is not done yet:\n%(lines)s\n\n%(way_forward)s",
            lines="\n".join(lines),
            way_forward=way_forward,
        )

    def _get_applicable_ids(self, leads, from_stages):
        """``{rule: set of lead ids}``: the records of ``leads`` each rule of self applies to when they leave
        the stages ``from_stages`` (by lead id; False when created): from-stages, type, team, company and
        condition, not the requirements. Queries depend on the rules, never on the number of records."""
        # Plain ids and sets from here on: this loop sees every (record, rule) pair of a mass move.
        scope = [
            (lead.id, lead.team_id.id, lead.type, lead.company_id.id, from_stages.get(lead.id))
            for lead in leads
        ]
        ids_by_rule = {}
        # Reads only: a rule binds every user, including those who may not read its configuration.
        for rule in self.sudo():
            applies = rule._scope_filter()
            rule_ids = {lead_id for lead_id, *values in scope if applies(*values)}
            if rule_ids:
                ids_by_rule[rule] = rule_ids
        if not ids_by_rule:
            return {}
        scoped = leads.browse(set().union(*ids_by_rule.values()))
        domains = self.browse().union(*ids_by_rule)._get_domains_in_service()
        matching = self._filter_by_domains(scoped, domains)
        ids_by_rule = {
            rule: rule_ids & set(matching[rule].ids)
            for rule, rule_ids in ids_by_rule.items()
            if rule in matching
        }
        return {rule: rule_ids for rule, rule_ids in ids_by_rule.items() if rule_ids}

    def _get_blocking_requirements(self):
        """The requirements of rule ``self`` that decide whether it lets a record through.

        Recommended (``optional``) requirements never count, met or not, whatever the rule's match: under
        "all requirements" every other one must be met; under "at least one requirement" one of the others
        must be, a recommended item met does not stand in for them. A rule left with none blocks nothing, like
        a rule without requirements."""
        return self.requirement_ids.filtered(lambda requirement: not requirement.optional)

    @api.model
    def _get_candidate_rules(self, target, to_stage_ids=None, from_any_only=False):
        """The active rules of ``target`` (moving into ``to_stage_ids`` for stage rules), all companies."""
        domain = [("target", "=", target)]
        if to_stage_ids is not None:
            domain.append(("to_stage_id", "in", list(to_stage_ids)))
        if from_any_only:
            domain.append(("from_stage_ids", "=", False))
        # Every rule binds every user: whether the user may read the rule's configuration does not matter.
        return self.sudo().search(domain)

    def _get_blocked_leads(self):
        """The open records in the from-stages to which this rule applies and that it would block now."""
        self.ensure_one()
        domain = [("active", "=", True), ("stage_id.is_won", "=", False)]
        if self.from_stage_ids:
            domain.append(("stage_id", "in", self.from_stage_ids.ids))
        if self.to_stage_id:
            domain.append(("stage_id", "!=", self.to_stage_id.id))
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        if self.lead_type != "both":
            domain.append(("type", "=", self.lead_type))
        if self.company_id:
            domain.append(("company_id", "=", self.company_id.id))
        leads = self.env["crm.lead"].search(domain)
        verdicts = self._evaluate_moves(leads, *leads._get_stage_origins())
        return self.env["crm.lead"].union(
            *(lead for lead, _rule, _unmet, satisfied in verdicts if not satisfied)
        )
