"""The lead: its fields and computes, the one CRUD section holding every ORM override the addon makes on
``crm.lead`` (create, write, toggle_active, Odoo's merge hooks), and its public API.

Each feature's engine lives in a file of its own, readable without this one:
- ``crm_lead_transition.py``: which move a record makes (verdicts: ``crm_transition_rule.py``);
- ``crm_lead_disqualification.py``: disqualify, reactivate, the scheduled reactivation;
- ``crm_lead_stakeholders.py``: stakeholders and competitors;
- ``crm_lead_qualification.py``: the qualification pipeline (``qualify()`` itself is public API, here);
- ``crm_lead_sla.py``: the time limits' clock and its job;
- ``crm_lead_comeback.py``: leads a returning customer brings back.

Why over ~500 lines: about 200 of them are field declarations (with their help texts) that forms, reports and
integrators read in one place, and the guard of the qualification fields must sit next to the CRUD methods it
protects; the rest is the API's argument checks, kept next to the methods they check.
"""

import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import format_list

from ..tools import GuardedFields

_logger = logging.getLogger(__name__)

# What qualifying, disqualifying and reactivating write, and the history and reports rely on: only the addon's
# own flows may change them (see CrmLead._qualification_writes).
QUALIFICATION_FIELDS = (
    "qualification_state",
    "qualification_profile_id",
    "date_qualified",
    "qualified_user_id",
    "date_disqualified",
    "disqualified_user_id",
    "disqualified_stage_id",
)
# A new record is open, nothing else.
_QUALIFICATION_GUARD = GuardedFields(
    "qualification", dict.fromkeys(QUALIFICATION_FIELDS, False) | {"qualification_state": "open"}
)


def qualification_writes_allowed():
    """Whether the addon's own flows are writing what only they may write (CrmLead._qualification_writes)."""
    return _QUALIFICATION_GUARD.writing()


