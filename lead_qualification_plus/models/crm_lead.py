from contextlib import contextmanager
from contextvars import ContextVar

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# The records code moves without the transition rules (see CrmLead._transition_rules_skipped).
_TRANSITION_RULES_SKIPPED = ContextVar(
    "lead_qualification_plus_transition_rules_skipped", default=frozenset()
)


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
    transition_rule_ids = fields.Many2many(
        comodel_name="crm.transition.rule",
        string="Available Transitions",
        compute="_compute_transition_rule_ids",
        help="The transition rules whose buttons show on this record now: those leading out of its "
        "current stage that apply to it and that the current user may perform.",
    )
    industry_id = fields.Many2one(
        comodel_name="res.partner.industry",
        string="Industry",
        compute="_compute_industry_id",
        store=True,
        readonly=False,
        tracking=True,
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_industry_id(self):
        for lead in self:
            if lead.partner_id.industry_id:
                lead.industry_id = (
                    lead.partner_id.commercial_partner_id.industry_id or lead.partner_id.industry_id
                )

    @api.depends_context("uid")
    @api.depends("stage_id", "team_id", "type", "company_id")
    def _compute_transition_rule_ids(self):
        # One search per distinct (stage, team, type, company) and one query for all the rule conditions:
        # opening a form costs at most three queries here.
        Rule = self.env["crm.transition.rule"].sudo()
        saved = self.filtered(lambda lead: isinstance(lead.id, int) and lead.stage_id)
        (self - saved).transition_rule_ids = False
        if not saved:
            return
        group_ids = self.env.user.groups_id.ids
        candidates = {}
        for (stage, team, lead_type, company), leads in saved.grouped(
            lambda lead: (lead.stage_id, lead.team_id, lead.type, lead.company_id)
        ).items():
            domain = [
                ("target", "=", "stage"),
                ("to_stage_id", "!=", False),
                ("to_stage_id", "!=", stage.id),
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
        matching = Rule._filter_by_domains(
            saved, {rule: Rule._parse_lead_domain(rule.lead_domain) for rule in all_rules}
        )
        for lead, rules in candidates.items():
            lead.transition_rule_ids = rules.filtered(
                lambda rule, lead=lead: lead in matching[rule]
            ).with_env(self.env)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_qualify_transition_rules(self):
        """Raise a ValidationError when a transition rule with target ``qualify`` blocks a lead of self.

        Called by every user-triggered qualification (wizard and ``qualify()``); the transition rules replace
        this no-op. The system's own automatic qualification does not call it.
        """
        rules = self.env["crm.transition.rule"]._get_candidate_rules("qualify")
        if rules and self:
            self._raise_for_transition_verdicts(
                rules._evaluate_moves(
                    self,
                    {lead.id: lead.stage_id.id for lead in self},
                    {lead.id: lead.date_last_stage_update for lead in self},
                )
            )
        return True

    def _log_qualification_event(self, event, reason=False, note=False):
        """Write one history event per lead in self, in one batch.

        The history is read-only to users: only the system writes it, through this method.
        """
        return (
            self.env["crm.qualification.event"]
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

    # ------------------------------------------------------------
    # TRANSITION RULES
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Creating a record directly in a stage moves it into that stage: the rules "from any stage" apply.
        with self.env.cr.savepoint():
            leads = super().create(vals_list)
            to_check = leads - leads._get_transition_rules_skipped()
            if to_check:
                to_check._enforce_transition_rules(dict.fromkeys(to_check.ids, False), {}, creating=True)
        return leads

    def write(self, vals):
        if not vals.get("stage_id"):
            return super().write(vals)
        moving = (self - self._get_transition_rules_skipped()).filtered(
            lambda lead: lead.stage_id.id != vals["stage_id"]
        )
        if not moving:
            return super().write(vals)
        from_stages = {lead.id: lead.stage_id.id for lead in moving}
        stage_entry = {lead.id: lead.date_last_stage_update for lead in moving}
        # The rules see the record as written (a form saves the filled fields with the new stage); the
        # savepoint
        # undoes the whole write when they refuse it, for every record.
        with self.env.cr.savepoint():
            result = super().write(vals)
            moving._enforce_transition_rules(from_stages, stage_entry)
        return result

    def check_transition(self, stage_id):
        """Return the requirements of the rules that apply to moving this record to stage ``stage_id``.

        The result is a list of ``{"rule_id", "rule", "requirement_id", "requirement", "met"}`` dicts (ids,
        names and booleans only), ordered by rule then requirement; empty when no rule applies.
        """
        self.ensure_one()
        if not stage_id or stage_id == self.stage_id.id:
            return []
        rules = self.env["crm.transition.rule"]._get_candidate_rules("stage", [stage_id])
        verdicts = rules._evaluate_moves(
            self, {self.id: self.stage_id.id}, {self.id: self.date_last_stage_update}
        )
        return [
            {
                "rule_id": rule.id,
                "rule": rule.name,
                "requirement_id": requirement.id,
                "requirement": requirement.name,
                "met": requirement not in unmet,
            }
            for _lead, rule, unmet, _satisfied in verdicts
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
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say why the requirements of the transition are skipped: the reason is mandatory.")
            )
        stage = self.env["crm.stage"].browse(stage_id).exists()
        if not stage:
            raise UserError(self.env._("The stage to force the records into does not exist anymore."))
        moving = self.filtered(lambda lead: lead.stage_id != stage)
        if not moving:
            return True
        rules = self.env["crm.transition.rule"]._get_candidate_rules("stage", stage.ids)
        verdicts = rules._evaluate_moves(
            moving,
            {lead.id: lead.stage_id.id for lead in moving},
            {lead.id: lead.date_last_stage_update for lead in moving},
        )
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
        moving._log_qualification_event("transition_forced", note=reason)
        return True

    def action_open_transition(self, rule_id):
        """Open the popup of transition rule ``rule_id`` for this record."""
        self.ensure_one()
        rule = self.env["crm.transition.rule"].browse(rule_id).exists()
        if rule not in self.transition_rule_ids:
            raise UserError(
                self.env._("This transition is not available for this record anymore: reload the page.")
            )
        wizard = self.env["crm.lead.transition"].create({"lead_id": self.id, "rule_id": rule.id})
        return wizard._action_reopen()

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

    def _enforce_transition_rules(self, from_stages, stage_entry, creating=False):
        """Raise when a transition rule refuses the move of self (records now in their new stage)."""
        rules = self.env["crm.transition.rule"]._get_candidate_rules(
            "stage", set(self.stage_id.ids), from_any_only=creating
        )
        if not rules:
            return
        verdicts = []
        for stage, leads in self.grouped("stage_id").items():
            stage_rules = rules.filtered(lambda rule, stage=stage: rule.to_stage_id == stage)
            verdicts += stage_rules._evaluate_moves(leads, from_stages, stage_entry)
        self._raise_for_transition_verdicts(verdicts)

    @api.model
    def _transition_label(self, rule):
        if rule.target == "qualify":
            return self.env._('"%(rule)s" (qualification)', rule=rule.name)
        return self.env._('"%(rule)s" (to %(stage)s)', rule=rule.name, stage=rule.to_stage_id.name)

    @api.model
    def _raise_for_transition_verdicts(self, verdicts):
        """Raise an AccessError or a ValidationError for the verdicts of ``_evaluate_moves`` that refuse."""
        # Superuser mode bypasses access rights, and the allowed groups are an access right; the
        # requirements still apply.
        if not self.env.su:
            user_groups = self.env.user.groups_id
            forbidden = [
                (lead, rule)
                for lead, rule, _unmet, _ok in verdicts
                if rule.group_ids and not rule.group_ids & user_groups
            ]
            if forbidden:
                lines = [
                    self.env._(
                        "- %(record)s: %(transition)s is reserved to %(groups)s",
                        record=lead.display_name,
                        transition=self._transition_label(rule),
                        groups=", ".join(rule.group_ids.mapped("full_name")),
                    )
                    for lead, rule in forbidden
                ]
                raise AccessError(
                    self.env._(
                        "You are not allowed to perform these transitions:\n%(lines)s\n"
                        "Ask a colleague who may.",
                        lines="\n".join(lines),
                    )
                )
        blocked = [(lead, rule, unmet) for lead, rule, unmet, satisfied in verdicts if not satisfied]
        if not blocked:
            return
        limit = 20
        lines = []
        for lead, rule, unmet in blocked[:limit]:
            if rule.match == "any":
                header = self.env._(
                    "%(record)s — %(transition)s needs at least one of:",
                    record=lead.display_name,
                    transition=self._transition_label(rule),
                )
            else:
                header = self.env._(
                    "%(record)s — %(transition)s still needs:",
                    record=lead.display_name,
                    transition=self._transition_label(rule),
                )
            lines.append(header)
            lines.extend(f"    • {name}" for name in unmet.mapped("name"))
        if len(blocked) > limit:
            lines.append(self.env._("... and %(count)s more.", count=len(blocked) - limit))
        raise ValidationError(
            self.env._(
                "The work these transitions require is not done yet:\n%(lines)s\n\n"
                "Open the record and use the transition button to complete it, "
                "or ask a manager to force the transition.",
                lines="\n".join(lines),
            )
        )


class CrmLeadStakeholders(models.Model):
    """Stakeholders and competitors (issue 6): their own class, to merge cleanly with the other features."""

    _inherit = "crm.lead"

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
    # ACTIONS
    # ------------------------------------------------------------

    def toggle_active(self):
        res = super().toggle_active()
        # A restored record is no longer lost to anyone, as Odoo clears its lost reason.
        self.filtered(lambda lead: lead.active and lead.lost_to_competitor_id).lost_to_competitor_id = False
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _attach_stakeholders_to_company(self):
        """Make the stakeholders' contacts that have no company contacts of their lead's company.

        For each lead of self whose partner belongs to a company (its commercial partner is a company),
        every stakeholder contact without a parent company gets that company as parent. Contacts that
        already belong to a company are left alone; the stakeholder lines stay on the lead. When one
        contact is a stakeholder of several leads of self with different companies, the first lead of self
        wins. Runs with the caller's rights, one write per company. Returns the contacts attached.
        """
        contacts_by_company = {}
        attached = self.env["res.partner"]
        for lead in self:
            company = lead.partner_id.commercial_partner_id
            if not company.is_company:
                continue
            contacts = (
                lead.stakeholder_ids.partner_id.filtered(
                    lambda partner: not partner.parent_id and not partner.is_company
                )
                - attached
            )
            if contacts:
                contacts_by_company[company] = contacts_by_company.get(company, attached.browse()) | contacts
                attached |= contacts
        for company, contacts in contacts_by_company.items():
            contacts.write({"parent_id": company.id})
        return attached

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

    def _merge_dependences_stakeholders(self, opportunities):
        """Move the stakeholders of ``opportunities`` to self, one line per contact.

        The line already on self wins, then the one of the first opportunity (Odoo's merge order); the other
        duplicates are deleted.
        """
        self._merge_lines(opportunities.stakeholder_ids, self.stakeholder_ids, "partner_id")

    def _merge_dependences_competitors(self, opportunities):
        """Move the competitors of ``opportunities`` to self, one line per competitor (see stakeholders)."""
        self._merge_lines(opportunities.competitor_ids, self.competitor_ids, "competitor_id")

    def _merge_lines(self, tail_lines, head_lines, key):
        self.ensure_one()
        seen = set(head_lines.mapped(f"{key}.id"))
        moved = tail_lines.browse()
        for line in tail_lines:
            if line[key].id not in seen:
                seen.add(line[key].id)
                moved |= line
        (tail_lines - moved).unlink()
        moved.write({"lead_id": self.id})


class CrmLeadTransitionBlocks(models.Model):
    """Qualification analytics (issue 8): count the moves the transition rules refuse."""

    _inherit = "crm.lead"

    @api.model
    def _raise_for_transition_verdicts(self, verdicts):
        # The refusal point of every path (stage write, create, qualify): log there, then refuse.
        try:
            return super()._raise_for_transition_verdicts(verdicts)
        except ValidationError:
            self._log_transition_blocks(
                [(lead, rule, unmet) for lead, rule, unmet, satisfied in verdicts if not satisfied]
            )
            raise

    @api.model
    def _log_transition_blocks(self, blocked):
        """Count in the transition block report the moves the rules refuse.

        ``blocked`` is a list of ``(lead, rule, unmet requirements)``, one per refused record and rule.
        Call it at the refusal point, just before raising: the log is kept although the refusal rolls the
        transaction back, and logging never raises.
        """
        self.env["crm.transition.block.report"]._log_blocks(blocked)
