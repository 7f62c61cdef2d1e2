from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# The records code moves without the transition rules (see CrmLead._transition_rules_skipped).
_TRANSITION_RULES_SKIPPED = ContextVar(
    "lead_qualification_plus_transition_rules_skipped", default=frozenset()
)


class CrmLead(models.Model):
    """What the lead knows of transition rules: which move it makes (from which stage, since when) and
    which records move without them. The rules evaluate, authorise, explain and log their verdicts
    (``crm.transition.rule._check_moves``)."""

    _inherit = "crm.lead"

    stage_moves_restricted = fields.Boolean(
        compute="_compute_stage_moves_restricted",
        help="Whether a stage move of this record could be refused: its team allows defined moves only, or "
        "an active stage rule applies to its moves from its stage (its condition apart). When not, every "
        "stage is within reach and the pipeline does not ask the server where the card may go.",
    )

    @api.depends("team_id.transition_policy", "type", "company_id", "stage_id")
    def _compute_stage_moves_restricted(self):
        # One search for the whole batch of cards the pipeline loads: the rules are few, the cards many.
        scopes = [
            rule._scope_filter() for rule in self.env["crm.transition.rule"]._get_candidate_rules("stage")
        ]
        for lead in self:
            values = (lead.team_id.id, lead.type, lead.company_id.id, lead.stage_id.id)
            lead.stage_moves_restricted = lead.team_id.transition_policy == "defined" or any(
                applies(*values) for applies in scopes
            )

    @api.model
    def _get_stage_argument(self, stage_id):
        """The stage ``stage_id`` an RPC caller gave, or a UserError saying what is wrong with it."""
        if isinstance(stage_id, bool) or not isinstance(stage_id, int):
            raise UserError(
                self.env._(
                    "The stage must be given by its id (a whole number), not %(value)r.", value=stage_id
                )
            )
        stage = self.env["crm.stage"].browse(stage_id).exists()
        if not stage:
            raise UserError(
                self.env._(
                    "The stage %(id)s does not exist (anymore): reload and choose another.", id=stage_id
                )
            )
        return stage

    @contextmanager
    def _transition_rules_skipped(self):
        """Let code move the records of self without the transition rules, within the block only.

        The flag lives in a context variable of the running thread, out of reach of any RPC argument or
        context key.
        """
        token = _TRANSITION_RULES_SKIPPED.set(
            _TRANSITION_RULES_SKIPPED.get() | {(self.env.cr.dbname, lead_id) for lead_id in self.ids}
        )
        try:
            yield
        finally:
            _TRANSITION_RULES_SKIPPED.reset(token)

    def _get_transition_rules_skipped(self):
        skipped = _TRANSITION_RULES_SKIPPED.get()
        if not skipped:
            return self.browse()
        dbname = self.env.cr.dbname
        return self.browse([lead_id for lead_id in self.ids if (dbname, lead_id) in skipped])

    def _enforce_transition_rules(self, from_stages, stage_entry, rules):
        """Raise when one of ``rules`` (candidate rules of the stage target) refuses the move of self (records
        now in their new stage), then run the actions after the move of the rules that let them through."""
        verdicts = rules._check_moves(self, from_stages, stage_entry)
        rules._run_actions_after(verdicts)

    def _get_stage_origins(self):
        """Return ``(from_stages, stage_entry)`` for a move of self from where the records stand: the stage
        each record leaves and since when it is in it, by record id, as ``_evaluate_moves`` takes them."""
        return (
            {lead.id: lead.stage_id.id for lead in self},
            {lead.id: lead.date_last_stage_update for lead in self},
        )

    # ------------------------------------------------------------
    # TEAMS THAT ALLOW DEFINED MOVES ONLY (crm.team.transition_policy)
    # ------------------------------------------------------------

    def _get_defined_move_ids(self, stage):
        """The ids of the records of self that may move to ``stage`` under their team's transition policy.

        Allowed: records of a team with the ``open`` policy, moves into a won stage (Odoo's Won button),
        moves back to a stage of lower sequence when the team allows them, and moves an active stage rule
        defines (its from-stages hold the current stage or are empty, its to-stage is ``stage``, it applies to
        the record's type, team, company and condition). Whether the rule's requirements are met is the
        rules' own check, not this one.
        """
        allowed = {lead.id for lead in self if lead.team_id.transition_policy != "defined"}
        if stage.is_won:
            return set(self.ids)
        backward = {
            lead.id
            for lead in self
            if lead.team_id.allow_backward_moves and lead.stage_id and stage.sequence < lead.stage_id.sequence
        }
        undecided = self.filtered(lambda lead: lead.id not in allowed | backward)
        if not undecided:
            return allowed | backward
        rules = self.env["crm.transition.rule"]._get_candidate_rules("stage", stage.ids)
        from_stages = {lead.id: lead.stage_id.id for lead in undecided}
        defined = set().union(*rules._get_applicable_ids(undecided, from_stages).values()) if rules else set()
        return allowed | backward | defined

    def _check_transition_policy(self, stage):
        """Raise a ValidationError naming the allowed next stages when a record of self may not move to
        ``stage`` because its team allows defined moves only (see ``_get_defined_move_ids``)."""
        strict = self.filtered(
            lambda lead: lead.team_id.transition_policy == "defined" and lead.stage_id != stage
        )
        if not strict:
            return
        refused = strict - strict.browse(strict._get_defined_move_ids(stage))
        if not refused:
            return
        lines = []
        for lead in refused[:10]:
            # Won is always within reach (Odoo's Won button): the message lists the steps of the process.
            next_stages = self.env["crm.stage"].browse(lead.get_allowed_stages(check_requirements=False))
            next_stages = next_stages.filtered(lambda next_stage: not next_stage.is_won)
            lines.append(
                self.env._(
                    "- %(record)s (team %(team)s): allowed next stages: %(stages)s",
                    record=lead.display_name,
                    team=lead.team_id.name,
                    stages=", ".join(next_stages.mapped("name")) or self.env._("none"),
                )
            )
        if len(refused) > 10:
            lines.append(self.env._("... and %(count)s more.", count=len(refused) - 10))
        raise ValidationError(
            self.env._(
                "The move to %(stage)s is not part of the team's process: only the moves its stage rules "
                "define are allowed.\n%(lines)s",
                stage=stage.name,
                lines="\n".join(lines),
            )
        )

    def get_allowed_stages(self, check_requirements=True):
        """The ids of the stages this record may move to now, in stage order, for user interfaces.

        A stage is allowed when the team's transition policy lets the record move there and, with
        ``check_requirements`` (the default), no transition rule into it still asks for work. The current
        stage is not listed. Read with the caller's rights: the record must be readable.
        """
        if len(self) != 1:
            raise UserError(self.env._("get_allowed_stages answers for one record at a time: give one id."))
        self.check_access("read")
        domain = [("team_id", "in", [False, self.team_id.id])] if self.team_id else []
        stages = self.env["crm.stage"].search(domain) - self.stage_id
        allowed = stages.filtered(lambda stage: self.id in self._get_defined_move_ids(stage))
        if not check_requirements:
            return allowed.ids
        from_stages, stage_entry = self._get_stage_origins()
        Rule = self.env["crm.transition.rule"]
        rules = Rule._get_candidate_rules("stage", allowed.ids)
        blocked = set()
        for stage, stage_rules in rules.grouped("to_stage_id").items():
            verdicts = stage_rules._evaluate_moves(self, from_stages, stage_entry)
            if any(not satisfied for _lead, _rule, _unmet, satisfied in verdicts):
                blocked.add(stage.id)
        return [stage.id for stage in allowed if stage.id not in blocked]
