"""Undo a qualification: give the lead back what it was before, remove what qualifying created.

The ``qualified`` event of the history keeps what the lead was before (``undo_*`` fields) and the partners
the qualification created; ``action_undo_qualification`` restores the one and removes the others, all or
nothing, refusing with the exact reason whatever has been used since. The sales bridge adds the quotation.
"""

from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# The lead's values qualifying changes and undoing gives back.
UNDO_LEAD_FIELDS = ("type", "stage_id", "partner_id", "user_id", "team_id")


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------
    # RECORDING (at qualification time)
    # ------------------------------------------------------------

    def _undo_snapshot(self):
        """``{lead_id: {field: value}}``: what the leads are before qualifying, for an undo."""
        return {
            lead.id: {
                "undo_type": lead.type,
                "undo_stage_id": lead.stage_id.id,
                "undo_partner_id": lead.partner_id.id,
                "undo_user_id": lead.user_id.id,
                "undo_team_id": lead.team_id.id,
            }
            for lead in self
        }

    def _last_qualified_events(self):
        """``{lead_id: event}``: the last ``qualified`` event of each lead of self."""
        events = (
            self.env["crm.qualification.event"]
            # The history is read-only to users; read here by the flows that write it.
            .sudo()
            .search([("lead_id", "in", self.ids), ("event", "=", "qualified")], order="date desc, id desc")
        )
        last = {}
        for event in events:
            last.setdefault(event.lead_id.id, event)
        return last

    def _qualify_record_undo(self, snapshot, plans=None):
        """Keep, on the ``qualified`` event just written, what an undo needs: the values before and the
        partners qualifying created. The values come from the flow, never from the user."""
        events = self._last_qualified_events()
        for lead in self:
            event = events.get(lead.id)
            if not event:
                continue
            values = dict(snapshot[lead.id], undo_recorded=True)
            plan = plans and plans.get(lead.id)
            if plan:
                partners = self.env["res.partner"]
                if plan.company_created:
                    partners |= plan.company
                if plan.contact_created:
                    partners |= plan.contact
                values["undo_partner_ids"] = [fields.Command.set(partners.ids)]
            event.write(values)

    # ------------------------------------------------------------
    # UNDO
    # ------------------------------------------------------------

    def action_undo_qualification(self, reason=None):
        """Undo the qualification of the leads of self, all or nothing.

        Without a reason (the form's button, the list's action) it opens the dialog asking for it. With one,
        it restores each lead as it was before qualifying (open, its type, stage, customer, salesperson and
        team) and removes what the qualification created that nobody has used since; it is refused, naming
        what blocks it, for the whole batch otherwise. Within the profile's ``undo_hours`` (24 without a
        profile), the user who qualified or a sales manager may undo.
        """
        if reason is None:
            if not self:
                raise UserError(self.env._("Select the qualified records to undo."))
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "lead_qualification_plus.crm_lead_undo_qualification_action"
            )
            action["context"] = {"default_lead_ids": self.ids, "dialog_size": "medium"}
            return action
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Say why the qualification is undone: the reason is mandatory."))
        if not self:
            raise UserError(self.env._("Select the qualified records to undo."))
        self.check_access("write")
        self._undo_lock(self)
        # The checks read the database (references, last writers): pending writes first.
        self.env.flush_all()
        events = self._last_qualified_events()
        self._undo_lock_created(events)
        self._check_undo_rights(events)
        blockers = self._undo_blockers(events)
        if blockers:
            raise UserError(
                self.env._(
                    "The qualification cannot be undone; nothing was changed.\n%(blockers)s",
                    blockers="\n".join(
                        f"- {self.browse(lead_id).display_name}: {'; '.join(reasons)}"
                        for lead_id, reasons in blockers.items()
                    ),
                )
            )
        self._undo_qualification(events, reason)
        return True

    def _undo_lock(self, records):
        """Lock ``records`` against a concurrent undo or edit until the end of the transaction; refuse at
        once when another transaction holds one: the undo never waits to overwrite someone's edit."""
        if not records:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
                        SQL.identifier(records._table),
                        tuple(records.ids),
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "Someone is changing these records right now: try again in a moment. Nothing was changed."
                )
            ) from None

    def _undo_lock_created(self, events):
        """Lock what the qualification created (the sales bridge adds its quotation)."""
        partners = self.env["res.partner"].union(*(event.undo_partner_ids for event in events.values()))
        self._undo_lock(partners)

    def _check_undo_rights(self, events):
        """Only the user who qualified or a sales manager may undo."""
        if self.env.user.has_group("sales_team.group_sale_manager"):
            return
        others = self.filtered(
            lambda lead: lead.qualification_state == "qualified" and lead.qualified_user_id != self.env.user
        )
        if others:
            raise AccessError(
                self.env._(
                    "Only the user who qualified them or a sales manager may undo the qualification of: "
                    "%(leads)s.",
                    leads=", ".join(others.mapped("display_name")),
                )
            )

    def _undo_allowed_users(self, event):
        """Whose changes since the qualification are no use of it: the qualifier's, the undoer's, and the
        system's (recomputations written by whichever process flushes them)."""
        return event.user_id | self.env.user | self.env.ref("base.user_root")

    def _undo_blockers(self, events):
        """``{lead_id: [reason, …]}``: why each lead of self cannot be undone (none: it can)."""
        blockers = {}
        now = fields.Datetime.now()
        partner_documents = self._undo_partner_documents(events)
        for lead in self:
            reasons = []
            event = events.get(lead.id)
            if lead.qualification_state != "qualified":
                reasons.append(self.env._("it is not qualified"))
            elif not event or not event.undo_recorded:
                reasons.append(self.env._("it was qualified without a record of what it was before"))
            else:
                hours = lead.qualification_profile_id.undo_hours if lead.qualification_profile_id else 24
                if not hours:
                    reasons.append(
                        self.env._(
                            "its profile “%(profile)s” does not allow undoing",
                            profile=lead.qualification_profile_id.display_name,
                        )
                    )
                elif event.date + timedelta(hours=hours) < now:
                    reasons.append(self.env._("the undo window of %(hours)s hours has passed", hours=hours))
                reasons += lead._undo_used_since(event, partner_documents)
            if reasons:
                blockers[lead.id] = reasons
        for lead_id, reasons in self._undo_extra_blockers(events).items():
            blockers.setdefault(lead_id, []).extend(reasons)
        return blockers

    def _undo_extra_blockers(self, events):
        """``{lead_id: [reason, …]}`` of the bridges (the sales bridge: quotations, orders)."""
        return {}

    def _undo_used_since(self, event, partner_documents):
        """What used the lead and the partners its qualification created since ``event``;
        ``partner_documents`` is the result of ``_undo_partner_documents`` for the batch."""
        self.ensure_one()
        reasons = []
        allowed = self._undo_allowed_users(event)
        for record in [self, *event.undo_partner_ids]:
            record = record.sudo()  # write_uid and messages of the records only, for the reason
            # The qualification wrote the lead and created the partners as its user: another last writer
            # changed them since.
            if record.write_uid not in allowed:
                reasons.append(
                    self.env._(
                        "%(record)s was changed by %(user)s",
                        record=record.display_name,
                        user=record.write_uid.name,
                    )
                )
            authors = (
                self.env["mail.message"]
                .sudo()
                .search(
                    [
                        ("model", "=", record._name),
                        ("res_id", "=", record.id),
                        ("date", ">=", event.date),
                        ("author_id", "not in", allowed.partner_id.ids),
                    ]
                )
                .author_id
            )
            if authors:
                reasons.append(
                    self.env._(
                        "%(record)s has messages by %(authors)s",
                        record=record.display_name,
                        authors=", ".join(authors.mapped("display_name")) or self.env._("someone else"),
                    )
                )
        for partner in event.undo_partner_ids:
            documents = partner_documents.get(partner.id)
            if documents:
                reasons.append(
                    self.env._(
                        "%(partner)s has other documents: %(documents)s",
                        partner=partner.display_name,
                        documents=", ".join(documents),
                    )
                )
        return reasons

    def _undo_ignored_references(self, events):
        """``{model: ids}`` of the records whose reference to the created partners is the batch's own: its
        leads, the partners created. The sales bridge adds its quotations."""
        partners = self.env["res.partner"].union(*(event.undo_partner_ids for event in events.values()))
        return {"crm.lead": set(self.ids), "res.partner": set(partners.ids)}

    def _undo_partner_documents(self, events):
        """``{partner_id: ["Sales Order (2)", …]}``: the records outside the batch that refer to the partners
        its qualifications created, one query per stored many2one to partners for the whole batch."""
        partners = self.env["res.partner"].union(*(event.undo_partner_ids for event in events.values()))
        if not partners:
            return {}
        ignored = self._undo_ignored_references(events)
        # Followers and messages are no documents; messages by others are reasons of their own.
        skipped_models = {"mail.followers", "mail.message", "mail.notification", "res.users", "bus.presence"}
        documents = {}
        many2ones = (
            self.env["ir.model.fields"]
            # Reads the data model, not data: the references themselves are counted below.
            .sudo()
            .search([("ttype", "=", "many2one"), ("relation", "=", "res.partner"), ("store", "=", True)])
        )
        for field in many2ones:
            Model = self.env.get(field.model)
            # SQL views (reports) repeat the documents they read.
            if (
                Model is None
                or Model._transient
                or Model._abstract
                or not Model._auto
                or Model._table_query
                or field.model in skipped_models
            ):
                continue
            model_field = Model._fields.get(field.name)
            if not model_field or not model_field.store or model_field.inherited:
                continue
            self.env.cr.execute(
                SQL(
                    "SELECT id, %s FROM %s WHERE %s IN %s",
                    SQL.identifier(field.name),
                    SQL.identifier(Model._table),
                    SQL.identifier(field.name),
                    tuple(partners.ids),
                )
            )
            counts = {}
            for record_id, partner_id in self.env.cr.fetchall():
                if record_id not in ignored.get(field.model, set()):
                    counts[partner_id] = counts.get(partner_id, 0) + 1
            for partner_id, count in counts.items():
                documents.setdefault(partner_id, []).append(f"{Model._description} ({count})")
        return documents

    def _undo_qualification(self, events, reason):
        """Restore the leads, remove what their qualification created, log."""
        for lead in self:
            event = events[lead.id]
            values = {
                "qualification_state": "open",
                "date_qualified": False,
                "qualified_user_id": False,
                "qualification_profile_id": False,
                "type": event.undo_type,
                "stage_id": event.undo_stage_id.id,
                "partner_id": event.undo_partner_id.id,
                "user_id": event.undo_user_id.id,
                "team_id": event.undo_team_id.id,
            }
            # Back where it was: the transition rules judged the moves that led there, not this return.
            with lead._qualification_writes(), lead._transition_rules_skipped():
                lead.write(values)
        self._undo_remove_created(events)
        for lead in self:
            event = events[lead.id]
            # The partners created by the qualification and used by nobody since (checked above): the system
            # removes its own records, whatever the user's rights on partners.
            partners = event.undo_partner_ids.sudo().exists()
            for partner in partners.sorted(lambda p: p.is_company):
                try:
                    with self.env.cr.savepoint():
                        partner.unlink()
                except (psycopg2.IntegrityError, UserError):
                    partner.active = False
        bodies = {
            lead.id: Markup("<p>%s</p>")
            % self.env._(
                "Qualification undone by %(user)s. Reason: %(reason)s", user=self.env.user.name, reason=reason
            )
            for lead in self
        }
        self._message_log_batch(bodies=bodies)
        self._log_qualification_event("qualification_undone", note=reason)

    def _undo_remove_created(self, events):
        """Remove the records other than partners the qualification created (the sales bridge: quotation)."""
        return
