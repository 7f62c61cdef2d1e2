"""The qualification pipeline of leads: check, plan, create the partners, update the leads, log.

``crm.lead.qualify()`` (crm_lead.py) is the public entry point; the Qualify wizard and orders that qualify
their buyer's leads call ``_qualify()`` here. No ORM override lives in this file.

Over 500 lines on purpose: the steps read in the order they run, each small; the longest parts are the checks'
and plans' error messages, which belong beside the decision they explain.
"""

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import parse_contact_from_email

from .crm_qualification_profile import policy_proposes


@dataclass
class QualificationPlan:
    """What qualifying one lead creates or links, decided before anything is written.

    ``company`` and ``contact`` are the partners linked (or created by ``_qualify_create_partners``); the
    ``*_name`` fields hold the name of a partner still to create; ``choices`` maps each record kind to
    ``(wanted, required)``.
    """

    profile: models.BaseModel
    company: models.BaseModel
    contact: models.BaseModel
    choices: dict
    # The quotation the sales step created, if any.
    order: models.BaseModel | None = None
    company_name: str | bool = False
    contact_name: str | bool = False
    company_created: bool = False
    contact_created: bool = False

    def wants(self, kind):
        """Whether the lead gets a record of ``kind`` (a kind of RECORD_KINDS)."""
        return self.choices.get(kind, (False, False))[0]

    @property
    def opportunity(self):
        return self.wants("opportunity")


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------
    # QUALIFICATION PIPELINE
    # ------------------------------------------------------------

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
        if choices.get("sale_order") and "sale_order" not in Profile._get_policies():
            raise UserError(
                self.env._(
                    "Qualifying creates a quotation only with the Sales app: install it, or leave "
                    "create_sale_order empty or false."
                )
            )
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
        snapshot = self._undo_snapshot()
        self._qualify_create_partners(plans)
        self._qualify_update_leads(plans, note=note)
        self._qualify_attach_stakeholders(plans)
        self._qualify_create_sale_orders(plans)
        self._qualify_log(plans)
        self._qualify_record_undo(snapshot, plans)
        return [
            {
                "lead_id": lead.id,
                "partner_id": plans[lead.id].company.id or False,
                "contact_id": plans[lead.id].contact.id or False,
                "opportunity_id": lead.id if plans[lead.id].opportunity else False,
                "sale_order_id": plans[lead.id].order.id if plans[lead.id].order else False,
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
        candidates = self.env["crm.qualification.profile"]._search_candidates(self)
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
                    wanted[lead.id][kind] = (policy_proposes(policy), policy == "always")
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
            plan = QualificationPlan(
                profile=profiles[lead.id],
                company=Partner,
                contact=Partner,
                choices=lead_wanted,
            )
            plans[lead.id] = plan
            for kind, role in (("partner", "company"), ("contact", "contact")):
                wants, required = lead_wanted[kind]
                if not wants:
                    continue
                partner = lead_links[role] if role in lead_links else lead_matches.get(role, Partner)[:1]
                setattr(plan, role, partner)
                if partner:
                    continue
                name = lead._qualify_partner_name(role)
                if name:
                    setattr(plan, f"{role}_name", name)
                elif required:
                    if role == "company":
                        no_company |= lead
                    else:
                        no_contact |= lead
            has_customer = plan.company or plan.contact or plan.company_name or plan.contact_name
            if plan.wants("sale_order") and not (has_customer or lead.partner_id):
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
        company_keys, contact_keys = {}, {}
        for lead in self:
            plan = plans[lead.id]
            if not plan.company_name:
                continue
            key = (lead.company_id.id, (lead.vat or "").strip() or plan.company_name.lower())
            if key not in new_companies:
                values = lead._prepare_customer_values(plan.company_name, is_company=True)
                for person_field in ("email", "phone", "mobile", "function", "title", "comment"):
                    values.pop(person_field, None)
                values.update(
                    vat=(lead.vat or "").strip() or False,
                    company_id=lead.company_id.id,
                    originating_lead_id=lead.id,
                )
                new_companies[key] = values
            company_keys[lead.id] = key
        companies = Partner.create(list(new_companies.values())) if new_companies else Partner
        companies = dict(zip(new_companies, companies, strict=True))
        new_contacts = {}
        for lead in self:
            plan = plans[lead.id]
            if plan.company_name:
                plan.company = companies[company_keys[lead.id]]
                plan.company_created = True
            if not plan.contact_name:
                continue
            key = (lead.company_id.id, lead.email_normalized or f"lead-{lead.id}")
            if key not in new_contacts:
                values = lead._prepare_customer_values(
                    plan.contact_name, is_company=False, parent_id=plan.company.id
                )
                values.update(company_id=lead.company_id.id, originating_lead_id=lead.id)
                new_contacts[key] = values
            contact_keys[lead.id] = key
        contacts = Partner.create(list(new_contacts.values())) if new_contacts else Partner
        contacts = dict(zip(new_contacts, contacts, strict=True))
        for lead in self:
            plan = plans[lead.id]
            if plan.contact_name:
                plan.contact = contacts[contact_keys[lead.id]]
                plan.contact_created = True

    def _qualify_update_leads(self, plans, note=False):
        """Link the customers, convert the opportunities the Odoo way and mark the leads qualified, writing
        the leads by groups of identical values."""
        by_partner = defaultdict(list)
        for lead in self:
            customer = plans[lead.id].contact or plans[lead.id].company
            if customer and customer != lead.partner_id:
                by_partner[customer.id].append(lead.id)
        for partner_id, lead_ids in by_partner.items():
            self.browse(lead_ids).write({"partner_id": partner_id})

        by_values = defaultdict(list)
        for lead in self:
            plan = plans[lead.id]
            values = {}
            if plan.opportunity:
                profile = plan.profile
                values.update(lead._convert_opportunity_data(lead.partner_id, profile.opportunity_team_id.id))
                if profile.opportunity_stage_id:
                    values["stage_id"] = profile.opportunity_stage_id.id
            by_values[plan.profile, tuple(sorted(values.items()))].append(lead.id)
        for (profile, values), lead_ids in by_values.items():
            self.browse(lead_ids)._mark_qualified(profile, note=note, values=dict(values))

        by_assignment = defaultdict(list)
        for lead in self:
            profile = plans[lead.id].profile
            if plans[lead.id].opportunity and (profile.opportunity_user_id or profile.opportunity_team_id):
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
                plans[lead.id].company
                and (not plans[lead.id].profile or plans[lead.id].profile.stakeholders_join_company)
            )
        )
        if leads.stakeholder_ids:
            # With the user's rights: a stakeholder may be any contact, the user's own or a colleague's.
            leads._attach_stakeholders_to_company()

    def _qualify_create_sale_orders(self, plans):
        """Create the quotations the plans ask for: the sales bridge does, the CRM alone has none."""
        return

    def _qualify_log(self, plans):
        """Post one chatter message per lead listing what was created or linked."""
        bodies = {}
        for lead in self:
            plan = plans[lead.id]
            items = []
            for role, label_created, label_linked in (
                ("company", self.env._("Company created: %s"), self.env._("Company linked: %s")),
                ("contact", self.env._("Contact created: %s"), self.env._("Contact linked: %s")),
            ):
                if getattr(plan, role):
                    label = label_created if getattr(plan, f"{role}_created") else label_linked
                    items.append(Markup(label) % getattr(plan, role)._get_html_link())
            if plan.opportunity:
                items.append(Markup(self.env._("Converted into an opportunity: %s")) % lead._get_html_link())
            if plan.order:
                items.append(Markup(self.env._("Quotation created: %s")) % plan.order._get_html_link())
            if not items:
                items.append(self.env._("Nothing created or linked."))
            profile_name = plan.profile.display_name or self.env._("built-in behaviour")
            bodies[lead.id] = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Lead qualified (profile: %s).", profile_name),
                Markup().join(Markup("<li>%s</li>") % item for item in items),
            )
        self._message_log_batch(bodies=bodies)

    def _mark_qualified(self, profile=None, note=False, values=None):
        """Mark the leads of self qualified and log the history: what Odoo's Convert, the Qualify pipeline
        and orders that qualify leads all write, in one place.

        :param profile: the profile that decided the qualification; None leaves the leads' profile as it is
            (Odoo's Convert applies none)
        :param str note: note of the history events
        :param dict values: more values written in the same write (an opportunity's conversion)
        """
        vals = {
            "qualification_state": "qualified",
            "date_qualified": fields.Datetime.now(),
            "qualified_user_id": self.env.uid,
            **(values or {}),
        }
        if profile is not None:
            vals["qualification_profile_id"] = profile.id
        with self._qualification_writes():
            self.write(vals)
        self._log_qualification_event("qualified", note=note)