def is_concurrency_error(error):
    """Whether ``error`` is a clash with a concurrent transaction (serialization failure, lock not available,
    deadlock): Odoo retries the whole request or job for it, so code isolating failures must let it through
    rather than record it as a failure of its own."""
    return isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    qualification_state = fields.Selection(
        selection=[
            ("open", "Open"),
            ("qualified", "Qualified"),
            ("disqualified", "Disqualified"),
        ],
        string="Qualification",
        default="open",
        required=True,
        readonly=True,
        index=True,
        copy=False,
        tracking=True,
        help="Open: still being qualified. Qualified: the qualification created or linked its records. "
        "Disqualified: set aside with a reason; it can be reactivated.",
    )
    qualification_event_ids = fields.One2many(
        comodel_name="crm.qualification.event",
        inverse_name="lead_id",
        string="Qualification History",
        readonly=True,
    )
    qualification_profile_id = fields.Many2one(
        comodel_name="crm.qualification.profile",
        string="Qualification Profile",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The profile that decided which records qualifying the lead created.",
    )
    date_qualified = fields.Datetime(string="Qualified On", readonly=True, copy=False)
    qualified_user_id = fields.Many2one(
        comodel_name="res.users", string="Qualified By", readonly=True, copy=False
    )
    vat = fields.Char(
        string="Tax ID",
        help="Tax ID of the lead's company: qualifying copies it to the company it creates and uses it to "
        "find an existing one.",
    )
    # Disqualification: what Odoo's "Lost" forgets (who, when, from which stage, until when).
    date_disqualified = fields.Datetime(
        string="Disqualified On",
        readonly=True,
        copy=False,
        help="When the lead was disqualified (or the opportunity marked as lost) with a reason.",
    )
    disqualified_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Disqualified By",
        readonly=True,
        copy=False,
    )
    disqualified_stage_id = fields.Many2one(
        comodel_name="crm.stage",
        string="Disqualified From Stage",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The stage a reactivation returns to; the team's first stage if this one is gone.",
    )
    reactivate_on = fields.Date(
        string="Reactivate On",
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="A daily scheduled action reactivates the disqualified record on this date. "
        "Empty: never by itself.",
    )
    disqualify_note = fields.Text(
        string="Disqualification Note",
        compute="_compute_disqualify_note",
        help="The note written when the record was last disqualified.",
    )
    transition_rule_ids = fields.Many2many(
        comodel_name="crm.transition.rule",
        string="Available Transitions",
        compute="_compute_transition_rule_ids",
        help="The transition rules whose buttons show on this record now: those leading out of its "
        "current stage, and for an open lead those gating its qualification, that apply to it and that the "
        "current user may perform.",
    )
    industry_id = fields.Many2one(
        comodel_name="res.partner.industry",
        string="Industry",
        compute="_compute_industry_id",
        store=True,
        readonly=False,
        tracking=True,
    )

    # Stakeholders and competitors
    stakeholder_ids = fields.One2many(
        comodel_name="crm.lead.stakeholder",
        inverse_name="lead_id",
        string="Stakeholders",
        copy=True,
    )
    stakeholder_count = fields.Integer(
        string="Stakeholder Count",
        compute="_compute_stakeholder_counts",
        store=True,
    )
    decision_maker_count = fields.Integer(
        string="Decision Makers",
        compute="_compute_stakeholder_counts",
        store=True,
        help="Stakeholders whose role is a decision-maker role.",
    )
    competitor_ids = fields.One2many(
        comodel_name="crm.lead.competitor",
        inverse_name="lead_id",
        string="Competitors",
        copy=True,
    )
    competitor_count = fields.Integer(
        string="Competitor Count",
        compute="_compute_competitor_count",
        store=True,
    )
    lost_to_competitor_id = fields.Many2one(
        comodel_name="crm.competitor",
        string="Lost to Competitor",
        index="btree_not_null",
        copy=False,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("qualification_event_ids")
    def _compute_disqualify_note(self):
        for lead in self:
            events = lead.qualification_event_ids.filtered(lambda event: event.event == "disqualified")
            lead.disqualify_note = events[:1].note

    @api.depends("partner_id")
    def _compute_industry_id(self):
        for lead in self:
            if lead.partner_id.industry_id:
                lead.industry_id = (
                    lead.partner_id.commercial_partner_id.industry_id or lead.partner_id.industry_id
                )

    def _compute_is_partner_visible(self):
        # Odoo hides an empty customer on leads, rare where records start as opportunities. Here every record
        # starts as a lead (data/res_groups_data.xml) and qualifying reuses the customer set on it: hiding it
        # would take the field away from everyone.
        self.is_partner_visible = True

    @api.depends_context("uid")
    # A rule's condition may read any field: any write (write_date) makes the buttons be computed again.
    @api.depends("stage_id", "team_id", "type", "company_id", "qualification_state", "active", "write_date")
    def _compute_transition_rule_ids(self):
        # One search per distinct (stage, team, type, company) and one query for all the rule conditions:
        # opening a form costs at most three queries here.
        # Reads only: salespeople do not read the rules' configuration, yet their buttons come from it.
        Rule = self.env["crm.transition.rule"].sudo()
        saved = self.filtered(lambda lead: isinstance(lead.id, int) and lead.stage_id)
        (self - saved).transition_rule_ids = False
        if not saved:
            return
        group_ids = self.env.user.groups_id.ids
        candidates = {}
        for (stage, team, lead_type, company, qualifiable), leads in saved.grouped(
            lambda lead: (
                lead.stage_id,
                lead.team_id,
                lead.type,
                lead.company_id,
                lead.type == "lead" and lead.active and lead.qualification_state == "open",
            )
        ).items():
            moves = [
                "&",
                "&",
                ("target", "=", "stage"),
                ("to_stage_id", "!=", False),
                ("to_stage_id", "!=", stage.id),
            ]
            # A rule gating the qualification gets a button too: its checklist leads to the Qualify wizard.
            if qualifiable:
                moves = ["|", ("target", "=", "qualify"), *moves]
            domain = [
                *moves,
                "|",
                ("from_stage_ids", "=", False),
                ("from_stage_ids", "in", stage.ids),
                ("lead_type", "in", [lead_type, "both"]),
                ("company_id", "in", [False, *company.ids]),
                "|",
                ("group_ids", "=", False),
                ("group_ids", "in", group_ids),
            ]
            if team:
                domain += ["|", ("team_ids", "=", False), ("team_ids", "in", team.ids)]
            else:
                domain.append(("team_ids", "=", False))
            rules = Rule.search_fetch(domain, ["name", "lead_domain", "sequence"])
            for lead in leads:
                candidates[lead] = rules
        all_rules = Rule.union(*candidates.values())
        matching = Rule._filter_by_domains(saved, all_rules._get_domains_in_service())
        for lead, rules in candidates.items():
            lead.transition_rule_ids = rules.filtered(
                lambda rule, lead=lead: rule in matching and lead in matching[rule]
            ).with_env(self.env)

    @api.depends("stakeholder_ids", "stakeholder_ids.role_id.is_decision_maker")
    def _compute_stakeholder_counts(self):
        for lead in self:
            lead.stakeholder_count = len(lead.stakeholder_ids)
            lead.decision_maker_count = len(lead.stakeholder_ids.filtered("role_id.is_decision_maker"))

    @api.depends("competitor_ids")
    def _compute_competitor_count(self):
        for lead in self:
            lead.competitor_count = len(lead.competitor_ids)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("lost_to_competitor_id")
    def _check_lost_to_competitor_id(self):
        # Checked when it is set only: removing the competitor's line later keeps the record of the loss.
        for lead in self.filtered("lost_to_competitor_id"):
            if lead.lost_to_competitor_id not in lead.competitor_ids.competitor_id:
                raise ValidationError(
                    self.env._(
                        "%(lead)s can only be lost to one of its competitors: "
                        "add %(competitor)s in its Competitors tab first.",
                        lead=lead.display_name,
                        competitor=lead.lost_to_competitor_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_qualification_fields_unchanged(vals_list)
        # Creating a record directly in a stage (import, quick create in a kanban column) moves it into
        # that stage: the rules "from any stage" apply; rules from given stages cannot, there is none.
        # Without such a rule, no savepoint: its flush would compute the pending fields of every record
        # (Odoo's predictive probability among them) before Odoo would, with other results.
        rules = self.env["crm.transition.rule"]._get_candidate_rules("stage", from_any_only=True)
        if not rules:
            return super().create(vals_list)
        with self.env.cr.savepoint():
            leads = super().create(vals_list)
            to_check = leads - leads._get_transition_rules_skipped()
            if to_check:
                to_check._enforce_transition_rules(dict.fromkeys(to_check.ids, False), {}, rules=rules)
        return leads

    def write(self, vals):
        self._check_qualification_fields_unchanged([vals])
        if vals.get("active"):
            # Odoo's Restore, an import or an RPC call bringing a disqualified record back must leave the
            # trace of a reactivation, and not leave it "disqualified" while active.
            set_aside = self.filtered(lambda lead: not lead.active and lead.date_disqualified)
            if set_aside:
                set_aside._record_reactivation()
        if not vals.get("stage_id"):
            return super().write(vals)
        moving = (self - self._get_transition_rules_skipped()).filtered(
            lambda lead: lead.stage_id.id != vals["stage_id"]
        )
        if not moving:
            return super().write(vals)
        if "team_id" not in vals:
            # A stage that follows a new team is the team's entry point, not a move of its process.
            moving._check_transition_policy(self.env["crm.stage"].browse(vals["stage_id"]))
        # No savepoint without a rule into the stage, as for create.
        rules = self.env["crm.transition.rule"]._get_candidate_rules("stage", [vals["stage_id"]])
        if not rules:
            return super().write(vals)
        from_stages, stage_entry = moving._get_stage_origins()
        # The rules see the records as written (a form saves the filled fields with the new stage);
        # the savepoint undoes the whole write, for every record, when they refuse it.
        with self.env.cr.savepoint():
            result = super().write(vals)
            moving._enforce_transition_rules(from_stages, stage_entry, rules=rules)
        return result

    def toggle_active(self):
        # Odoo's "Restore" and "Unarchive" bring a disqualified record back too: see write.
        result = super().toggle_active()
        # A restored record is no longer lost to anyone, as Odoo clears its lost reason.
        self.filtered(lambda lead: lead.active and lead.lost_to_competitor_id).lost_to_competitor_id = False
        return result

    def _merge_get_fields_specific(self):
        fields_specific = super()._merge_get_fields_specific()
        # Same rule as Odoo's lost reason: only kept when the merged record is lost.
        fields_specific["lost_to_competitor_id"] = lambda fname, leads: (
            False
            if leads and leads[0].probability
            else next((lead.lost_to_competitor_id for lead in leads if lead.lost_to_competitor_id), False)
        )
        return fields_specific

    def _merge_dependences(self, opportunities):
        res = super()._merge_dependences(opportunities)
        self._merge_dependences_stakeholders(opportunities)
        self._merge_dependences_competitors(opportunities)
        return res

    # ------------------------------------------------------------
    # ACTIONS AND PUBLIC API
    # ------------------------------------------------------------

    def action_reactivate(self):
        """Reactivate the disqualified leads and lost opportunities of self, all or nothing.

        Each record returns to the stage it was disqualified from (the team's first stage if that one is gone
        or belongs to another team), is unarchived with its probability recomputed and its lost reason
        cleared; a lead becomes ``open`` again. One ``reactivated`` event is written per record and its
        salesperson gets a "Follow up reactivated lead" activity. Raises a UserError (or an AccessError),
        changing nothing, if a record of self is not disqualified (an open lead, for instance) or may not be
        written by the user.
        """
        self._reactivate()
        return True

    def check_transition(self, stage_id):
        """Return the requirements of the rules that apply to moving this record to stage ``stage_id``.

        The result is a list of ``{"rule_id", "rule", "requirement_id", "requirement", "met", "optional"}``
        dicts (ids, names and booleans only), ordered by rule then requirement; empty when no rule applies.
        An ``optional`` requirement is recommended: unmet, it does not block the move.
        """
        if len(self) != 1:
            raise UserError(self.env._("check_transition checks one record at a time: give one id."))
        if stage_id is False or stage_id is None:
            return []
        stage = self._get_stage_argument(stage_id)
        if stage == self.stage_id:
            return []
        rules = self.env["crm.transition.rule"]._get_candidate_rules("stage", stage.ids)
        from_stages, stage_entry = self._get_stage_origins()
        verdicts = rules._evaluate_moves(self, from_stages, stage_entry)
        # The verdicts leave the recommended requirements out: the checklist shows them too.
        met = (
            rules.browse()
            .union(*(rule for _lead, rule, _unmet, _ok in verdicts))
            .requirement_ids._evaluate(self, stage_entry)
        )
        return [
            {
                "rule_id": rule.id,
                "rule": rule.name,
                "requirement_id": requirement.id,
                "requirement": requirement.name,
                "met": self.id in met[requirement.id],
                "optional": requirement.optional,
            }
            for _lead, rule, _unmet, _satisfied in verdicts
            for requirement in rule.requirement_ids
        ]

    def force_transition(self, stage_id, reason):
        """Move the records of self to stage ``stage_id`` even when transition rules refuse it.

        Only members of "Transition rule override" may do it, and only with a reason. The reason, the
        requirements that were not met and the user are posted in the chatter of each record, and a
        ``transition_forced`` event is added to its qualification history.
        """
        if not self.env.user.has_group("lead_qualification_plus.group_transition_override"):
            raise AccessError(
                self.env._(
                    'Only members of "Transition rule override" may force a transition. '
                    "Complete the requirements or ask a sales manager."
                )
            )
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(
                self.env._("Say why the requirements of the transition are skipped: the reason is mandatory.")
            )
        stage = self._get_stage_argument(stage_id)
        if not self:
            raise UserError(self.env._("Select the records to move."))
        moving = self.filtered(lambda lead: lead.stage_id != stage)
        if not moving:
            return True
        rules = self.env["crm.transition.rule"]._get_candidate_rules("stage", stage.ids)
        verdicts = rules._evaluate_moves(moving, *moving._get_stage_origins())
        unmet_by_lead = {}
        for lead, _rule, unmet, satisfied in verdicts:
            if not satisfied:
                unmet_by_lead.setdefault(lead.id, self.env["crm.transition.requirement"])
                unmet_by_lead[lead.id] |= unmet
        from_stages = {lead.id: lead.stage_id.name for lead in moving}
        with moving._transition_rules_skipped():
            moving.write({"stage_id": stage.id})
        bodies = {}
        for lead in moving:
            unmet = unmet_by_lead.get(lead.id)
            body = self.env._(
                "Transition forced from %(from_stage)s to %(to_stage)s by %(user)s. Reason: %(reason)s",
                from_stage=from_stages[lead.id] or self.env._("no stage"),
                to_stage=stage.name,
                user=self.env.user.name,
                reason=reason,
            )
            body = Markup("<p>%s</p>") % body
            if unmet:
                body += Markup("<p>%s</p><ul>%s</ul>") % (
                    self.env._("Requirements not met:"),
                    Markup().join(Markup("<li>%s</li>") % escape(name) for name in unmet.mapped("name")),
                )
            bodies[lead.id] = body
        moving._message_log_batch(bodies=bodies)
        events = moving._log_qualification_event("transition_forced", note=reason)
        # Rule health: which rules the move went around, by whom and why.
        self.env["crm.transition.block.log"]._log_forced(
            [(lead, rule, unmet) for lead, rule, unmet, satisfied in verdicts if not satisfied],
            events,
            reason,
        )
        # A forced move still took the rules' transitions: what must follow them follows.
        rules._run_actions_after(verdicts)
        return True

    def action_open_transition(self, rule_id):
        """Open the popup of transition rule ``rule_id`` for this record."""
        self.ensure_one()
        rule = self.env["crm.transition.rule"]
        if isinstance(rule_id, int) and not isinstance(rule_id, bool):
            rule = rule.browse(rule_id).exists()
        if not rule or rule not in self.transition_rule_ids:
            raise UserError(
                self.env._("This transition is not available for this record anymore: reload the page.")
            )
        wizard = self.env["crm.lead.transition"].create({"lead_id": self.id, "rule_id": rule.id})
        return wizard._action_reopen()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def convert_opportunity(self, partner, user_ids=False, team_id=False):
        """Odoo's own conversion (Convert to Opportunity, merge) qualifies the open leads it converts.

        It is gated by the transition rules with target ``qualify`` like the Qualify wizard, and writes the
        same state, dates and history, so no path turns a lead into an opportunity unqualified.
        """
        converted = self.filtered(
            lambda lead: (
                lead.type == "lead"
                and lead.active
                and lead.probability < 100
                and lead.qualification_state == "open"
            )
        )
        converted._check_qualify_transition_rules()
        snapshot = converted._undo_snapshot()
        result = super().convert_opportunity(partner, user_ids=user_ids, team_id=team_id)
        if converted:
            converted._mark_qualified(note=self.env._("Converted to an opportunity"))
            converted._qualify_record_undo(snapshot)
        return result

    def _check_qualify_transition_rules(self):
        """Raise a ValidationError when a transition rule with target ``qualify`` blocks a lead of self.

        Called by every user-triggered qualification (wizard, ``qualify()``, Odoo's Convert to Opportunity);
        the system's own automatic qualification (web orders) does not call it.
        """
        rules = self.env["crm.transition.rule"]._get_candidate_rules("qualify")
        if rules and self:
            rules._check_moves(self, *self._get_stage_origins())
        return True

    def _log_qualification_event(self, event, reason=False, note=False):
        """Write one history event per lead in self, in one batch.

        The history is read-only to users: only the system writes it, through this method.
        """
        return (
            self.env["crm.qualification.event"]
            # Users may not write the history; the values come from the calling flow, never from the user
            # (who may write the leads, checked by every flow before it logs).
            .sudo()
            .create(
                [
                    {
                        "lead_id": lead.id,
                        "event": event,
                        "reason_id": reason.id if reason else False,
                        "note": note or False,
                        "stage_id": lead.stage_id.id,
                        "user_id": self.env.user.id,
                    }
                    for lead in self
                ]
            )
        )

    def _qualification_writes(self):
        """Let the addon's own flows write QUALIFICATION_FIELDS, within the block only (a context manager).

        The flag lives in a context variable of the running thread, out of reach of any RPC argument or
        context key: a user changes these fields only by qualifying, disqualifying or reactivating.
        """
        return _QUALIFICATION_GUARD.writes()

    def _loading_module_data(self):
        """Whether a module's data file is being loaded (demo leads qualified months ago, with their history).

        Both conditions are needed: the context key alone could come from any RPC caller, but no request is
        ever served by a registry that is still being built.
        """
        return bool(self.env.context.get("install_filename")) and not self.pool.ready

    def _check_qualification_fields_unchanged(self, vals_list):
        """Refuse, outside the addon's own flows, values of QUALIFICATION_FIELDS that differ from the records'
        (from the defaults, when creating): whoever the caller (form, import, RPC), however high their rights.

        An unchanged value passes, so that an exported file imports back as it is.
        """
        if self._loading_module_data():
            return
        changed = _QUALIFICATION_GUARD.changed(self, vals_list)
        if changed:
            raise AccessError(
                self.env._(
                    "%(fields)s change only by qualifying, disqualifying or reactivating: "
                    "use the Qualify, Disqualify or Reactivate actions of the lead.",
                    fields=format_list(self.env, changed),
                )
            )

    # ------------------------------------------------------------
    # QUALIFICATION
    # ------------------------------------------------------------

    def qualify(
        self,
        create_partner=None,
        create_contact=None,
        create_opportunity=None,
        create_sale_order=None,
        profile_id=None,
    ):
        """Qualify the leads of self, creating or linking the records their profile asks for.

        Each ``create_*`` argument left to None follows the profile's default; True or False overrides it
        within what the profile allows (a UserError refuses a ``never`` record asked for or an ``always`` one
        skipped). Without ``profile_id`` each lead gets the first suitable profile, then its company's
        default, then the built-in behaviour (company, contact, opportunity). The run is all-or-nothing.

        :return: one RPC-safe dict per lead, in the order of self: ``lead_id``, ``partner_id`` (company),
            ``contact_id``, ``opportunity_id``, ``sale_order_id`` (False where nothing was created or linked)
        """
        choices = {
            "partner": create_partner,
            "contact": create_contact,
            "opportunity": create_opportunity,
            "sale_order": create_sale_order,
        }
        profile = self._check_qualify_arguments(choices, profile_id)
        self._check_qualify(profile)
        return self._qualify(profile=profile, choices=choices)
