from markupsafe import Markup

from odoo import Command, api, fields, models

from ..models.crm_qualification_profile import POLICIES, policy_proposes


class CrmLeadQualify(models.TransientModel):
    _name = "crm.lead.qualify"
    _description = "Qualify Leads"

    @api.model
    def default_get(self, fields_list):
        """Open on the active leads, so that a plain window action (button or list action) works."""
        result = super().default_get(fields_list)
        context = self.env.context
        if (
            "lead_ids" in fields_list
            and not result.get("lead_ids")
            and context.get("active_model") == "crm.lead"
        ):
            lead_ids = context.get("active_ids") or (
                [context["active_id"]] if context.get("active_id") else []
            )
            result["lead_ids"] = [Command.set(lead_ids)]
        return result

    lead_ids = fields.Many2many(comodel_name="crm.lead", string="Leads", required=True)
    lead_count = fields.Integer(compute="_compute_lead_count")
    suitable_profile_ids = fields.Many2many(
        comodel_name="crm.qualification.profile", compute="_compute_suitable_profile_ids"
    )
    mixed_profiles = fields.Boolean(
        compute="_compute_profile_id",
        store=True,
        compute_sudo=False,
        help="The leads are suited by different profiles: each is qualified with its own.",
    )
    profile_id = fields.Many2one(
        comodel_name="crm.qualification.profile",
        string="Profile",
        compute="_compute_profile_id",
        store=True,
        readonly=False,
        compute_sudo=False,
        domain="[('id', 'in', suitable_profile_ids)]",
    )
    partner_policy = fields.Selection(selection=POLICIES, compute="_compute_policies")
    contact_policy = fields.Selection(selection=POLICIES, compute="_compute_policies")
    opportunity_policy = fields.Selection(selection=POLICIES, compute="_compute_policies")
    create_partner = fields.Boolean(
        string="Company",
        compute="_compute_create_partner",
        store=True,
        readonly=False,
        compute_sudo=False,
    )
    create_contact = fields.Boolean(
        string="Contact",
        compute="_compute_create_records",
        store=True,
        readonly=False,
        compute_sudo=False,
    )
    create_opportunity = fields.Boolean(
        string="Opportunity",
        compute="_compute_create_records",
        store=True,
        readonly=False,
        compute_sudo=False,
    )
    company_match_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="crm_lead_qualify_company_match_rel",
        string="Matching Companies",
        compute="_compute_matches",
    )
    company_link_id = fields.Many2one(
        comodel_name="res.partner",
        string="Link Company",
        compute="_compute_company_link_id",
        store=True,
        readonly=False,
        compute_sudo=False,
        domain="[('id', 'in', company_match_ids)]",
        help="An existing company to link instead of creating one; empty creates a new company.",
    )
    contact_match_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="crm_lead_qualify_contact_match_rel",
        string="Matching Contacts",
        compute="_compute_matches",
    )
    contact_link_id = fields.Many2one(
        comodel_name="res.partner",
        string="Link Contact",
        compute="_compute_contact_link_id",
        store=True,
        readonly=False,
        compute_sudo=False,
        domain="[('id', 'in', contact_match_ids)]",
        help="An existing contact to link instead of creating one; empty creates a new contact.",
    )
    duplicates_html = fields.Html(
        string="Existing Records",
        compute="_compute_duplicates_html",
        sanitize=False,
        help="The existing companies and contacts the lead may be, and why each matched.",
    )
    summary_html = fields.Html(
        string="What Qualifying Does",
        compute="_compute_summary_html",
        sanitize=False,
    )
    # What the opportunity of a single lead will be; the user may adjust it before confirming.
    opportunity_name = fields.Char(
        string="Name",
        compute="_compute_opportunity_values",
        store=True,
        readonly=False,
        compute_sudo=False,
    )
    currency_id = fields.Many2one(comodel_name="res.currency", compute="_compute_currency_id")
    expected_revenue = fields.Monetary(
        string="Expected Revenue",
        compute="_compute_opportunity_values",
        store=True,
        readonly=False,
        compute_sudo=False,
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Sales Team",
        compute="_compute_opportunity_assignment",
        store=True,
        readonly=False,
        compute_sudo=False,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        compute="_compute_opportunity_assignment",
        store=True,
        readonly=False,
        compute_sudo=False,
        domain="[('share', '=', False)]",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _get_saved_leads(self):
        # The dialog's first load computes on a new wizard whose leads are new records (NewId): a domain
        # searched with their ids would match nothing. The saved leads are what the profiles must judge.
        return self.lead_ids._origin

    @api.depends("lead_ids")
    def _compute_lead_count(self):
        for wizard in self:
            wizard.lead_count = len(wizard.lead_ids)

    @api.depends("lead_ids")
    def _compute_suitable_profile_ids(self):
        for wizard in self:
            leads = wizard._get_saved_leads()
            candidates = self.env["crm.qualification.profile"]._search_candidates(leads)
            defaults = (leads.company_id or self.env.company).qualification_profile_id
            wizard.suitable_profile_ids = candidates.filtered(
                lambda profile, leads=leads: profile._filter_suitable_leads(leads) == leads
            ) | defaults.filtered(lambda profile, leads=leads: len(leads.company_id) <= 1)

    @api.depends("lead_ids")
    def _compute_profile_id(self):
        for wizard in self:
            profiles = set(wizard._get_saved_leads()._get_qualification_profiles().values())
            wizard.mixed_profiles = len(profiles) > 1
            wizard.profile_id = profiles.pop() if len(profiles) == 1 else False

    @api.depends("profile_id", "mixed_profiles")
    def _compute_policies(self):
        for wizard in self:
            for kind, policy in wizard.profile_id._get_policies().items():
                wizard[f"{kind}_policy"] = policy

    def _policy_default(self, kind):
        return policy_proposes(self[f"{kind}_policy"])

    @api.depends("profile_id", "company_link_id")
    def _compute_create_partner(self):
        for wizard in self:
            wizard.create_partner = wizard.partner_policy == "always" or (
                wizard._policy_default("partner")
                and bool(wizard.company_link_id or any(wizard.lead_ids.mapped("partner_name")))
            )

    @api.depends("profile_id")
    def _compute_create_records(self):
        for wizard in self:
            for kind in ("contact", "opportunity"):
                wizard[f"create_{kind}"] = wizard._policy_default(kind)

    @api.depends("lead_ids")
    def _compute_matches(self):
        for wizard in self:
            lead = wizard._get_saved_leads()
            if len(lead) != 1:
                wizard.company_match_ids = wizard.contact_match_ids = False
                continue
            matches = lead._qualify_find_matches()[lead.id]
            wizard.company_match_ids = matches["company"]
            wizard.contact_match_ids = matches["contact"]

    def _match_reasons(self, partner):
        """The reasons ``partner`` matched the wizard's single lead, as translated words."""
        lead = self._get_saved_leads()
        people = partner | partner.child_ids
        phones = {lead.phone, lead.mobile, lead.phone_sanitized} - {False, ""}
        checks = (
            (lead.partner_id and lead.partner_id in people, self.env._("the lead's customer")),
            (
                lead.email_normalized and lead.email_normalized in people.mapped("email_normalized"),
                self.env._("email"),
            ),
            (
                lead.vat and (lead.vat.strip() in (partner.vat, partner.commercial_partner_id.vat)),
                self.env._("VAT"),
            ),
            (phones & set(people.mapped("phone") + people.mapped("mobile")), self.env._("phone")),
            (
                partner.is_company and (lead.partner_name or "").strip() == partner.name,
                self.env._("company name"),
            ),
        )
        return [label for matched, label in checks if matched]

    @api.depends("company_match_ids", "contact_match_ids")
    def _compute_duplicates_html(self):
        for wizard in self:
            rows = [
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>")
                % (kind, partner.display_name, ", ".join(wizard._match_reasons(partner)))
                for kind, partners in (
                    (self.env._("Company"), wizard.company_match_ids),
                    (self.env._("Contact"), wizard.contact_match_ids),
                )
                for partner in partners
            ]
            wizard.duplicates_html = rows and Markup(
                '<table class="table table-sm mb-0"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr>'
                "</thead><tbody>%s</tbody></table>"
            ) % (
                self.env._("Kind"),
                self.env._("Existing record"),
                self.env._("Matched on"),
                Markup("").join(rows),
            )

    @api.depends(
        "create_partner",
        "create_contact",
        "create_opportunity",
        "company_link_id",
        "contact_link_id",
        "opportunity_name",
    )
    def _compute_summary_html(self):
        for wizard in self:
            lead = wizard._get_saved_leads()
            if len(lead) != 1:
                wizard.summary_html = False
                continue
            lines = wizard._get_summary_lines(lead)
            wizard.summary_html = Markup("<ul class='mb-0'>%s</ul>") % Markup("").join(
                Markup("<li>%s</li>") % line for line in lines
            )

    def _get_summary_lines(self, lead):
        """What qualifying the single ``lead`` does, one translated line per record."""
        self.ensure_one()
        lines = []
        if self.create_partner:
            if self.company_link_id:
                lines.append(self.env._("Links the existing company “%s”", self.company_link_id.display_name))
            elif lead.partner_name:
                lines.append(self.env._("Creates the company “%s”", lead.partner_name))
        contact_name = lead.contact_name or lead.email_from or lead.name
        if self.create_contact:
            if self.contact_link_id:
                lines.append(self.env._("Links the existing contact “%s”", self.contact_link_id.display_name))
            else:
                lines.append(self.env._("Creates the contact “%s”", contact_name))
        if self.create_opportunity:
            lines.append(
                self.env._("Converts the lead into the opportunity “%s”", self.opportunity_name or "")
            )
        else:
            lines.append(self.env._("Keeps the lead a lead, marked qualified"))
        return lines

    @api.depends("lead_ids")
    def _compute_opportunity_values(self):
        for wizard in self:
            lead = wizard._get_saved_leads()
            single = len(lead) == 1
            wizard.opportunity_name = lead.name if single else False
            wizard.expected_revenue = lead.expected_revenue if single else 0.0

    @api.depends("lead_ids")
    def _compute_currency_id(self):
        for wizard in self:
            leads = wizard._get_saved_leads()
            wizard.currency_id = (leads.company_id[:1] or self.env.company).currency_id

    @api.depends("lead_ids", "profile_id")
    def _compute_opportunity_assignment(self):
        for wizard in self:
            lead = wizard._get_saved_leads()
            single = len(lead) == 1
            wizard.team_id = single and (wizard.profile_id.opportunity_team_id or lead.team_id)
            wizard.user_id = single and (wizard.profile_id.opportunity_user_id or lead.user_id)

    def _match_existing(self):
        return not self.profile_id or self.profile_id.match_existing_partners

    @api.depends("company_match_ids", "profile_id")
    def _compute_company_link_id(self):
        for wizard in self:
            wizard.company_link_id = wizard._match_existing() and wizard.company_match_ids[:1]

    @api.depends("contact_match_ids", "profile_id")
    def _compute_contact_link_id(self):
        for wizard in self:
            wizard.contact_link_id = wizard._match_existing() and wizard.contact_match_ids[:1]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_qualify(self):
        """Qualify the leads as ticked and open the most useful result: the quotation, else the
        opportunity, else the partner."""
        self.ensure_one()
        leads = self.lead_ids
        # The name and expected revenue typed in the dialog count for the qualify rules (a budget to fill);
        # a refused qualification leaves them as they were.
        with self.env.cr.savepoint():
            adjusted = self._get_adjusted_lead_values()
            if adjusted:
                leads.write(adjusted)
            leads._check_qualify(self.profile_id)
        choices = {}
        if not self.mixed_profiles:
            for kind in self.profile_id._get_policies():
                tick = self[f"create_{kind}"]
                # a tick left as the profile proposes lets each lead follow the profile (a lead without a
                # company name then simply gets no company)
                choices[kind] = None if tick == self._policy_default(kind) else tick
        links = {}
        if len(leads) == 1:
            links[leads.id] = {"company": self.company_link_id, "contact": self.contact_link_id}
        results = leads._qualify(profile=self.profile_id, choices=choices, links=links)
        self._assign_opportunity(results)
        return self._action_open_result(results)

    def _get_adjusted_lead_values(self):
        """The single lead's name and expected revenue as adjusted in the dialog, when they changed."""
        lead = self.lead_ids
        if len(lead) != 1 or not self.create_opportunity:
            return {}
        values = {"name": self.opportunity_name, "expected_revenue": self.expected_revenue}
        return {name: value for name, value in values.items() if value and value != lead[name]}

    def _assign_opportunity(self, results):
        """Give the single opportunity the team and salesperson chosen in the dialog."""
        lead = self.lead_ids
        if len(lead) != 1 or not any(result["opportunity_id"] for result in results):
            return
        values = {
            name: self[name].id for name in ("team_id", "user_id") if self[name] and self[name] != lead[name]
        }
        if values:
            lead.write(values)

    def _action_open_result(self, results):
        for key, model, name in (
            ("sale_order_id", "sale.order", self.env._("Quotations")),
            ("opportunity_id", "crm.lead", self.env._("Opportunities")),
            ("contact_id", "res.partner", self.env._("Customers")),
            ("partner_id", "res.partner", self.env._("Customers")),
        ):
            ids = list(dict.fromkeys(result[key] for result in results if result[key]))
            if ids:
                return self._action_open_records(self.env[model].browse(ids), name)
        return {"type": "ir.actions.act_window_close"}

    def _action_open_records(self, records, name):
        action = {"type": "ir.actions.act_window", "res_model": records._name, "name": name}
        if len(records) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=records.id)
        else:
            action.update(
                view_mode="list,form",
                views=[(False, "list"), (False, "form")],
                domain=[("id", "in", records.ids)],
            )
        return action
