from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_list
from odoo.tools.misc import format_datetime

from ..tools import GuardedFields, running_tests

# The clock of a record: computed from its stage entry and moved on by the scheduled job only. A user setting
# them (an RPC write, an import) would hide an overdue record or escalate it twice.
SLA_FIELDS = ("sla_id", "sla_warning_date", "sla_deadline", "sla_state")
# A new record has no time limit until it is computed.
_SLA_GUARD = GuardedFields("sla", dict.fromkeys(SLA_FIELDS, False) | {"sla_state": "none"})
# The lead's fields whose change may open or close an entry of the time-limit log: crm writes
# date_last_stage_update on every stage change; archiving (lost) and restoring close and reopen the entry.
SLA_ENTRY_TRIGGERS = {"stage_id", "active", "date_last_stage_update"}


def sla_writes():
    """Let the time-limit job write SLA_FIELDS, within the block only (a context manager)."""
    return _SLA_GUARD.writes()


class CrmLead(models.Model):
    """Time limits per stage (``crm.stage.sla``): the clock of each record and the job that escalates.

    The clock starts when a record enters a stage (Odoo's ``date_last_stage_update``, written on every stage
    change and on creation): the fields below are computed from it alone, so that moving the record (on any
    path: form, kanban, import, RPC) restarts them, and changing its team or type while it stays does not.
    A limit created or changed later applies from the next entry into its stage.
    """

    _inherit = "crm.lead"

    sla_id = fields.Many2one(
        comodel_name="crm.stage.sla",
        string="Time Limit",
        compute="_compute_sla",
        store=True,
        index="btree_not_null",
        readonly=True,
    )
    sla_warning_date = fields.Datetime(
        string="Time Limit Warning",
        compute="_compute_sla",
        store=True,
        readonly=True,
    )
    sla_deadline = fields.Datetime(
        string="Time Limit Deadline",
        compute="_compute_sla",
        store=True,
        readonly=True,
    )
    sla_state = fields.Selection(
        selection=[
            ("none", "No Time Limit"),
            ("on_track", "On Track"),
            ("warning", "Close to Limit"),
            ("overdue", "Overdue"),
        ],
        string="Time Limit Status",
        compute="_compute_sla",
        store=True,
        readonly=True,
        index=True,
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_sla_fields_unchanged(vals_list)
        leads = super().create(vals_list)
        # Without any time limit no record has a clock: creating costs nothing more.
        if self.env["crm.stage.sla"]._get_ids_by_stage():
            leads.filtered("sla_id")._sla_sync_entries()
        return leads

    def write(self, vals):
        self._check_sla_fields_unchanged([vals])
        if SLA_ENTRY_TRIGGERS.isdisjoint(vals):
            return super().write(vals)
        # The records on a clock before the write may leave their entry; those after it may open one.
        timed = self.filtered("sla_id")
        result = super().write(vals)
        (timed | self.filtered("sla_id"))._sla_sync_entries()
        return result

    def _check_sla_fields_unchanged(self, vals_list):
        """Refuse, outside the time-limit job, values of SLA_FIELDS that differ from the records' (from a new
        record's, defaults included, when creating). An unchanged value passes, so that an exported file
        imports back as it is."""
        changed = _SLA_GUARD.changed(self, vals_list)
        if changed:
            raise AccessError(
                self.env._(
                    "%(fields)s follow the stage's time limit and change only when the record changes stage.",
                    fields=format_list(self.env, changed),
                )
            )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("date_last_stage_update")
    def _compute_sla(self):
        by_stage = self.env["crm.stage.sla"]._get_ids_by_stage()
        # A mass move enters every record at the same moment: one schedule computation per limit and company.
        dates = {}
        for lead in self:
            # The configuration applies whatever the rights of the user who moves the record.
            candidates = self.env["crm.stage.sla"].sudo().browse(by_stage.get(lead.stage_id.id, ()))
            sla = candidates._pick_for(lead) if candidates and lead.date_last_stage_update else candidates
            if not sla:
                lead.update(
                    {"sla_id": False, "sla_warning_date": False, "sla_deadline": False, "sla_state": "none"}
                )
                continue
            start = lead.date_last_stage_update
            key = (sla.id, lead.company_id.id, start)
            if key not in dates:
                company = lead.company_id or self.env.company
                dates[key] = (
                    sla._date_after(start, sla.warning_days, company) if sla.warning_days else False,
                    sla._date_after(start, sla.max_days, company),
                )
            lead.update(
                {
                    "sla_id": sla.id,
                    "sla_warning_date": dates[key][0],
                    "sla_deadline": dates[key][1],
                    "sla_state": "on_track",
                }
            )

    # ------------------------------------------------------------
    # TIME-LIMIT LOG
    # ------------------------------------------------------------

    def _sla_sync_entries(self):
        """Bring the time-limit log (``crm.lead.sla.entry``) of self in line with their clocks: close the open
        entry of a record that left its stage or was archived, open one for a record that entered a stage
        with a time limit, reopen the entry of a record restored in the stage it was archived in, and follow
        a stage entry date written by hand (an import). A batch of queries, whatever the number of records."""
        if not self:
            return
        # sudo: users never write the log; it only mirrors the clocks of self, records the caller has just
        # created or written with their own rights, and takes no value from the caller.
        Entry = self.env["crm.lead.sla.entry"].sudo()
        dates = [date for date in self.mapped("date_last_stage_update") if date]
        entries = Entry.search_fetch(
            [("lead_id", "in", self.ids), "|", ("left_on", "=", False), ("entered_on", "in", dates)],
            ["lead_id", "stage_id", "sla_id", "entered_on", "left_on", "deadline"],
        )
        open_entries = {entry.lead_id.id: entry for entry in entries if not entry.left_on}
        closed_entries = {
            (entry.lead_id.id, entry.stage_id.id, entry.sla_id.id, entry.entered_on): entry
            for entry in entries
            if entry.left_on
        }
        to_close, to_reopen, new_values = Entry, Entry, []
        corrections = defaultdict(lambda: Entry)
        for lead in self:
            entry = open_entries.get(lead.id, Entry)
            timed = lead.active and lead.sla_id and lead.stage_id and lead.date_last_stage_update
            if timed and entry and (entry.stage_id, entry.sla_id) == (lead.stage_id, lead.sla_id):
                clock = (lead.date_last_stage_update, lead.sla_deadline)
                if (entry.entered_on, entry.deadline) != clock:
                    corrections[clock] |= entry
                continue
            to_close |= entry
            if not timed:
                continue
            key = (lead.id, lead.stage_id.id, lead.sla_id.id, lead.date_last_stage_update)
            if key in closed_entries:
                to_reopen |= closed_entries[key]
            else:
                new_values.append(Entry._values_for(lead))
        # The moment crm stamps on the stage change: the entry closes when the next one opens.
        to_close.write({"left_on": self.env.cr.now()})
        to_reopen.write({"left_on": False})
        for (entered_on, deadline), group in corrections.items():
            group.write({"entered_on": entered_on, "deadline": deadline})
        Entry.create(new_values)

    # ------------------------------------------------------------
    # SCHEDULED JOB
    # ------------------------------------------------------------

    @api.model
    def _cron_check_sla(self, batch_size=500):
        """Scheduled action: flag the records close to their time limit, and those past it, escalating each
        of the latter once per stage entry (an activity for the person the limit names).

        Works in batches of ``batch_size`` and commits after each (except while tests run): a crash resumes
        where it stopped, a flagged record no longer matches. Progress is reported to Odoo's cron.
        """
        return self._check_sla(batch_size=batch_size, auto_commit=not running_tests(self.env))

    @api.model
    def _check_sla(self, batch_size=500, auto_commit=False):
        """Flag and escalate as ``_cron_check_sla`` says; return ``(warned, breached)`` counts."""
        now = fields.Datetime.now()
        overdue_domain = [("sla_state", "in", ("on_track", "warning")), ("sla_deadline", "<=", now)]
        # A record already past its limit skips the warning: it is overdue.
        warning_domain = [
            ("sla_state", "=", "on_track"),
            ("sla_warning_date", "<=", now),
            ("sla_deadline", ">", now),
        ]
        breached = self._sla_run_batches(overdue_domain, "overdue", batch_size, auto_commit)
        warned = self._sla_run_batches(warning_domain, "warning", batch_size, auto_commit)
        return warned, breached

    @api.model
    def _sla_run_batches(self, domain, state, batch_size, auto_commit):
        remaining = self.search_count(domain)
        done = 0
        while leads := self.search(domain, limit=batch_size, order="id"):
            leads._sla_flag(state)
            done += len(leads)
            remaining = max(remaining - len(leads), 0)
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            # A long run would otherwise keep every flagged record in the cache.
            self.env.invalidate_all()
        return done

    def _sla_flag(self, state):
        """Move self to ``state`` (``warning`` or ``overdue``), write it in the history and, when overdue,
        escalate: a batch of writes, whatever the number of records."""
        self.fetch(
            ["name", "stage_id", "sla_id", "date_last_stage_update", "sla_deadline", "user_id", "team_id"]
        )
        with sla_writes():
            self.write({"sla_state": state})
        # The log keeps the flag after the record leaves the stage: one search and one write per batch.
        # sudo: the job's user may not write the log; the entries are those of self (the job's own search) and
        # the only value written is the flag the job decided, nothing a user passes.
        self.env["crm.lead.sla.entry"].sudo().search(
            [("lead_id", "in", self.ids), ("left_on", "=", False)]
        ).write({"warned" if state == "warning" else "breached": True})
        if state == "warning":
            self._log_qualification_event("sla_warning", note=self.env._("Close to the stage's time limit."))
            return
        self._log_qualification_event("sla_breached", note=self.env._("Past the stage's time limit."))
        self._sla_escalate()

    def _sla_escalate(self):
        """Schedule the escalation activity of each record of self for the person its time limit names."""
        lead_model_id = self.env["ir.model"]._get_id("crm.lead")
        today = fields.Date.context_today(self)
        values = []
        for lead in self:
            sla = lead.sla_id
            values.append(
                {
                    "res_model_id": lead_model_id,
                    "res_id": lead.id,
                    "activity_type_id": sla.activity_type_id.id,
                    "user_id": lead._sla_escalation_user().id,
                    "date_deadline": today,
                    "summary": self.env._("Time limit exceeded in %(stage)s", stage=lead.stage_id.name),
                    "note": self.env._(
                        "%(lead)s has been in stage %(stage)s since %(since)s: its time limit %(sla)s "
                        "(%(days)s days) ended on %(deadline)s.",
                        lead=lead.name,
                        stage=lead.stage_id.name,
                        since=format_datetime(self.env, lead.date_last_stage_update),
                        sla=sla.name,
                        days=sla.max_days,
                        deadline=format_datetime(self.env, lead.sla_deadline),
                    ),
                }
            )
        # The escalation is the person's activity, not a mail per late record; nor does it make them follow
        # the record. The job's user may create activities for anyone on any lead.
        self.env["mail.activity"].with_context(
            mail_activity_quick_update=True, mail_activity_noautofollow=True
        ).create(values)

    def _sla_escalation_user(self):
        """Whom the escalation of this record goes to: the person its time limit names, else the other of
        salesperson and team leader, else the limit's given user, else who last configured the limit."""
        self.ensure_one()
        sla = self.sla_id
        salesperson, leader = self.user_id, self.team_id.user_id
        order = {
            "salesperson": (salesperson, leader),
            "team_leader": (leader, salesperson),
            "user": (),
        }[sla.escalate_to]
        for user in (*order, sla.escalate_user_id, sla.write_uid):
            if user and user.active and not user.share:
                return user
        return self.env.user
