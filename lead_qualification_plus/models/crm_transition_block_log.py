import logging
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import running_tests

_logger = logging.getLogger(__name__)

# How long the log's own cursor waits for a lock, and for any statement, before giving up the log: the refused
# transaction may itself hold a lock on crm_lead (a module install, a custom field created in the same
# transaction), which the log's cursor would otherwise wait for forever, and the user with it.
BLOCK_LOG_LOCK_TIMEOUT = "2s"
BLOCK_LOG_STATEMENT_TIMEOUT = "10s"


class CrmTransitionBlockLog(models.Model):
    """One row each time a transition rule refused to move a record: which rule, which requirements were
    not met, for which lead, team and salesperson, and when. A forced move (``force_transition``) adds one
    ``forced`` row per rule it routed around, with its reason and its ``transition_forced`` history event:
    rule health, which rules a team goes around and why.

    A stored log, not a SQL view: a refusal leaves no trace in the database (the refused write raises and
    its transaction is rolled back), so there is nothing a view could read. The log is therefore written
    at the refusal point through a cursor of its own, committed whatever happens to the refused
    transaction (see ``_log_blocks``).
    """

    _name = "crm.transition.block.log"
    _description = "Transition Block Log"
    _order = "date desc, id desc"
    _rec_name = "rule_id"

    kind = fields.Selection(
        selection=[("blocked", "Blocked"), ("forced", "Forced")],
        required=True,
        default="blocked",
        index=True,
        readonly=True,
        help="Blocked: the rule refused the move. Forced: a manager moved the record despite the rule.",
    )
    reason = fields.Text(readonly=True, help="Why the move was forced.")
    event_id = fields.Many2one(
        comodel_name="crm.qualification.event",
        string="History Event",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, readonly=True)
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Lead",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    lead_type = fields.Selection(
        selection=[("lead", "Lead"), ("opportunity", "Opportunity")], string="Type", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", string="Company", index=True, readonly=True)
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        readonly=True,
        help="The salesperson of the record when the move was refused.",
    )
    blocked_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Attempted By",
        readonly=True,
        help="Who tried to move the record (who forced it, for a forced move).",
    )
    rule_id = fields.Many2one(
        comodel_name="crm.transition.rule",
        string="Transition Rule",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    target = fields.Selection(selection=[("stage", "Move to a stage"), ("qualify", "Qualify")], readonly=True)
    stage_id = fields.Many2one(
        comodel_name="crm.stage",
        string="Target Stage",
        readonly=True,
        help="The stage the record was refused, for a stage transition.",
    )
    requirement_ids = fields.Many2many(
        comodel_name="crm.transition.requirement",
        relation="crm_transition_block_log_requirement_rel",
        column1="block_id",
        column2="requirement_id",
        string="Unmet Requirements",
        readonly=True,
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _prepare_block_values(self, blocked):
        """Values of the rows logging ``blocked``, a list of ``(lead, rule, unmet requirements)``."""
        return [
            {
                "lead_id": lead.id,
                "lead_type": lead.type,
                "company_id": lead.company_id.id,
                "team_id": lead.team_id.id,
                "user_id": lead.user_id.id,
                "blocked_user_id": self.env.uid,
                "rule_id": rule.id,
                "target": rule.target,
                "stage_id": rule.to_stage_id.id if rule.target == "stage" else False,
                "requirement_ids": [fields.Command.set(unmet.ids)],
            }
            for lead, rule, unmet in blocked
        ]

    @api.model
    def _log_forced(self, blocked, events, reason):
        """Log the moves ``blocked`` (``(lead, rule, unmet requirements)``) forced for ``reason``, with the
        ``transition_forced`` history event of each lead among ``events``.

        In the forcing transaction: the move and its trace stand or fall together."""
        if not blocked:
            return self.browse()
        event_by_lead = {event.lead_id.id: event.id for event in events}
        values = [
            dict(row, kind="forced", reason=reason, event_id=event_by_lead.get(row["lead_id"], False))
            for row in self.sudo()._prepare_block_values(blocked)
        ]
        # Users never write the log (read-only to them); the rows hold what the forcing flow saw.
        return self.sudo().create(values)

    @api.model
    def _log_blocks(self, blocked):
        """Log the refused moves ``blocked`` (a list of ``(lead, rule, unmet requirements)``).

        Callers may rely on this: the log survives the rollback of the refused transaction, and never
        raises (a failure to log is logged as a warning, and the refusal itself goes on).
        """
        if not blocked:
            return
        # Reads the refused records and rules for the log: the rules' configuration is no salesperson's read.
        values = self.sudo()._prepare_block_values(blocked)
        try:
            with self._block_log_cursor() as cr:
                # Users never write the log (read-only to them); its rows hold what the refusal saw, ids and
                # dates, nothing the user typed.
                self._create_blocks_in(self.env(cr=cr, su=True), values)
        except Exception:
            _logger.warning("Could not log the transition blocks %s", values, exc_info=True)

    @contextmanager
    def _block_log_cursor(self):
        """A cursor of its own for the log, committed on leaving the block, whatever the refused
        transaction becomes; its waits are bounded (BLOCK_LOG_LOCK_TIMEOUT), past which it raises.

        Tests run in one transaction that is never committed: there the log goes in that transaction
        (the records it refers to exist only there), in a savepoint so that a failure leaves it usable.
        """
        if running_tests(self.env):
            with self.env.cr.savepoint(flush=False):
                yield self.env.cr
            return
        with self.env.registry.cursor() as cr:
            cr.execute(SQL("SET LOCAL lock_timeout = %s", BLOCK_LOG_LOCK_TIMEOUT))
            cr.execute(SQL("SET LOCAL statement_timeout = %s", BLOCK_LOG_STATEMENT_TIMEOUT))
            yield cr

    @api.model
    def _create_blocks_in(self, env, values):
        """Create the rows of ``values`` in ``env``, leaving out what only the refused transaction knows.

        A record created by the refused transaction itself (e.g. a lead created then moved in one request)
        does not exist for another cursor: its row is left out rather than failing the whole log.
        """
        requirement_ids = [rid for value in values for rid in value["requirement_ids"][0][2]]
        lead_ids = set(env["crm.lead"].browse([value["lead_id"] for value in values]).exists().ids)
        rule_ids = set(env["crm.transition.rule"].browse([value["rule_id"] for value in values]).exists().ids)
        known_requirement_ids = set(env["crm.transition.requirement"].browse(requirement_ids).exists().ids)
        rows = [
            dict(
                value,
                requirement_ids=[
                    fields.Command.set(
                        [rid for rid in value["requirement_ids"][0][2] if rid in known_requirement_ids]
                    )
                ],
            )
            for value in values
            if value["lead_id"] in lead_ids and value["rule_id"] in rule_ids
        ]
        return env[self._name].create(rows)
