import threading
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.modules import module as odoo_module
from odoo.tools import format_date, format_list, parse_contact_from_email, plaintext2html

# Names shown in a refusal: enough to find the records, not a wall of text on a mass run.
_REFUSAL_NAMES_SHOWN = 5


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

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_qualify_transition_rules(self):
        """Raise a ValidationError when a transition rule with target ``qualify`` blocks a lead of self.

        Called by every user-triggered qualification (wizard and ``qualify()``); the transition rules replace
        this no-op. The system's own automatic qualification does not call it.
        """
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
    # DISQUALIFICATION AND REACTIVATION
    # ------------------------------------------------------------

    def toggle_active(self):
        # Odoo's "Restore" and "Unarchive" bring a disqualified record back too: it must leave the same
        # trace as a reactivation and not stay "disqualified" while open.
        set_aside = self.filtered(lambda lead: not lead.active and lead.date_disqualified)
        if set_aside:
            set_aside._record_reactivation()
        return super().toggle_active()

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
        self._log_qualification_event("disqualified", reason=reason, note=note)
        # The chatter note written below says all a tracking message would: no second message per record.
        records = self.with_context(mail_notrack=True)
        for stage, stage_records in records.grouped("stage_id").items():
            stage_records.write({"disqualified_stage_id": stage.id})
        records.filtered(lambda lead: lead.type == "lead").write({"qualification_state": "disqualified"})
        records.action_set_lost(
            lost_reason_id=reason.id,
            date_disqualified=fields.Datetime.now(),
            disqualified_user_id=self.env.uid,
            reactivate_on=reactivate_on or False,
        )
        self._message_log_batch(bodies=self._disqualification_messages(reason, note, reactivate_on))

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
        for stage, stage_records in records._get_reactivation_stages().items():
            stage_records.write({"stage_id": stage.id})
        # Archived, a record keeps probability 0 while its automated probability follows its stage; Odoo's
        # restore only recomputes a probability still equal to the automated one: realign them first.
        records.write({"probability": 0, "automated_probability": 0})
        records._record_reactivation(note=note)
        # Odoo's restore clears the lost reason and recomputes the probability.
        records.action_unarchive()
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
        self._message_log_batch(bodies=dict.fromkeys(self.ids, body))

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
        where it stopped: a reactivated record no longer matches. Returns the number of records reactivated.
        """
        testing = (
            odoo_module.current_test
            or getattr(threading.current_thread(), "testing", False)
            or self.env.registry.in_test_mode()
        )
        auto_commit = not testing
        return self._reactivate_due_leads(batch_size=batch_size, auto_commit=auto_commit)

    @api.model
    def _reactivate_due_leads(self, batch_size=500, auto_commit=False):
        domain = [
            ("active", "=", False),
            ("date_disqualified", "!=", False),
            ("reactivate_on", "<=", fields.Date.context_today(self)),
        ]
        Lead = self.with_context(active_test=False)
        remaining = Lead.search_count(domain)
        done = 0
        note = self.env._("Reactivated on schedule: its reactivation date has come.")
        while leads := Lead.search(domain, limit=batch_size, order="reactivate_on, id"):
            leads._reactivate(note=note)
            done += len(leads)
            remaining = max(remaining - len(leads), 0)
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            # A long run would otherwise keep every reactivated record in the cache.
            self.env.invalidate_all()
        return done
