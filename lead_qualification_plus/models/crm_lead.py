import logging
import threading
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules import module as odoo_module
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import format_date, format_list, parse_contact_from_email, plaintext2html

_logger = logging.getLogger(__name__)

# Names shown in a refusal: enough to find the records, not a wall of text on a mass run.
_REFUSAL_NAMES_SHOWN = 5

# The records code moves without the transition rules (see CrmLead._transition_rules_skipped).
_TRANSITION_RULES_SKIPPED = ContextVar(
    "lead_qualification_plus_transition_rules_skipped", default=frozenset()
)

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
# On while the addon's own code writes QUALIFICATION_FIELDS: a context variable of the running thread, out of
# reach of any RPC argument or context key.
_QUALIFICATION_WRITES = ContextVar("lead_qualification_plus_qualification_writes", default=False)


def qualification_writes_allowed():
    """Whether the addon's own flows are writing what only they may write (CrmLead._qualification_writes)."""
    return _QUALIFICATION_WRITES.get()


def is_concurrency_error(error):
    """Whether ``error`` is a clash with a concurrent transaction (serialization failure, lock not available,
    deadlock): Odoo retries the whole request or job for it, so code isolating failures must let it through
    rather than record it as a failure of its own."""
    return isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)


@dataclass
class ReactivationRun:
    """What a run of the scheduled reactivation did: the number of records reactivated, and why each record
    that could not be failed (``{lead_id: message}``)."""

    reactivated: int = 0
    failed: dict = dataclass_field(default_factory=dict)


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
        result = super().convert_opportunity(partner, user_ids=user_ids, team_id=team_id)
        if converted:
            with self._qualification_writes():
                converted.write(
                    {
                        "qualification_state": "qualified",
                        "date_qualified": fields.Datetime.now(),
                        "qualified_user_id": self.env.uid,
                    }
                )
            converted._log_qualification_event("qualified", note=self.env._("Converted to an opportunity"))
        return result

    def _check_qualify_transition_rules(self):
        """Raise a ValidationError when a transition rule with target ``qualify`` blocks a lead of self.

        Called by every user-triggered qualification (wizard, ``qualify()``, Odoo's Convert to Opportunity);
        the system's own automatic qualification (web orders) does not call it.
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

    @contextmanager
    def _qualification_writes(self):
        """Let the addon's own flows write QUALIFICATION_FIELDS, within the block only.

        The flag lives in a context variable of the running thread, out of reach of any RPC argument or
        context key: a user changes these fields only by qualifying, disqualifying or reactivating.
        """
        token = _QUALIFICATION_WRITES.set(True)
        try:
            yield
        finally:
            _QUALIFICATION_WRITES.reset(token)

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
        if qualification_writes_allowed() or self._loading_module_data():
            return
        if not self:
            # create adds the defaults (a ``default_*`` context key, a user's own default) to the values
            # after this check: they are values like the others.
            defaults = self.default_get(list(QUALIFICATION_FIELDS))
            vals_list = [{**defaults, **vals} for vals in vals_list]
        fnames = [fname for fname in QUALIFICATION_FIELDS if any(fname in vals for vals in vals_list)]
        if not fnames:
            return
        empty = self.browse()
        changed = []
        for fname in fnames:
            field = self._fields[fname]
            if self:
                current = {field.convert_to_cache(record[fname], record) for record in self}
            else:
                # A new record is compared with the defaults: open, nothing else.
                current = {field.convert_to_cache("open" if fname == "qualification_state" else False, empty)}
            for vals in vals_list:
                if fname not in vals:
                    continue
                try:
                    value = field.convert_to_cache(vals[fname], empty, validate=False)
                except (TypeError, ValueError):
                    value = vals[fname]
                if {value} != current:
                    changed.append(field._description_string(self.env))
                    break
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

    @api.model
    def _check_qualify_arguments(self, choices, profile_id):
        """Refuse with a UserError the arguments of ``qualify()`` a caller got wrong; return the profile.

        ``choices`` maps each kind to its ``create_*`` argument (None, True or False); ``profile_id`` is the
        id of a profile the user may read, or empty.
        """
        for kind, choice in choices.items():
            if choice is not None and not isinstance(choice, bool):
                raise UserError(
                    self.env._(
                        "create_%(kind)s must be true, false or null (the profile decides), not %(value)r.",
                        kind=kind,
                        value=choice,
                    )
                )
        Profile = self.env["crm.qualification.profile"]
        if profile_id is None or profile_id is False:
            return Profile
        if isinstance(profile_id, bool) or not isinstance(profile_id, int):
            raise UserError(
                self.env._(
                    "profile_id must be the id of a qualification profile (a whole number), not %(value)r.",
                    value=profile_id,
                )
            )
        # With the user's rights: a profile of a company the user does not work for is no choice of theirs.
        profile = Profile.search([("id", "=", profile_id)])
        if not profile:
            raise UserError(
                self.env._(
                    "The qualification profile %(id)s does not exist, is archived or belongs to another "
                    "company: choose one of your company's profiles or leave it empty.",
                    id=profile_id,
                )
            )
        return profile

    def _check_qualify(self, profile=None):
        """Refuse a user's qualification of self: rights, states, an unsuitable profile, transition rules."""
        if not self:
            raise UserError(self.env._("Select the leads to qualify."))
        self.check_access("write")
        not_open = self.filtered(lambda lead: lead.qualification_state != "open")
        if not_open:
            raise UserError(
                self.env._(
                    "These leads are already qualified or disqualified: %(leads)s. "
                    "Reactivate a disqualified lead before qualifying it.",
                    leads=", ".join(not_open.mapped("display_name")),
                )
            )
        closed = self.filtered(lambda lead: not lead.active or lead.probability == 100)
        if closed:
            raise UserError(
                self.env._(
                    "Lost or won leads cannot be qualified: %(leads)s. Restore them first.",
                    leads=", ".join(closed.mapped("display_name")),
                )
            )
        opportunities = self.filtered(lambda lead: lead.type != "lead")
        if opportunities:
            raise UserError(
                self.env._(
                    "Only leads can be qualified; these are already opportunities: %(leads)s.",
                    leads=", ".join(opportunities.mapped("display_name")),
                )
            )
        if profile:
            if not profile.exists() or not profile.active:
                raise UserError(self.env._("The qualification profile does not exist or is archived."))
            unsuited = self - profile._filter_suitable_leads(self)
            unsuited = unsuited.filtered(
                lambda lead: (lead.company_id or self.env.company).qualification_profile_id != profile
            )
            if unsuited:
                raise UserError(
                    self.env._(
                        "The profile “%(profile)s” does not suit these leads: %(leads)s. "
                        "Choose another profile or leave it empty to use the matching one.",
                        profile=profile.display_name,
                        leads=", ".join(unsuited.mapped("display_name")),
                    )
                )
        self._check_qualify_transition_rules()

    def _qualify(self, profile=None, choices=None, links=None, match_profiles=True, note=False):
        """Qualify self without the checks of a user action (rights, states, transition rules).

        The system's own automatic qualification calls this directly; callers check what they must first.

        :param profile: profile applied to every lead; empty or None matches one per lead
        :param dict choices: ``{kind: True|False|None}`` for the kinds of RECORD_KINDS; None (or a missing
            kind) follows the profile
        :param dict links: ``{lead_id: {"company": partner, "contact": partner}}``: the partner to link
            instead of the automatic best match (an empty recordset creates a new one); a missing key
            matches automatically
        :param bool match_profiles: without ``profile``, False applies the built-in behaviour instead of
            looking for a suitable profile
        :param str note: note of the history events (e.g. what triggered an automatic qualification)
        :return: the list of dicts documented on :meth:`qualify`
        """
        if not self:
            return []
        choices = choices or {}
        links = links or {}
        if profile or match_profiles:
            profiles = self._get_qualification_profiles(profile)
        else:
            profiles = dict.fromkeys(self.ids, self.env["crm.qualification.profile"])
        plans = self._qualify_plan(profiles, choices, links)
        self._qualify_create_partners(plans)
        self._qualify_update_leads(plans)
        self._qualify_attach_stakeholders(plans)
        self._qualify_create_sale_orders(plans)
        self._qualify_log(plans, note=note)
        return [
            {
                "lead_id": lead.id,
                "partner_id": plans[lead.id]["company"].id or False,
                "contact_id": plans[lead.id]["contact"].id or False,
                "opportunity_id": lead.id if plans[lead.id]["opportunity"] else False,
                "sale_order_id": plans[lead.id]["sale_order"].id or False,
            }
            for lead in self
        ]

    def _get_qualification_profiles(self, profile=None):
        """Return ``{lead_id: profile}`` (an empty profile means the built-in behaviour).

        The first active profile by sequence that suits the lead, else the default profile of the lead's
        company. One query per candidate profile with a domain, whatever the number of leads.
        """
        if profile:
            return {lead.id: profile for lead in self}
        companies = self.company_id | self.env.company
        candidates = self.env["crm.qualification.profile"].search(
            [("company_id", "in", [*companies.ids, False])]
        )
        profiles = {}
        remaining = self
        for candidate in candidates:
            if not remaining:
                break
            suitable = candidate._filter_suitable_leads(remaining)
            profiles.update(dict.fromkeys(suitable.ids, candidate))
            remaining -= suitable
        for lead in remaining:
            profiles[lead.id] = (lead.company_id or self.env.company).qualification_profile_id
        return profiles

    def _qualify_find_matches(self):
        """Return ``{lead_id: {"company": partners, "contact": partners}}``: existing partners the lead may
        be, best first (the lead's own customer, then by normalized email, VAT, phone, exact company name),
        within the lead's company. A fixed number of queries per company of the leads."""
        Partner = self.env["res.partner"]
        matches = {lead.id: {"company": Partner, "contact": Partner} for lead in self}
        for company, leads in self.grouped("company_id").items():
            scope = [("company_id", "in", [company.id, False])] if company else []
            emails = {email for email in leads.mapped("email_normalized") if email}
            vats = {vat.strip() for vat in leads.mapped("vat") if vat and vat.strip()}
            phones = {
                phone for lead in leads for phone in (lead.phone, lead.mobile, lead.phone_sanitized) if phone
            }
            names = {name.strip() for name in leads.mapped("partner_name") if name and name.strip()}
            by_email = defaultdict(lambda: Partner)
            if emails:
                for partner in Partner.search([("email_normalized", "in", list(emails)), *scope], order="id"):
                    by_email[partner.email_normalized] |= partner
            by_vat = defaultdict(lambda: Partner)
            if vats:
                for partner in Partner.search([("vat", "in", list(vats)), *scope], order="id"):
                    by_vat[partner.vat] |= partner.commercial_partner_id
            by_phone = defaultdict(lambda: Partner)
            if phones:
                domain = ["|", ("phone", "in", list(phones)), ("mobile", "in", list(phones)), *scope]
                for partner in Partner.search(domain, order="id"):
                    for phone in {partner.phone, partner.mobile} & phones:
                        by_phone[phone] |= partner
            by_name = defaultdict(lambda: Partner)
            if names:
                domain = [("is_company", "=", True), ("name", "in", list(names)), *scope]
                for partner in Partner.search(domain, order="id"):
                    by_name[partner.name] |= partner
            for lead in leads:
                found = lead.partner_id
                found |= by_email[lead.email_normalized] if lead.email_normalized else Partner
                found |= by_vat[lead.vat.strip()] if lead.vat and lead.vat.strip() else Partner
                for phone in (lead.phone, lead.mobile, lead.phone_sanitized):
                    if phone:
                        found |= by_phone[phone]
                # union keeps the first occurrence, so ``found`` is ordered best first
                lead_matches = matches[lead.id]
                lead_matches["contact"] = found.filtered(lambda partner: not partner.is_company)
                companies = found.commercial_partner_id.filtered("is_company")
                if lead.partner_name and lead.partner_name.strip():
                    companies |= by_name[lead.partner_name.strip()]
                lead_matches["company"] = companies
        return matches

    def _qualify_plan(self, profiles, choices, links):
        """Decide, before writing anything, what qualifying each lead creates or links.

        Raise a UserError naming the leads when a choice breaks a policy or cannot be met.
        """
        Partner = self.env["res.partner"]
        errors = []
        wanted = {}
        for lead in self:
            profile = profiles[lead.id]
            wanted[lead.id] = {}
            for kind, policy in profile._get_policies().items():
                choice = choices.get(kind)
                if choice is None:
                    wanted[lead.id][kind] = (policy in ("always", "default_on"), policy == "always")
                elif (choice and policy == "never") or (not choice and policy == "always"):
                    errors.append(self._qualify_policy_error(profile, kind, policy))
                else:
                    wanted[lead.id][kind] = (bool(choice), bool(choice))
        if errors:
            raise UserError("\n".join(dict.fromkeys(errors)))

        need_matches = self.filtered(
            lambda lead: profiles[lead.id].match_existing_partners or not profiles[lead.id]
        )
        matches = need_matches._qualify_find_matches() if need_matches else {}
        no_company, no_contact, no_customer = self.browse(), self.browse(), self.browse()
        plans = {}
        for lead in self:
            lead_wanted = wanted[lead.id]
            lead_links = links.get(lead.id, {})
            lead_matches = matches.get(lead.id, {})
            plan = {
                "profile": profiles[lead.id],
                "opportunity": lead_wanted["opportunity"][0],
                "company": Partner,
                "contact": Partner,
                "company_created": False,
                "contact_created": False,
                "company_values": False,
                "contact_values": False,
                "sale_order": self.env["sale.order"],
            }
            plans[lead.id] = plan
            for kind, role in (("partner", "company"), ("contact", "contact")):
                wants, required = lead_wanted[kind]
                if not wants:
                    continue
                if role in lead_links:
                    plan[role] = lead_links[role]
                else:
                    plan[role] = lead_matches.get(role, Partner)[:1]
                if plan[role]:
                    continue
                name = lead._qualify_partner_name(role)
                if name:
                    plan[f"{role}_values"] = name
                elif required:
                    if role == "company":
                        no_company |= lead
                    else:
                        no_contact |= lead
            plan["sale_order_wanted"] = lead_wanted["sale_order"][0]
            has_customer = (
                plan["company"] or plan["contact"] or plan["company_values"] or plan["contact_values"]
            )
            if plan["sale_order_wanted"] and not (has_customer or lead.partner_id):
                no_customer |= lead
        if no_company:
            errors.append(
                self.env._(
                    "A company was asked for but these leads have no company name: %(leads)s. "
                    "Fill in the company name or untick the company.",
                    leads=", ".join(no_company.mapped("display_name")),
                )
            )
        if no_contact:
            errors.append(
                self.env._(
                    "A contact was asked for but these leads have neither a contact name nor an email: "
                    "%(leads)s. Fill in the contact or untick it.",
                    leads=", ".join(no_contact.mapped("display_name")),
                )
            )
        if no_customer:
            errors.append(
                self.env._(
                    "A quotation needs a customer but these leads have none and none is created: %(leads)s. "
                    "Create a company or a contact too.",
                    leads=", ".join(no_customer.mapped("display_name")),
                )
            )
        if errors:
            raise UserError("\n".join(errors))
        return plans

    def _qualify_policy_error(self, profile, kind, policy):
        labels = {
            "partner": self.env._("a company"),
            "contact": self.env._("a contact"),
            "opportunity": self.env._("an opportunity"),
            "sale_order": self.env._("a quotation"),
        }
        profile_name = profile.display_name or self.env._("the built-in behaviour")
        if policy == "never":
            return self.env._(
                "The qualification profile “%(profile)s” never creates %(record)s.",
                profile=profile_name,
                record=labels[kind],
            )
        return self.env._(
            "The qualification profile “%(profile)s” always creates %(record)s: it cannot be skipped.",
            profile=profile_name,
            record=labels[kind],
        )

    def _qualify_partner_name(self, role):
        """Name of the company or person qualifying the lead would create, or False."""
        self.ensure_one()
        if role == "company":
            return (self.partner_name or "").strip() or False
        name = (self.contact_name or "").strip()
        if not name and self.email_from:
            name = parse_contact_from_email(self.email_from)[0] or self.email_from
        return name or False

    def _qualify_create_partners(self, plans):
        """Create the companies, then the contacts, each in one batch.

        Leads of one run sharing a company name (or VAT) share the company, and leads sharing an email share
        the contact: a run never creates a partner twice."""
        Partner = self.env["res.partner"]
        new_companies = {}
        for lead in self:
            plan = plans[lead.id]
            if not plan["company_values"]:
                continue
            key = (lead.company_id.id, (lead.vat or "").strip() or plan["company_values"].lower())
            if key not in new_companies:
                values = lead._prepare_customer_values(plan["company_values"], is_company=True)
                for person_field in ("email", "phone", "mobile", "function", "title", "comment"):
                    values.pop(person_field, None)
                values.update(
                    vat=(lead.vat or "").strip() or False,
                    company_id=lead.company_id.id,
                    originating_lead_id=lead.id,
                )
                new_companies[key] = values
            plan["company_key"] = key
        companies = Partner.create(list(new_companies.values())) if new_companies else Partner
        companies = dict(zip(new_companies, companies, strict=True))
        new_contacts = {}
        for lead in self:
            plan = plans[lead.id]
            if plan["company_values"]:
                plan["company"] = companies[plan["company_key"]]
                plan["company_created"] = True
            if not plan["contact_values"]:
                continue
            key = (lead.company_id.id, lead.email_normalized or f"lead-{lead.id}")
            if key not in new_contacts:
                values = lead._prepare_customer_values(
                    plan["contact_values"], is_company=False, parent_id=plan["company"].id
                )
                values.update(company_id=lead.company_id.id, originating_lead_id=lead.id)
                new_contacts[key] = values
            plan["contact_key"] = key
        contacts = Partner.create(list(new_contacts.values())) if new_contacts else Partner
        contacts = dict(zip(new_contacts, contacts, strict=True))
        for lead in self:
            plan = plans[lead.id]
            if plan["contact_values"]:
                plan["contact"] = contacts[plan["contact_key"]]
                plan["contact_created"] = True

    def _qualify_update_leads(self, plans):
        """Link the customers, convert the opportunities the Odoo way and mark the leads qualified, writing
        the leads by groups of identical values."""
        by_partner = defaultdict(list)
        for lead in self:
            customer = plans[lead.id]["contact"] or plans[lead.id]["company"]
            if customer and customer != lead.partner_id:
                by_partner[customer.id].append(lead.id)
        for partner_id, lead_ids in by_partner.items():
            self.browse(lead_ids).write({"partner_id": partner_id})

        now = fields.Datetime.now()
        by_values = defaultdict(list)
        for lead in self:
            plan = plans[lead.id]
            values = {
                "qualification_state": "qualified",
                "qualification_profile_id": plan["profile"].id,
                "date_qualified": now,
                "qualified_user_id": self.env.uid,
            }
            if plan["opportunity"]:
                profile = plan["profile"]
                values.update(lead._convert_opportunity_data(lead.partner_id, profile.opportunity_team_id.id))
                if profile.opportunity_stage_id:
                    values["stage_id"] = profile.opportunity_stage_id.id
            by_values[tuple(sorted(values.items()))].append(lead.id)
        with self._qualification_writes():
            for values, lead_ids in by_values.items():
                self.browse(lead_ids).write(dict(values))

        by_assignment = defaultdict(list)
        for lead in self:
            profile = plans[lead.id]["profile"]
            if plans[lead.id]["opportunity"] and (profile.opportunity_user_id or profile.opportunity_team_id):
                by_assignment[profile].append(lead.id)
        for profile, lead_ids in by_assignment.items():
            self.browse(lead_ids)._handle_salesmen_assignment(
                user_ids=profile.opportunity_user_id.ids, team_id=profile.opportunity_team_id.id
            )

    def _qualify_attach_stakeholders(self, plans):
        """The stakeholders of a lead qualified with a company become contacts of that company (a profile
        option, on in the built-in behaviour)."""
        leads = self.filtered(
            lambda lead: (
                plans[lead.id]["company"]
                and (not plans[lead.id]["profile"] or plans[lead.id]["profile"].stakeholders_join_company)
            )
        )
        if leads.stakeholder_ids:
            # With the user's rights: a stakeholder may be any contact, the user's own or a colleague's.
            leads._attach_stakeholders_to_company()

    def _qualify_create_sale_orders(self, plans):
        """Create the draft quotations in one batch, with the values sale_crm gives a lead's quotation."""
        leads = self.filtered(lambda lead: plans[lead.id]["sale_order_wanted"])
        if not leads:
            return
        values_list = []
        for lead in leads:
            plan = plans[lead.id]
            context = lead._prepare_opportunity_quotation_context()
            values = {key.removeprefix("default_"): value for key, value in context.items()}
            values.update(
                partner_id=(plan["contact"] or plan["company"] or lead.partner_id).id,
                opportunity_id=lead.id if plan["opportunity"] else False,
                originating_lead_id=lead.id,
            )
            values_list.append(values)
        with self._qualification_writes():
            orders = self.env["sale.order"].create(values_list)
        for lead, order in zip(leads, orders, strict=True):
            plans[lead.id]["sale_order"] = order

    def _qualify_log(self, plans, note=False):
        """Post one chatter message per lead listing what was created or linked, and log the history."""
        bodies = {}
        for lead in self:
            plan = plans[lead.id]
            items = []
            for role, label_created, label_linked in (
                ("company", self.env._("Company created: %s"), self.env._("Company linked: %s")),
                ("contact", self.env._("Contact created: %s"), self.env._("Contact linked: %s")),
            ):
                if plan[role]:
                    label = label_created if plan[f"{role}_created"] else label_linked
                    items.append(Markup(label) % plan[role]._get_html_link())
            if plan["opportunity"]:
                items.append(Markup(self.env._("Converted into an opportunity: %s")) % lead._get_html_link())
            if plan["sale_order"]:
                items.append(
                    Markup(self.env._("Quotation created: %s")) % plan["sale_order"]._get_html_link()
                )
            if not items:
                items.append(self.env._("Nothing created or linked."))
            profile_name = plan["profile"].display_name or self.env._("built-in behaviour")
            bodies[lead.id] = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Lead qualified (profile: %s).", profile_name),
                Markup().join(Markup("<li>%s</li>") % item for item in items),
            )
        self._message_log_batch(bodies=bodies)
        self._log_qualification_event("qualified", note=note)

    def _qualify_opportunities_from_order(self, profile, note):
        """Mark opportunities qualified by an order: they are opportunities already, so nothing is converted
        or created; the buyer is linked by the caller."""
        with self._qualification_writes():
            self.write(
                {
                    "qualification_state": "qualified",
                    "qualification_profile_id": profile.id,
                    "date_qualified": fields.Datetime.now(),
                    "qualified_user_id": self.env.uid,
                }
            )
        self._log_qualification_event("qualified", note=note)

    # ------------------------------------------------------------
    # DISQUALIFICATION AND REACTIVATION
    # ------------------------------------------------------------

    def toggle_active(self):
        # Odoo's "Restore" and "Unarchive" bring a disqualified record back too: see write.
        result = super().toggle_active()
        # A restored record is no longer lost to anyone, as Odoo clears its lost reason.
        self.filtered(lambda lead: lead.active and lead.lost_to_competitor_id).lost_to_competitor_id = False
        return result

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

    def _format_refused(self):
        names = self[:_REFUSAL_NAMES_SHOWN].mapped("display_name")
        if len(self) > _REFUSAL_NAMES_SHOWN:
            names.append(self.env._("%(count)s more", count=len(self) - _REFUSAL_NAMES_SHOWN))
        return format_list(self.env, names)

    def _check_disqualify(self, reason, note=False, reactivate_on=False):
        """Raise a UserError if a record of self may not be set aside with ``reason``: nothing is changed.

        ``reason`` may be empty: Odoo's "Lost" does not require one."""
        if not self:
            raise UserError(self.env._("Select the records to disqualify or mark as lost."))
        disqualified = self.filtered(
            lambda lead: lead.date_disqualified or lead.qualification_state == "disqualified"
        )
        if disqualified:
            raise UserError(
                self.env._(
                    "Already disqualified: %(records)s. Remove them from the selection.",
                    records=disqualified._format_refused(),
                )
            )
        qualified = self.filtered(
            lambda lead: lead.type == "lead" and lead.qualification_state == "qualified"
        )
        if qualified:
            raise UserError(
                self.env._(
                    "A qualified lead cannot be disqualified: %(records)s. "
                    "Mark its opportunity as lost instead.",
                    records=qualified._format_refused(),
                )
            )
        archived = self.filtered(lambda lead: not lead.active)
        if archived:
            raise UserError(
                self.env._(
                    "Archived records cannot be disqualified: %(records)s. Restore them first.",
                    records=archived._format_refused(),
                )
            )
        types = set(self.mapped("type"))
        if "lead" in types and reason.applies_to == "opportunity":
            raise UserError(
                self.env._(
                    'The reason "%(reason)s" applies to opportunities only: choose a reason for leads.',
                    reason=reason.name,
                )
            )
        if "opportunity" in types and reason.applies_to == "lead":
            raise UserError(
                self.env._(
                    'The reason "%(reason)s" applies to leads only: choose a reason for opportunities.',
                    reason=reason.name,
                )
            )
        if reason.note_required and not (note or "").strip():
            raise UserError(
                self.env._(
                    'The reason "%(reason)s" requires a note: explain why in the note.', reason=reason.name
                )
            )
        if reactivate_on and reactivate_on <= fields.Date.context_today(self):
            raise UserError(
                self.env._("The reactivation date must be in the future: choose a later date or none.")
            )

    def _disqualify(self, reason, note=False, reactivate_on=False, keep_contact=False):
        """Set the records of self aside with ``reason``, all or nothing.

        Odoo's lost semantics (archived, probability 0, ``lost_reason_id``) plus: leads become
        ``disqualified``; who, when, the stage and the reactivation date are kept; one ``disqualified`` event
        and one chatter note (reason and note) per record. With ``keep_contact``, a lead without customer gets
        a contact (see ``_keep_disqualified_contacts``). Raises a UserError or an AccessError, changing
        nothing, if a record may not be set aside by the user.
        """
        self.check_access("write")
        self._check_disqualify(reason, note=note, reactivate_on=reactivate_on)
        if keep_contact:
            self._keep_disqualified_contacts()
        # Archiving deletes the planned activities (mail.activity.mixin): what the user had planned stays
        # readable in the chatter.
        cancelled = self._describe_planned_activities()
        self._log_qualification_event("disqualified", reason=reason, note=note)
        # The message below says the record is disqualified: its state needs no tracking line of its own.
        records = self.with_context(mail_notrack=True)
        bodies = self._disqualification_messages(reason, note, reactivate_on)
        for lead_id, activities in cancelled.items():
            bodies[lead_id] += activities
        with self._qualification_writes():
            for stage, stage_records in records.grouped("stage_id").items():
                stage_records.write({"disqualified_stage_id": stage.id})
            records.filtered(lambda lead: lead.type == "lead").write({"qualification_state": "disqualified"})
            self._post_with_tracking(bodies)
            # Tracked as Odoo's "Lost" is: followers of the "Opportunity Lost" subtype are notified.
            self.action_set_lost(
                lost_reason_id=reason.id,
                date_disqualified=fields.Datetime.now(),
                disqualified_user_id=self.env.uid,
                reactivate_on=reactivate_on or False,
            )

    def _describe_planned_activities(self):
        """Return ``{lead_id: html}`` listing the planned activities of each record of self that has some:
        what (type and summary), when (due date) and for whom. One query for the records without any."""
        # A read only, of the records the user is setting aside (their write access is checked): a colleague's
        # meeting on them is cancelled too, and is listed whatever the user may read of it.
        activities = self.sudo().activity_ids
        descriptions = {}
        for lead_id, lead_activities in activities.grouped("res_id").items():
            items = [
                Markup("<li>%s</li>")
                % self.env._(
                    "%(type)s: %(summary)s, due %(date)s, for %(user)s",
                    type=activity.activity_type_id.name or self.env._("Activity"),
                    summary=activity.summary or activity.activity_type_id.summary or "-",
                    date=format_date(self.env, activity.date_deadline),
                    user=activity.user_id.name or self.env._("nobody"),
                )
                for activity in lead_activities.sorted("date_deadline")
            ]
            descriptions[lead_id] = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Planned activities cancelled:"),
                Markup().join(items),
            )
        return descriptions

    def _post_with_tracking(self, bodies):
        """Make ``bodies`` ({record id: body}) the body of the tracking message of the write to come, one
        message per record, with Odoo's subtype (lost, restored) that notifies its followers.

        Where the caller switched tracking off, no tracking message will be posted: a note is logged instead.
        """
        if self.env.context.get("tracking_disable") or self.env.context.get("mail_notrack"):
            self._message_log_batch(bodies=bodies)
            return
        for body, records in self.grouped(lambda lead: bodies[lead.id]).items():
            records._track_set_log_message(body)

    def _disqualification_messages(self, reason, note, reactivate_on):
        if reason:
            titles = {
                "lead": self.env._("Disqualified: %(reason)s", reason=reason.name),
                "opportunity": self.env._("Marked as lost: %(reason)s", reason=reason.name),
            }
        else:
            titles = {"lead": self.env._("Disqualified."), "opportunity": self.env._("Marked as lost.")}
        parts = {kind: [Markup("<p>%s</p>") % title] for kind, title in titles.items()}
        for lines in parts.values():
            if note:
                lines.append(plaintext2html(note))
            if reactivate_on:
                lines.append(
                    Markup("<p>%s</p>")
                    % self.env._(
                        "Reactivation planned on %(date)s.", date=format_date(self.env, reactivate_on)
                    )
                )
        bodies = {kind: Markup("").join(lines) for kind, lines in parts.items()}
        return {lead.id: bodies[lead.type] for lead in self}

    def _keep_disqualified_contacts(self):
        """Give every record of self without customer a contact, so marketing can still reach the person.

        A contact with the same email is reused; otherwise one is created from the lead's data (the person,
        with the company name noted on it). The lead is linked to its contact.
        """
        leads = self.filtered(lambda lead: not lead.partner_id)
        if not leads:
            return
        Partner = self.env["res.partner"]
        emails = [email for email in leads.mapped("email_normalized") if email]
        partner_by_email = {}
        if emails:
            for partner in Partner.search([("email_normalized", "in", emails)], order="id"):
                partner_by_email.setdefault(partner.email_normalized, partner)
        to_create = leads.filtered(lambda lead: lead.email_normalized not in partner_by_email)
        created = Partner.create(
            [
                {
                    **lead._prepare_customer_values(
                        lead.contact_name
                        or (lead.email_from and parse_contact_from_email(lead.email_from)[0])
                        or lead.partner_name
                        or lead.name
                    ),
                    "company_name": lead.partner_name,
                }
                for lead in to_create
            ]
        )
        partner_by_lead = dict(zip(to_create, created, strict=True))
        # Each lead gets its own contact: one write per lead is the price of this option.
        for lead in leads:
            lead.partner_id = partner_by_lead.get(lead) or partner_by_email[lead.email_normalized]

    def _reactivate(self, note=False):
        if not self:
            raise UserError(self.env._("Select the records to reactivate."))
        self.check_access("write")
        not_disqualified = self.filtered(lambda lead: lead.active or not lead.date_disqualified)
        if not_disqualified:
            raise UserError(
                self.env._(
                    "Only disqualified leads and lost opportunities can be reactivated, not %(records)s.",
                    records=not_disqualified._format_refused(),
                )
            )
        records = self.with_context(mail_notrack=True)
        # Going back to the stage a record was in is no transition: the rules into it do not apply.
        with records._transition_rules_skipped():
            for stage, stage_records in records._get_reactivation_stages().items():
                stage_records.write({"stage_id": stage.id})
        # Archived, a record keeps probability 0 while its automated probability follows its stage; Odoo's
        # restore only recomputes a probability still equal to the automated one: realign them first.
        records.write({"probability": 0, "automated_probability": 0})
        self._record_reactivation(note=note)
        # Odoo's restore clears the lost reason and recomputes the probability, tracked as Odoo's "Restored".
        self.action_unarchive()
        self._schedule_reactivation_follow_up()

    def _get_reactivation_stages(self):
        """Return {stage: records of self to move there}, leaving out the records already in their stage."""
        first_stage_by_team = {}
        records_by_stage = defaultdict(lambda: self.browse())
        for lead in self:
            stage = lead.disqualified_stage_id
            if not stage or (stage.team_id and stage.team_id != lead.team_id):
                if lead.team_id not in first_stage_by_team:
                    first_stage_by_team[lead.team_id] = lead._stage_find(domain=[("fold", "=", False)])
                stage = first_stage_by_team[lead.team_id]
            if stage and stage != lead.stage_id:
                records_by_stage[stage] |= lead
        return records_by_stage

    def _record_reactivation(self, note=False):
        """Leave the trace of a reactivation on the set-aside records of self: open again, the
        disqualification fields cleared, one ``reactivated`` event (with the reason it had been set aside for)
        and a chatter note.
        """
        # Odoo's restore reaches this before its own write: the sudo history must not run ahead of the rights.
        self.check_access("write")
        records = self.with_context(mail_notrack=True)
        for reason, reason_records in records.grouped("lost_reason_id").items():
            reason_records._log_qualification_event("reactivated", reason=reason, note=note)
        with self._qualification_writes():
            records.write(
                {
                    "date_disqualified": False,
                    "disqualified_user_id": False,
                    "disqualified_stage_id": False,
                    "reactivate_on": False,
                }
            )
            records.filtered(lambda lead: lead.qualification_state == "disqualified").write(
                {"qualification_state": "open"}
            )
        body = Markup("<p>%s</p>") % self.env._("Reactivated.")
        if note:
            body += plaintext2html(note)
        self._post_with_tracking(dict.fromkeys(self.ids, body))

    def _schedule_reactivation_follow_up(self):
        """Plan a "Follow up reactivated lead" activity for the salesperson of each record of self.

        Without salesperson, the team leader; without either, the user reactivating (not the system)."""
        fallback_user = self.env.user if not self.env.user._is_superuser() else self.env["res.users"]
        records_by_user = defaultdict(lambda: self.browse())
        for lead in self:
            user = lead.user_id or lead.team_id.user_id or fallback_user
            if user:
                records_by_user[user] |= lead
        for user, records in records_by_user.items():
            # One notification email per lead would flood the salesperson on a mass reactivation: the
            # activities show in their activity menu instead.
            records.with_context(mail_activity_quick_update=True).activity_schedule(
                "lead_qualification_plus.mail_activity_type_reactivated_lead",
                user_id=user.id,
            )

    @api.model
    def _cron_reactivate_due_leads(self, batch_size=500):
        """Scheduled action: reactivate the disqualified records whose reactivation date has come.

        Works in batches of ``batch_size`` and commits after each (except while tests run), so a crash resumes
        where it stopped: a reactivated record no longer matches. A record that cannot be reactivated holds
        no other back: it keeps its date (the next run tries again), and its team leader gets an activity
        saying why. Returns a ``ReactivationRun``: how many were reactivated, and which failed and why.
        """
        testing = (
            odoo_module.current_test
            or getattr(threading.current_thread(), "testing", False)
            or self.env.registry.in_test_mode()
        )
        auto_commit = not testing
        run = self._reactivate_due_leads(batch_size=batch_size, auto_commit=auto_commit)
        if run.failed:
            _logger.warning(
                "Scheduled reactivation: %s records reactivated, %s could not be: %s",
                run.reactivated,
                len(run.failed),
                run.failed,
            )
        return run

    @api.model
    def _reactivate_due_leads(self, batch_size=500, auto_commit=False):
        domain = [
            ("active", "=", False),
            ("date_disqualified", "!=", False),
            ("reactivate_on", "<=", fields.Date.context_today(self)),
        ]
        Lead = self.with_context(active_test=False)
        remaining = Lead.search_count(domain)
        run = ReactivationRun()
        note = self.env._("Reactivated on schedule: its reactivation date has come.")
        while leads := Lead.search(
            [*domain, ("id", "not in", list(run.failed))], limit=batch_size, order="reactivate_on, id"
        ):
            failed = leads._reactivate_isolating_failures(note)
            if failed:
                self.browse(failed)._report_failed_reactivations(failed)
            run.failed.update(failed)
            run.reactivated += len(leads) - len(failed)
            remaining = max(remaining - len(leads), 0)
            self.env["ir.cron"]._notify_progress(done=run.reactivated + len(run.failed), remaining=remaining)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            # A long run would otherwise keep every reactivated record in the cache.
            self.env.invalidate_all()
        return run

    def _reactivate_isolating_failures(self, note):
        """Reactivate self in a savepoint; when that fails, each half in its own, down to the records that
        fail on their own. Returns ``{lead_id: why}`` for those. One savepoint when nothing fails; a clash
        with a concurrent transaction is no failure of a record and propagates (the job is retried)."""
        try:
            with self.env.cr.savepoint():
                self._reactivate(note=note)
            return {}
        except Exception as error:
            if is_concurrency_error(error):
                raise
            if len(self) == 1:
                _logger.info("Scheduled reactivation of lead %s failed", self.id, exc_info=True)
                message = error.args[0] if isinstance(error, UserError) and error.args else repr(error)
                return {self.id: str(message)}
        half = len(self) // 2
        return {
            **self[:half]._reactivate_isolating_failures(note),
            **self[half:]._reactivate_isolating_failures(note),
        }

    def _report_failed_reactivations(self, failed):
        """Ask the team leader (else the salesperson) of each record of self to look at why its scheduled
        reactivation failed (``failed``: ``{lead_id: why}``), once: later runs do not repeat the activity."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        summary = self.env._("Scheduled reactivation failed")
        already_told = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", todo.id),
                ("summary", "=", summary),
            ]
        )
        for lead in self.filtered(lambda lead: lead.id not in already_told.mapped("res_id")):
            try:
                with self.env.cr.savepoint():
                    lead.with_context(mail_activity_quick_update=True).activity_schedule(
                        "mail.mail_activity_data_todo",
                        summary=summary,
                        note=self.env._(
                            "The record could not be reactivated on its date: %(why)s "
                            "Fix what is said, then reactivate it by hand (or let the next run do it).",
                            why=failed[lead.id],
                        ),
                        user_id=(lead.team_id.user_id or lead.user_id).id or SUPERUSER_ID,
                    )
            except Exception as error:
                if is_concurrency_error(error):
                    raise
                _logger.warning(
                    "Could not tell about the failed reactivation of lead %s", lead.id, exc_info=True
                )

    # ------------------------------------------------------------
    # TRANSITION RULES
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
        # No savepoint without a rule into the stage, as for create.
        rules = self.env["crm.transition.rule"]._get_candidate_rules("stage", [vals["stage_id"]])
        if not rules:
            return super().write(vals)
        from_stages = {lead.id: lead.stage_id.id for lead in moving}
        stage_entry = {lead.id: lead.date_last_stage_update for lead in moving}
        # The rules see the records as written (a form saves the filled fields with the new stage);
        # the savepoint undoes the whole write, for every record, when they refuse it.
        with self.env.cr.savepoint():
            result = super().write(vals)
            moving._enforce_transition_rules(from_stages, stage_entry, rules=rules)
        return result

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
        stage_entry = {self.id: self.date_last_stage_update}
        verdicts = rules._evaluate_moves(self, {self.id: self.stage_id.id}, stage_entry)
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
        rule = self.env["crm.transition.rule"]
        if isinstance(rule_id, int) and not isinstance(rule_id, bool):
            rule = rule.browse(rule_id).exists()
        if not rule or rule not in self.transition_rule_ids:
            raise UserError(
                self.env._("This transition is not available for this record anymore: reload the page.")
            )
        wizard = self.env["crm.lead.transition"].create({"lead_id": self.id, "rule_id": rule.id})
        return wizard._action_reopen()

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
        now in their new stage)."""
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
            rules = self.env["crm.transition.rule"].union(*(rule for _lead, rule, _unmet, _ok in verdicts))
            refused = {rule for rule in rules if rule.group_ids and not rule.group_ids & user_groups}
            forbidden = [(lead, rule) for lead, rule, _unmet, _ok in verdicts if rule in refused]
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
        # The refusal point of every path (stage write, create, qualify): the block report counts it here.
        self._log_transition_blocks(blocked)
        first_lead, first_rule, _unmet = blocked[0]
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
            message = self.env._(
                "The work this transition requires is not done yet:\n%(lines)s\n\n%(way_forward)s",
                lines="\n".join(lines),
                way_forward=way_forward,
            )
        else:
            message = self.env._(
                "The work these transitions require is not done yet:\n%(lines)s\n\n%(way_forward)s",
                lines="\n".join(lines),
                way_forward=way_forward,
            )
        raise TransitionBlockedError(
            message,
            lead=first_lead,
            rule=first_rule,
        )

    @api.model
    def _log_transition_blocks(self, blocked):
        """Count in the transition block report the moves the rules refuse.

        ``blocked`` is a list of ``(lead, rule, unmet requirements)``, one per refused record and rule.
        Call it at the refusal point, just before raising: the log is kept although the refusal rolls the
        transaction back, and logging never raises.
        """
        self.env["crm.transition.block.report"]._log_blocks(blocked)

    # ------------------------------------------------------------
    # STAKEHOLDERS AND COMPETITORS
    # ------------------------------------------------------------

    def _attach_stakeholders_to_company(self):
        """Make the stakeholders' contacts that have no company contacts of their lead's company.

        For each lead of self whose partner belongs to a company (its commercial partner is a company),
        every stakeholder contact without a parent company gets that company as parent. Contacts that
        already belong to a company are left alone; the stakeholder lines stay on the lead. When one
        contact is a stakeholder of several leads of self with different companies, the first lead of self
        wins. Runs with the caller's rights, one write per company: a contact the user may not write is left
        as it was, and the lead's chatter says so. Returns the contacts attached.
        """
        Partner = self.env["res.partner"]
        free_contacts = self.stakeholder_ids.partner_id.filtered(
            lambda partner: not partner.parent_id and not partner.is_company
        )
        # Checked once for all the leads: the cost does not grow with them.
        writable = self._filter_attachable_contacts(free_contacts)
        contacts_by_company = {}
        attached = Partner
        left_alone = {}
        for lead in self:
            company = lead.partner_id.commercial_partner_id
            if not company.is_company:
                continue
            contacts = (lead.stakeholder_ids.partner_id & free_contacts) - attached
            if contacts - writable:
                left_alone[lead.id] = contacts - writable
            contacts &= writable
            if contacts:
                contacts_by_company[company] = contacts_by_company.get(company, Partner) | contacts
                attached |= contacts
        for company, contacts in contacts_by_company.items():
            contacts.write({"parent_id": company.id})
        if left_alone:
            self.browse(left_alone)._message_log_batch(
                bodies={
                    lead_id: Markup("<p>%s</p>")
                    % self.env._(
                        "Stakeholders left as they were (not yours to edit): %(contacts)s.",
                        contacts=format_list(self.env, contacts.mapped("display_name")),
                    )
                    for lead_id, contacts in left_alone.items()
                }
            )
        return attached

    @api.model
    def _filter_attachable_contacts(self, contacts):
        """The contacts of ``contacts`` the user may give a company (write), checked without writing."""
        writable = contacts._filtered_access("write")
        if self.env.su or not self.env["res.users"].has_access("write"):
            # Odoo lets only user administrators write the contact of another internal user (see
            # res.partner.write); the system's own flows do not move a colleague's contact either.
            writable = writable.filtered(
                lambda partner: (
                    not any(user._is_internal() and user != self.env.user for user in partner.user_ids)
                )
            )
        return writable

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
