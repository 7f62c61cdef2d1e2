import logging

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.lead_qualification_plus.models.crm_lead import (
    is_concurrency_error,
    qualification_writes_allowed,
)
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Attribution: what an order takes from the lead it qualified when it has none of its own.
UTM_FIELDS = ("campaign_id", "medium_id", "source_id")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    originating_lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Originating Lead",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="sales_team.group_sale_salesman",
        help="The lead whose qualification created this quotation.",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # create adds the defaults (a ``default_*`` context key, a user's own default) after this check.
        default = self.default_get(["originating_lead_id"]).get("originating_lead_id")
        if default or any(vals.get("originating_lead_id") for vals in vals_list):
            self._check_originating_lead_written()
        return super().create(vals_list)

    def write(self, vals):
        if "originating_lead_id" in vals and any(
            order.originating_lead_id.id != (vals["originating_lead_id"] or False) for order in self
        ):
            self._check_originating_lead_written()
        return super().write(vals)

    def _action_confirm(self):
        result = super()._action_confirm()
        self._qualify_buyer_leads()
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_originating_lead_written(self):
        """The qualification report counts a lead's customers by the orders it originated: only qualifying
        (and the order that qualifies a lead) sets it, whoever the caller."""
        if not qualification_writes_allowed():
            raise AccessError(
                self.env._(
                    "The originating lead of an order is set only by qualifying the lead or by the order "
                    "that qualifies it."
                )
            )

    def _is_lead_qualifying_order(self):
        """Whether confirming the order qualifies its buyer's open leads.

        Backend quotations do when their company allows it; the eCommerce bridge adds web shop orders.
        """
        self.ensure_one()
        return self.company_id.backend_order_qualifies_leads

    def _get_lead_qualified_message(self):
        """The chatter line a lead qualified by this order gets."""
        self.ensure_one()
        return Markup(self.env._("Qualified by order %s")) % self._get_html_link()

    def _qualify_buyer_leads(self):
        """Qualify the buyers' open leads, link them to the orders, and never fail an order doing so.

        This is the system's own automatic qualification: a visitor's online payment confirms web orders, so
        it runs as the superuser, applies the webshop profile and does not check the transition rules with
        target ``qualify`` (no RPC caller reaches this private method). An order linked to a lead already
        (confirmed before, cancelled, confirmed again) qualifies nothing twice. The buyer's leads
        disqualified for a reason that says to reactivate on an order come back first, and are qualified
        as open ones.
        """
        reactivated = self.with_user(SUPERUSER_ID)._reactivate_returning_buyer_leads()
        orders = self.with_user(SUPERUSER_ID).filtered(
            lambda order: (
                order.company_id.order_qualifies_leads
                and not order.originating_lead_id
                and order._is_lead_qualifying_order()
            )
        )
        if not orders:
            return
        leads_by_order = orders._find_buyer_leads()
        for order in orders:
            open_leads, qualified_lead = leads_by_order[order.id]
            # A lead the order brought back is qualified by it as an open one, even when the buyer search
            # does not see it as the buyer's (another customer with the buyer's email); one an earlier
            # order of the batch qualified already is not qualified twice.
            open_leads = (open_leads | reactivated.get(order.id, open_leads.browse())).filtered(
                lambda lead: lead.qualification_state == "open"
            )
            if open_leads:
                order._qualify_leads_for_order(open_leads)
            elif qualified_lead:
                # A later order of a buyer whose lead is qualified already is linked to it, nothing more.
                order._link_qualified_leads(qualified_lead)

    def _reactivate_returning_buyer_leads(self):
        """Bring back the buyers' disqualified leads whose reason says to reactivate on an order; return
        ``{order_id: leads}``, the leads each order reactivated, for it to qualify them.

        The lost reason is the setting: an order reactivates whether or not it qualifies leads (then the
        lead stays open, with its salesperson's follow-up). One order after the other, so that a lead comes
        back once when two orders of the buyer are confirmed together. A record that cannot be reactivated
        gets an activity for a person (the core reactivation does it); any other failure is logged and
        never fails the confirmation."""
        reactivated = {}
        Lead = self.env["crm.lead"]
        for order in self:
            try:
                with self.env.cr.savepoint():
                    reactivated[order.id] = Lead._reactivate_for_returning_partners(
                        order.partner_id, trigger="order", source=order
                    )
            except Exception as error:
                if is_concurrency_error(error):
                    raise
                _logger.exception("Order %s could not reactivate the leads of its buyer", order.name)
                order._schedule_manual_reactivation_check(error)
        return reactivated

    def _schedule_manual_reactivation_check(self, error):
        """Ask the order's salesperson to look for the buyer's disqualified leads: bringing them back
        failed before any lead was known. Never raises: a failure here is logged."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Reactivate the buyer's leads by hand"),
                    note=self.env._(
                        "Confirming this order could not bring back the buyer's disqualified leads "
                        "(%(error)s): reactivate those whose reason says Reactivate on Order.",
                        error=error,
                    ),
                    user_id=self.user_id.id or SUPERUSER_ID,
                )
        except Exception as report_error:
            if is_concurrency_error(report_error):
                raise
            _logger.exception("Order %s could not ask for a manual reactivation", self.name)

    def _find_buyer_leads(self):
        """Return ``{order_id: (open_leads, qualified_lead)}``: the buyer's open leads and opportunities,
        oldest first, and the buyer's most recently qualified one.

        A lead is the buyer's when its customer belongs to the buyer's commercial entity or, for an open
        lead without customer, when its normalized email is the buyer's (else its sanitized phone). Only
        active leads of the order's company (or of no company). One query for all orders; an open lead goes
        to the first order that matches it.
        """
        Lead = self.env["crm.lead"]
        buyers = {order.id: self._get_buyer_keys(order.partner_id) for order in self}
        emails = {email for keys in buyers.values() for email in keys["emails"]}
        phones = {phone for keys in buyers.values() for phone in keys["phones"]}
        # Every confirmed order runs this, and most buyers have no lead: one plain query, shaped so that
        # PostgreSQL plans it in a fraction of a millisecond (the ORM's join and ORs over the 30-odd indexes
        # of crm_lead cost several), keeps the confirmation close to its cost without the feature
        # (bench pair confirm_web_order).
        Lead.flush_model(
            [
                "active",
                "company_id",
                "qualification_state",
                "partner_id",
                "email_normalized",
                "phone_sanitized",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT lead.id
                  FROM crm_lead lead
                 WHERE lead.active
                   AND lead.qualification_state IN ('open', 'qualified')
                   AND (lead.company_id IS NULL OR lead.company_id = ANY(%(companies)s))
                   AND (
                        lead.partner_id IN (
                            SELECT id
                              FROM res_partner
                             WHERE commercial_partner_id = ANY(%(commercial_partners)s)
                        )
                     OR (lead.partner_id IS NULL AND lead.qualification_state = 'open'
                         AND (lead.email_normalized = ANY(%(emails)s)
                              OR lead.phone_sanitized = ANY(%(phones)s)))
                   )
              ORDER BY lead.create_date, lead.id
                """,
                companies=self.company_id.ids,
                commercial_partners=self.partner_id.commercial_partner_id.ids,
                emails=list(emails),
                phones=list(phones),
            )
        )
        found = Lead.browse(lead_id for (lead_id,) in self.env.cr.fetchall())
        candidates = found.filtered(lambda lead: lead.qualification_state == "open")
        qualified = (found - candidates).sorted("date_qualified", reverse=True)
        result = {}
        taken = Lead
        for order in self:
            keys = buyers[order.id]
            mine = candidates.filtered(
                lambda lead, order=order, taken=taken: (
                    lead.company_id in (order.company_id, Lead.company_id) and lead not in taken
                )
            )
            by_partner = mine.filtered(
                lambda lead, order=order: (
                    lead.partner_id.commercial_partner_id == order.partner_id.commercial_partner_id
                )
            )
            free = mine.filtered(lambda lead: not lead.partner_id)
            matched = free.filtered(lambda lead, keys=keys: lead.email_normalized in keys["emails"])
            if not matched:
                matched = free.filtered(lambda lead, keys=keys: lead.phone_sanitized in keys["phones"])
            matched |= by_partner
            taken |= matched
            qualified_lead = qualified.filtered(
                lambda lead, order=order: (
                    lead.company_id in (order.company_id, Lead.company_id)
                    and lead.partner_id.commercial_partner_id == order.partner_id.commercial_partner_id
                )
            )[:1]
            result[order.id] = (mine.filtered(lambda lead, matched=matched: lead in matched), qualified_lead)
        return result

    def _get_buyer_keys(self, buyer):
        """The normalized emails and sanitized phones that identify a buyer on a lead without customer."""
        phones = {buyer._phone_format(fname=fname) for fname in ("phone", "mobile") if buyer[fname]}
        return {
            "emails": {buyer.email_normalized} - {False, None, ""},
            "phones": phones - {False, None, ""},
        }

    def _get_order_qualification_profile(self):
        """The profile an order qualifies its buyer's leads with; empty here: the buyer is only linked,
        nothing is created (the eCommerce bridge adds the webshop profile)."""
        self.ensure_one()
        return self.env["crm.qualification.profile"]

    def _wins_qualified_opportunities(self, profile):
        """Whether the order sets the opportunities it qualifies won (the eCommerce bridge's profile
        option)."""
        return False

    def _qualify_leads_for_order(self, leads):
        """Qualify ``leads`` for this order in a savepoint; a failure leaves the order confirmed, is logged
        and asks the leads' salespeople to qualify by hand.

        A clash with a concurrent transaction (another order of the buyer confirmed at the same moment) is no
        failure: it propagates, so that Odoo retries the whole confirmation, which then sees the lead as the
        other transaction left it (qualified: the order is only linked)."""
        self.ensure_one()
        try:
            # The purchase is the evidence: no transition rule (to qualify, or to the won stage) may hold
            # the system's own qualification back; RPC callers cannot reach this skip.
            with self.env.cr.savepoint(), leads._transition_rules_skipped():
                self._qualify_leads_as_buyer(leads)
        except Exception as error:
            if is_concurrency_error(error):
                raise
            _logger.exception("Order %s could not qualify the leads %s", self.name, leads.ids)
            self._schedule_manual_qualification(leads, error)

    def _qualify_leads_as_buyer(self, leads):
        self.ensure_one()
        profile = self._get_order_qualification_profile()
        buyer = self.partner_id
        Partner = self.env["res.partner"]
        company = buyer.commercial_partner_id if buyer.commercial_partner_id.is_company else Partner
        contact = buyer if not buyer.is_company else Partner
        note = self.env._("Order %(order)s of %(buyer)s", order=self.name, buyer=buyer.display_name)
        opportunities = leads.filtered(lambda lead: lead.type == "opportunity")
        new_leads = leads - opportunities
        if new_leads:
            # The buyer is linked instead of creating a duplicate of them.
            links = {}
            for lead in new_leads:
                links[lead.id] = {}
                if company:
                    links[lead.id]["company"] = company
                if contact:
                    links[lead.id]["contact"] = contact
            choices = {}
            if not profile:
                choices = {"partner": bool(company), "contact": bool(contact), "opportunity": False}
                choices["sale_order"] = False
            new_leads._qualify(profile=profile, choices=choices, links=links, match_profiles=False, note=note)
        if opportunities:
            opportunities._mark_qualified(profile, note=note)
        leads.filtered(lambda lead: not lead.partner_id).write({"partner_id": buyer.id})
        message = self._get_lead_qualified_message()
        leads._message_log_batch(bodies=dict.fromkeys(leads.ids, message))
        self._link_qualified_leads(leads)
        if self._wins_qualified_opportunities(profile):
            self._win_opportunities(leads.filtered(lambda lead: lead.type == "opportunity"))

    def _link_qualified_leads(self, leads):
        """Link the order to the oldest of the leads (and opportunity) and take their attribution."""
        self.ensure_one()
        values = {"originating_lead_id": leads[0].id}
        opportunity = leads.filtered(lambda lead: lead.type == "opportunity")[:1]
        if opportunity and not self.opportunity_id:
            values["opportunity_id"] = opportunity.id
        for fname in UTM_FIELDS:
            source = leads.filtered(fname)[:1]
            if not self[fname] and source:
                values[fname] = source[fname].id
        with leads._qualification_writes():
            self.write(values)

    def _win_opportunities(self, opportunities):
        """Set the opportunities won with the order's untaxed amount (a profile option)."""
        self.ensure_one()
        if opportunities:
            opportunities.write({"expected_revenue": self.amount_untaxed})
            opportunities.action_set_won()

    def _schedule_manual_qualification(self, leads, error):
        """Ask each lead's salesperson (else the order's) to qualify the lead by hand, saying why."""
        self.ensure_one()
        if isinstance(error, UserError | ValidationError):
            reason = error.args[0]
        else:
            reason = self.env._("an unexpected error occurred (%s).", error)
        note = self.env._(
            "Order %(order)s could not qualify this lead automatically: %(reason)s",
            order=self.name,
            reason=reason,
        )
        try:
            with self.env.cr.savepoint():
                for user, user_leads in leads.grouped(lambda lead: lead.user_id or self.user_id).items():
                    user_leads.activity_schedule(
                        "mail.mail_activity_data_todo",
                        summary=self.env._("Qualify this lead by hand"),
                        note=note,
                        user_id=user.id or SUPERUSER_ID,
                    )
        except Exception as error:
            if is_concurrency_error(error):
                raise
            _logger.exception(
                "Order %s could not schedule the manual qualification of %s", self.name, leads.ids
            )
