from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models
from odoo.exceptions import UserError

# The records code moves without the transition rules (see CrmLead._transition_rules_skipped).
_TRANSITION_RULES_SKIPPED = ContextVar(
    "lead_qualification_plus_transition_rules_skipped", default=frozenset()
)


class CrmLead(models.Model):
    """What the lead knows of transition rules: which move it makes (from which stage, since when) and
    which records move without them. The rules evaluate, authorise, explain and log their verdicts
    (``crm.transition.rule._check_moves``)."""

    _inherit = "crm.lead"

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
