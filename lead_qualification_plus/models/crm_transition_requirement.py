import re
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext, is_html_empty

# The first paragraph of the message of a done activity ("Call done: summary"), before the user's text.
_ACTIVITY_DONE_HEADER = re.compile(r"^\s*(?:<div>\s*)?<p>.*?</p>", re.DOTALL)


# The kinds met by something done on a date, which may expire (``valid_days``).
_DATED_KINDS = ("activity_done", "note", "attachment")


class CrmTransitionRequirement(models.Model):
    """One piece of work a transition rule demands before a record may move.

    Each kind is evaluated by a method ``_evaluate_<kind>(leads, stage_entry)`` called on all the
    requirements of that kind at once; it returns ``{requirement_id: leads meeting it}``. A new kind is a
    ``selection_add`` and one such method (see ``_evaluate``).
    """

    _name = "crm.transition.requirement"
    _inherit = ["crm.lead.domain.mixin"]
    _description = "CRM Transition Requirement"
    _order = "rule_id, sequence, id"
    _lead_domain_field = "domain"

    rule_id = fields.Many2one(
        comodel_name="crm.transition.rule",
        string="Rule",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="Requirement",
        required=True,
        translate=True,
        help="What the user reads, e.g. 'Call the customer and log a summary'.",
    )
    kind = fields.Selection(
        selection=[
            ("field", "Field is set"),
            ("domain", "Record matches a condition"),
            ("activity_done", "Activity done"),
            ("activity_planned", "Activity planned"),
            ("note", "Note logged since entering the stage"),
            ("attachment", "Attachment"),
            ("stakeholder", "Stakeholders named"),
            ("competitor", "Competitor recorded"),
        ],
        required=True,
        default="field",
    )
    field_id = fields.Many2one(
        comodel_name="ir.model.fields",
        string="Field",
        ondelete="cascade",
        domain="[('model', '=', 'crm.lead'), ('store', '=', True)]",
        help="The field must be set: non-empty text or relation, true boolean, non-zero number.",
    )
    domain = fields.Char(
        string="Condition",
        default="[]",
        help="The record must match this domain, e.g. expected revenue above zero.",
    )
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type",
        string="Activity Type",
        ondelete="restrict",
    )
    min_count = fields.Integer(
        string="Minimum Count",
        default=1,
        help="How many activities of this type must have been marked done, or how many stakeholders named.",
    )
    stakeholder_role_id = fields.Many2one(
        comodel_name="crm.stakeholder.role",
        string="Stakeholder Role",
        ondelete="restrict",
        help="Only count the stakeholders with this role; empty counts every stakeholder.",
    )
    decision_maker_only = fields.Boolean(
        string="Decision Makers Only",
        help="Only count the stakeholders whose role is a decision-maker role.",
    )
    since_stage_entry = fields.Boolean(
        string="Since Entering the Stage",
        help="Only count activities done since the record entered its current stage.",
    )
    valid_days = fields.Integer(
        string="Valid For (Days)",
        help="Only count the activities done, notes logged or files attached in the last N days, "
        "e.g. a call in the last 30 days. 0 counts them whatever their age.",
    )
    optional = fields.Boolean(
        string="Recommended Only",
        help="Shown in the checklist as recommended: it never blocks a move. A rule whose requirements "
        "are all recommended blocks nothing.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("kind", "field_id", "domain", "activity_type_id", "min_count", "valid_days")
    def _check_parameters(self):
        for requirement in self:
            requirement._check_valid_days()
            if requirement.kind == "field":
                if not requirement.field_id:
                    raise ValidationError(
                        self.env._(
                            'The requirement "%(name)s" checks a field: choose the field to check.',
                            name=requirement.name,
                        )
                    )
                if requirement.field_id.model != "crm.lead":
                    raise ValidationError(
                        self.env._(
                            'The requirement "%(name)s" checks the field "%(field)s" of %(model)s: '
                            "choose a field of the lead/opportunity.",
                            name=requirement.name,
                            field=requirement.field_id.field_description,
                            model=requirement.field_id.model,
                        )
                    )
            elif requirement.kind == "domain":
                self._validate_lead_domain(requirement.domain, requirement.name)
            elif (
                requirement.kind in ("activity_done", "activity_planned") and not requirement.activity_type_id
            ):
                raise ValidationError(
                    self.env._(
                        'The requirement "%(name)s" checks activities: choose the activity type.',
                        name=requirement.name,
                    )
                )
            if requirement.kind in ("activity_done", "stakeholder") and requirement.min_count < 1:
                raise ValidationError(
                    self.env._(
                        'The requirement "%(name)s" needs a minimum count of at least 1.',
                        name=requirement.name,
                    )
                )

    def _check_valid_days(self):
        if self.valid_days < 0:
            raise ValidationError(
                self.env._(
                    'The requirement "%(name)s" counts evidence of the last %(days)s days: give a number of '
                    "days of 0 (no limit) or more.",
                    name=self.name,
                    days=self.valid_days,
                )
            )
        if self.valid_days and self.kind not in _DATED_KINDS:
            raise ValidationError(
                self.env._(
                    'The requirement "%(name)s" checks what the record is now, not something done on a date: '
                    "a validity in days only applies to activities done, notes and attachments. "
                    "Set it to 0.",
                    name=self.name,
                )
            )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _evaluate(self, leads, stage_entry):
        """Return ``{requirement_id: ids of the leads meeting it}`` for every requirement of self.

        ``stage_entry`` maps a lead id to the datetime it entered the stage it is leaving (None when it
        never was in one). Queries: at most one grouped read per kind present in self, whatever the number
        of leads.
        """
        # Reads only, as the superuser: a requirement is judged on all the record's work (a colleague's call,
        # a manager's note), not on the part the moving user may read, and every user must get one verdict.
        leads = leads.sudo().with_context(active_test=False, prefetch_fields=False)
        met = {}
        for kind, requirements in self.sudo().grouped("kind").items():
            for requirement_id, met_leads in getattr(requirements, f"_evaluate_{kind}")(
                leads, stage_entry
            ).items():
                met[requirement_id] = set(met_leads.ids)
        return met

    @staticmethod
    def _since(stage_entry, lead_id):
        # Messages and activities are dated to the second; the stage entry has microseconds.
        entry = stage_entry.get(lead_id)
        return entry.replace(microsecond=0) if entry else None

    def _valid_since(self):
        """The oldest date of the evidence this requirement still counts, or None when it never expires.

        Measured from the transaction's time, like the dates Odoo gives what it creates, to the second like
        those dates."""
        if not self.valid_days:
            return None
        return (self.env.cr.now() - timedelta(days=self.valid_days)).replace(microsecond=0)

    def _counts_from(self, stage_entry, lead_id):
        """The oldest date of the evidence counted for lead ``lead_id``: the later of the validity window and,
        when ``stage_entry`` is given, the stage entry."""
        limits = [limit for limit in (self._valid_since(), self._since(stage_entry, lead_id)) if limit]
        return max(limits) if limits else None

    def _evaluate_field(self, leads, stage_entry):
        result = {}
        for requirement in self:
            field = leads._fields.get(requirement.field_id.name)
            if not field:
                result[requirement.id] = leads.browse()
            elif field.type == "html":
                result[requirement.id] = leads.filtered(
                    lambda lead, name=field.name: not is_html_empty(lead[name])
                )
            else:
                result[requirement.id] = leads.filtered(field.name)
        return result

    def _evaluate_domain(self, leads, stage_entry):
        domains = {requirement.id: domain for requirement, domain in self._get_lead_domains().items()}
        # A condition that cannot be evaluated any more is met by no record: the rule refuses the move and
        # names the requirement, rather than let through what it was written to stop.
        result = {
            requirement_id: leads.browse() for requirement_id, domain in domains.items() if domain is None
        }
        result.update(
            self._filter_by_domains(
                leads,
                {requirement_id: domain for requirement_id, domain in domains.items() if domain is not None},
            )
        )
        return result

    def _evaluate_activity_done(self, leads, stage_entry):
        # Marking an activity done posts a message carrying its type: that message is the durable trace.
        groups = (
            self.env["mail.message"]
            # A read of every user's records: see _evaluate.
            .sudo()
            ._read_group(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                    ("mail_activity_type_id", "in", self.activity_type_id.ids),
                ],
                groupby=["res_id", "mail_activity_type_id"],
                aggregates=["date:array_agg"],
            )
        )
        dates = {(res_id, activity_type.id): done_dates for res_id, activity_type, done_dates in groups}
        result = {}
        for requirement in self:
            met_ids = []
            for lead_id in leads.ids:
                done_dates = dates.get((lead_id, requirement.activity_type_id.id), [])
                since = requirement._counts_from(
                    stage_entry if requirement.since_stage_entry else {}, lead_id
                )
                if since:
                    done_dates = [done for done in done_dates if done >= since]
                if len(done_dates) >= requirement.min_count:
                    met_ids.append(lead_id)
            result[requirement.id] = leads.browse(met_ids)
        return result

    def _evaluate_activity_planned(self, leads, stage_entry):
        groups = (
            self.env["mail.activity"]
            # A read of every user's records: see _evaluate.
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                    ("activity_type_id", "in", self.activity_type_id.ids),
                ],
                groupby=["res_id", "activity_type_id"],
            )
        )
        planned = {(res_id, activity_type.id) for res_id, activity_type in groups}
        return {
            requirement.id: leads.browse(
                [lead_id for lead_id in leads.ids if (lead_id, requirement.activity_type_id.id) in planned]
            )
            for requirement in self
        }

    def _evaluate_note(self, leads, stage_entry):
        # A note is a logged comment, or an activity marked done with a written note or feedback: a call
        # logged with its summary is the note of the call.
        messages = (
            self.env["mail.message"]
            # A read of every user's records: see _evaluate.
            .sudo()
            .search_fetch(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                    "|",
                    ("message_type", "=", "comment"),
                    ("mail_activity_type_id", "!=", False),
                ],
                ["res_id", "date", "message_type", "body"],
            )
        )
        last_note = {}
        for message in messages:
            if message.message_type != "comment" and not self._has_written_text(message.body):
                continue
            if message.res_id not in last_note or message.date > last_note[message.res_id]:
                last_note[message.res_id] = message.date
        result = {}
        for requirement in self:
            met_ids = []
            for lead_id in leads.ids:
                since = requirement._counts_from(stage_entry, lead_id)
                if lead_id in last_note and (not since or last_note[lead_id] >= since):
                    met_ids.append(lead_id)
            result[requirement.id] = leads.browse(met_ids)
        return result

    @staticmethod
    def _has_written_text(body):
        """Whether the message of a done activity carries text a user wrote (its note or feedback).

        Odoo's message starts with one paragraph naming the activity and its summary; what follows is the
        activity's note and the feedback given when marking it done."""
        text = html2plaintext(_ACTIVITY_DONE_HEADER.sub("", str(body or ""), count=1))
        return bool(text.strip())

    def _evaluate_attachment(self, leads, stage_entry):
        groups = (
            self.env["ir.attachment"]
            # A read of every user's records: see _evaluate.
            .sudo()
            ._read_group(
                [("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)],
                groupby=["res_id"],
                aggregates=["create_date:max"],
            )
        )
        last_attached = dict(groups)
        result = {}
        for requirement in self:
            since = requirement._valid_since()
            met_ids = [
                lead_id
                for lead_id in leads.ids
                if lead_id in last_attached and (not since or last_attached[lead_id] >= since)
            ]
            result[requirement.id] = leads.browse(met_ids)
        return result

    def _evaluate_stakeholder(self, leads, stage_entry):
        counts = defaultdict(int)  # (lead id, role id) -> stakeholders
        for lead, role, count in (
            self.env["crm.lead.stakeholder"]
            # A read of every user's records: see _evaluate.
            .sudo()
            ._read_group(
                [("lead_id", "in", leads.ids)], groupby=["lead_id", "role_id"], aggregates=["__count"]
            )
        ):
            counts[lead.id, role] = count
        result = {}
        for requirement in self:
            named = defaultdict(int)
            for (lead_id, role), count in counts.items():
                if requirement.stakeholder_role_id and role != requirement.stakeholder_role_id:
                    continue
                if requirement.decision_maker_only and not role.is_decision_maker:
                    continue
                named[lead_id] += count
            result[requirement.id] = leads.browse(
                [lead_id for lead_id in leads.ids if named[lead_id] >= requirement.min_count]
            )
        return result

    def _evaluate_competitor(self, leads, stage_entry):
        groups = (
            self.env["crm.lead.competitor"]
            # A read of every user's records: see _evaluate.
            .sudo()
            ._read_group([("lead_id", "in", leads.ids)], groupby=["lead_id"])
        )
        with_competitor = {lead.id for (lead,) in groups}
        met_ids = [lead_id for lead_id in leads.ids if lead_id in with_competitor]
        return {requirement.id: leads.browse(met_ids) for requirement in self}
