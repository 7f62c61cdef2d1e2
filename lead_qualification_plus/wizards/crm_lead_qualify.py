from odoo import Command, api, fields, models

from ..models.crm_qualification_profile import POLICIES, RECORD_KINDS


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
    sale_order_policy = fields.Selection(selection=POLICIES, compute="_compute_policies")
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
    create_sale_order = fields.Boolean(
        string="Quotation",
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

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("lead_ids")
    def _compute_lead_count(self):
        for wizard in self:
            wizard.lead_count = len(wizard.lead_ids)

    @api.depends("lead_ids")
    def _compute_suitable_profile_ids(self):
        for wizard in self:
            leads = wizard.lead_ids
            companies = leads.company_id | self.env.company
            candidates = self.env["crm.qualification.profile"].search(
                [("company_id", "in", [*companies.ids, False])]
            )
            defaults = (leads.company_id or self.env.company).qualification_profile_id
            wizard.suitable_profile_ids = candidates.filtered(
                lambda profile, leads=leads: profile._filter_suitable_leads(leads) == leads
            ) | defaults.filtered(lambda profile, leads=leads: len(leads.company_id) <= 1)

    @api.depends("lead_ids")
    def _compute_profile_id(self):
        for wizard in self:
            profiles = set(wizard.lead_ids._get_qualification_profiles().values())
            wizard.mixed_profiles = len(profiles) > 1
            wizard.profile_id = profiles.pop() if len(profiles) == 1 else False

    @api.depends("profile_id", "mixed_profiles")
    def _compute_policies(self):
        for wizard in self:
            policies = wizard.profile_id._get_policies()
            for kind in RECORD_KINDS:
                wizard[f"{kind}_policy"] = policies[kind]

    def _policy_default(self, kind):
        return self[f"{kind}_policy"] in ("always", "default_on")

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
            for kind in ("contact", "opportunity", "sale_order"):
                wizard[f"create_{kind}"] = wizard._policy_default(kind)

    @api.depends("lead_ids")
    def _compute_matches(self):
        for wizard in self:
            if len(wizard.lead_ids) != 1:
                wizard.company_match_ids = wizard.contact_match_ids = False
                continue
            matches = wizard.lead_ids._qualify_find_matches()[wizard.lead_ids.id]
            wizard.company_match_ids = matches["company"]
            wizard.contact_match_ids = matches["contact"]

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
        leads._check_qualify(self.profile_id)
        choices = {}
        if not self.mixed_profiles:
            for kind in RECORD_KINDS:
                tick = self[f"create_{kind}"]
                # a tick left as the profile proposes lets each lead follow the profile (a lead without a
                # company name then simply gets no company)
                choices[kind] = None if tick == self._policy_default(kind) else tick
        links = {}
        if len(leads) == 1:
            links[leads.id] = {"company": self.company_link_id, "contact": self.contact_link_id}
        results = leads._qualify(profile=self.profile_id, choices=choices, links=links)
        return self._action_open_result(results)

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
