import logging

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, models, tools
from odoo.exceptions import UserError

from .crm_lead import is_concurrency_error
from .crm_qualification_event import reactivation_trigger

_logger = logging.getLogger(__name__)


class CrmLead(models.Model):
    """The customer comes back: a disqualified record whose reason says so is reactivated by itself when its
    customer orders (called by the sales bridge) or writes in (the mail gateway)."""

    _inherit = "crm.lead"

    # ------------------------------------------------------------
    # MAIL GATEWAY
    # ------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A new email from the address of a lead disqualified with a "reactivate on email" reason brings that
        lead back, and the gateway posts the email on it: no duplicate lead for a returning customer."""
        lead = (
            self._find_comeback_lead(msg_dict, custom_values) if self._from_mail_gateway() else self.browse()
        )
        if not lead:
            return super().message_new(msg_dict, custom_values=custom_values)
        lead._reactivate_on_email(msg_dict)
        # The gateway posts the email with the creation subtype of what it returns: not "Lead Created" here.
        return lead.with_context(lead_qualification_plus_comeback=True)

    def message_update(self, msg_dict, update_vals=None):
        # Odoo's gateway routes a reply to its thread's record, archived or not.
        result = super().message_update(msg_dict, update_vals=update_vals)
        if self._from_mail_gateway():
            self._reactivate_on_email(msg_dict)
        return result

    def _from_mail_gateway(self):
        """Whether Odoo's mail gateway is the caller: it runs these hooks in superuser mode, which no RPC call
        does, so no user can pass a reactivation of their own for the customer's email."""
        return self.env.su

    def _creation_subtype(self):
        if self.env.context.get("lead_qualification_plus_comeback"):
            return self.env.ref("mail.mt_comment")
        return super()._creation_subtype()

    @api.model
    def _find_comeback_lead(self, msg_dict, custom_values):
        """The record a new email from a returning customer belongs to, or an empty recordset: the last one
        disqualified with a "reactivate on email" reason, else the last one such an email brought back and
        that nobody has qualified or disqualified since (a second email goes where the first went).

        Never raises: when in doubt, Odoo creates a lead as it always does."""
        email = tools.email_normalize(msg_dict.get("email_from") or msg_dict.get("from") or "")
        if not email or self._is_internal_email(msg_dict):
            return self.browse()
        domain = [("email_normalized", "=", email)]
        company = self._comeback_company(custom_values)
        if company:
            domain.append(("company_id", "in", [company.id, False]))
        try:
            # A failed query would leave the transaction unusable for the lead Odoo creates instead.
            with self.env.cr.savepoint():
                lead = self.with_context(active_test=False).search(
                    [
                        *domain,
                        ("active", "=", False),
                        ("date_disqualified", "!=", False),
                        ("lost_reason_id.reactivate_on_email", "=", True),
                    ],
                    order="date_disqualified desc, id desc",
                    limit=1,
                )
                return lead or self._find_lead_back_by_email(domain)
        except Exception as error:
            if is_concurrency_error(error):
                raise
            _logger.warning("Could not look for a disqualified lead of an incoming email", exc_info=True)
            return self.browse()

    @api.model
    def _find_lead_back_by_email(self, lead_domain):
        """The last active record of ``lead_domain`` whose latest qualification event is a reactivation by
        email, or an empty recordset."""
        Event = self.env["crm.qualification.event"]
        event = Event.search(
            [
                ("event", "=", "reactivated"),
                ("trigger", "=", "email"),
                ("lead_id", "any", [*lead_domain, ("active", "=", True)]),
            ],
            limit=1,
        )
        if not event:
            return self.browse()
        latest = Event.search([("lead_id", "=", event.lead_id.id)], limit=1)
        return event.lead_id if latest == event else self.browse()

    @api.model
    def _comeback_company(self, custom_values):
        """The company an alias creates leads in, when it says: a returning customer is looked for there."""
        values = custom_values or {}
        if values.get("company_id"):
            return self.env["res.company"].browse(values["company_id"])
        return self.env["crm.team"].browse(values.get("team_id") or []).company_id

    @api.model
    def _is_internal_email(self, msg_dict):
        """Whether an email comes from an employee (answering from their mailbox): it brings nobody back."""
        author = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        return bool(author.user_ids.filtered(lambda user: not user.share))

    def _reactivate_on_email(self, msg_dict):
        """Reactivate the records of self disqualified with a "reactivate on email" reason, after an email of
        the customer (``msg_dict`` of the gateway); their salesperson's follow-up quotes its subject."""
        leads = self.filtered(
            lambda lead: (
                not lead.active and lead.date_disqualified and lead.lost_reason_id.reactivate_on_email
            )
        )
        if not leads or self._is_internal_email(msg_dict):
            return leads.browse()
        subject = msg_dict.get("subject") or self.env._("No Subject")
        return leads._reactivate_for_comeback(
            "email",
            note=self.env._('Reactivated: the customer wrote in ("%(subject)s").', subject=subject),
            follow_up=self.env._('The customer wrote in: "%(subject)s"', subject=subject),
        )

    # ------------------------------------------------------------
    # ORDERS
    # ------------------------------------------------------------

    @api.model
    def _reactivate_for_returning_partners(self, partners, trigger="order", source=None):
        """Reactivate the disqualified records of ``partners`` whose reason has ``reactivate_on_order``, and
        return them (the caller then qualifies them with the order).

        A record is the partners' when its customer is one of them, a contact of their company, or has the
        email of one of them, in the company of ``source`` (the order) or in none. ``source`` is named in
        the history and the salesperson's follow-up. A record that cannot be reactivated is left as it
        was, with an activity for a person saying why, and is not returned: this never raises for it.
        Callers acting for a customer (a web order) call it with sudo, as the gateway does for an email.
        """
        partners = partners.exists()
        if not partners:
            return self.browse()
        emails = [email for email in partners.mapped("email_normalized") if email]
        domain = []
        company = source.company_id if source and "company_id" in source._fields else None
        if company:
            # An order of one company brings back nothing of another one.
            domain.append(("company_id", "in", [company.id, False]))
        leads = self.with_context(active_test=False).search(
            [
                *domain,
                ("active", "=", False),
                ("date_disqualified", "!=", False),
                ("lost_reason_id.reactivate_on_order", "=", True),
                "|",
                ("partner_id", "child_of", partners.commercial_partner_id.ids),
                ("email_normalized", "in", emails),
            ]
        )
        if not leads:
            return leads
        name = source.display_name if source else self.env._("a sales order")
        return leads._reactivate_for_comeback(
            trigger,
            note=self.env._("Reactivated: the customer came back with %(document)s.", document=name),
            follow_up=self.env._("The customer came back with %(document)s.", document=name),
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _reactivate_due_leads(self, batch_size=500, auto_commit=False):
        with reactivation_trigger("scheduled"):
            return super()._reactivate_due_leads(batch_size=batch_size, auto_commit=auto_commit)

    def _reactivate_for_comeback(self, trigger, note, follow_up):
        """Reactivate each record of self with the reactivation engine, recorded as brought back by
        ``trigger``; its follow-up activity says ``follow_up``. Returns the records reactivated.

        Each record in its own savepoint: one that fails stays as it was, with an activity for a person, and
        neither holds the others back nor the email or the order that brought it back."""
        reactivated = self.browse()
        for lead in self:
            try:
                with self.env.cr.savepoint(), reactivation_trigger(trigger):
                    lead._reactivate(note=note)
                    lead._note_comeback_follow_up(follow_up)
                reactivated |= lead
            except Exception as error:
                if is_concurrency_error(error):
                    raise
                _logger.info("Reactivation of lead %s by %s failed", lead.id, trigger, exc_info=True)
                lead._report_failed_comeback(error, follow_up)
        return reactivated

    def _note_comeback_follow_up(self, follow_up):
        """Say on the follow-up activity the reactivation just planned for each record of self what brought
        the customer back."""
        if not self:
            return
        activity_type = self.env.ref("lead_qualification_plus.mail_activity_type_reactivated_lead")
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", activity_type.id),
            ],
            order="id desc",
        )
        latest = {}
        for activity in activities:
            latest.setdefault(activity.res_id, activity)
        self.env["mail.activity"].union(*latest.values()).write({"note": Markup("<p>%s</p>") % follow_up})

    def _report_failed_comeback(self, error, follow_up):
        """Ask the salesperson (else the team leader) of the record to look at it: its customer came back but
        it could not be reactivated. Never raises: a failure here is logged."""
        self.ensure_one()
        why = error.args[0] if isinstance(error, UserError) and error.args else repr(error)
        try:
            with self.env.cr.savepoint():
                self.with_context(mail_activity_quick_update=True).activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Automatic reactivation failed"),
                    note=self.env._(
                        "%(follow_up)s The record could not be reactivated: %(why)s "
                        "Fix what is said, then reactivate it by hand.",
                        follow_up=follow_up,
                        why=why,
                    ),
                    user_id=(self.user_id or self.team_id.user_id).id or SUPERUSER_ID,
                )
        except Exception as report_error:
            if is_concurrency_error(report_error):
                raise
            _logger.warning("Could not tell about the failed reactivation of lead %s", self.id, exc_info=True)
