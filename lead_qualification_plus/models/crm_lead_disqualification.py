import logging
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, format_list, parse_contact_from_email, plaintext2html

from ..tools import running_tests
from .crm_lead import is_concurrency_error

_logger = logging.getLogger(__name__)

# Names shown in a refusal: enough to find the records, not a wall of text on a mass run.
_REFUSAL_NAMES_SHOWN = 5


@dataclass
class ReactivationRun:
    """What a run of the scheduled reactivation did: the number of records reactivated, and why each record
    that could not be failed (``{lead_id: message}``)."""

    reactivated: int = 0
    failed: dict = dataclass_field(default_factory=dict)


class CrmLead(models.Model):
    """Disqualification and reactivation: the engine behind the Disqualify, Lost and Reactivate actions and
    the scheduled reactivation. Odoo's "Lost" sets a record aside; this keeps who, when, from which stage
    and until when, and brings it back the same way whatever the path (wizard, Restore, schedule)."""

    _inherit = "crm.lead"

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
        auto_commit = not running_tests(self.env)
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
