from odoo import api, fields, models
from odoo.exceptions import ValidationError

POLICIES = [
    ("always", "Always"),
    ("default_on", "Proposed (ticked)"),
    ("default_off", "Optional (unticked)"),
    ("never", "Never"),
]

# What qualifying does when no profile applies: Odoo's own conversion (company, contact, opportunity).
BUILTIN_POLICIES = {
    "partner": "default_on",
    "contact": "default_on",
    "opportunity": "default_on",
}

# The records qualifying creates or links here; the sales bridge adds the quotation ("sale_order").
RECORD_KINDS = ("partner", "contact", "opportunity")


def policy_proposes(policy):
    """Whether qualifying creates the record of a policy unless told otherwise (Always, or ticked)."""
    return policy in ("always", "default_on")


class CrmQualificationProfile(models.Model):
    _name = "crm.qualification.profile"
    _inherit = ["crm.lead.domain.mixin"]
    _description = "Qualification Profile"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        default=lambda self: self.env.company,
        index=True,
        ondelete="restrict",
        help="Leave empty to offer the profile in every company.",
    )
    team_ids = fields.Many2many(
        comodel_name="crm.team",
        string="Sales Teams",
        check_company=True,
        help="The profile suits leads of these teams; empty means every team.",
    )
    lead_domain = fields.Char(
        string="Suitable Leads",
        default="[]",
        help="The profile suits the leads matching this domain.",
    )
    partner_policy = fields.Selection(
        selection=POLICIES,
        string="Customer Company",
        required=True,
        default="default_on",
        help="Whether qualifying creates (or links) the company the lead belongs to.",
    )
    contact_policy = fields.Selection(
        selection=POLICIES,
        string="Contact",
        required=True,
        default="default_on",
        help="Whether qualifying creates (or links) the person of the lead.",
    )
    opportunity_policy = fields.Selection(
        selection=POLICIES,
        string="Opportunity",
        required=True,
        default="default_on",
        help="Whether qualifying converts the lead into an opportunity.",
    )
    opportunity_team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Opportunity Sales Team",
        check_company=True,
        help="Sales team of the opportunities; empty keeps the lead's team.",
    )
    opportunity_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Opportunity Salesperson",
        domain="[('share', '=', False)]",
        help="Salesperson of the opportunities; empty keeps the lead's salesperson.",
    )
    opportunity_stage_id = fields.Many2one(
        comodel_name="crm.stage",
        string="Opportunity Stage",
        help="Stage of the opportunities; empty keeps the lead's stage (or the team's first stage).",
    )
    stakeholders_join_company = fields.Boolean(
        string="Stakeholders Join the Company",
        default=True,
        help="When qualifying creates or links a company, the lead's stakeholders whose contact has no "
        "company become contacts of that company.",
    )
    undo_hours = fields.Integer(
        string="Undo Window (Hours)",
        default=24,
        help="How long after qualifying the user who qualified or a sales manager may undo it; 0: never.",
    )
    match_existing_partners = fields.Boolean(
        default=True,
        help="Look for an existing partner (by email, VAT, phone, then company name) and link it "
        "instead of creating a duplicate.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("lead_domain")
    def _check_lead_domain(self):
        for profile in self:
            self._validate_lead_domain(profile.lead_domain, profile.name)

    @api.constrains("undo_hours")
    def _check_undo_hours(self):
        if any(profile.undo_hours < 0 for profile in self):
            raise ValidationError(self.env._("The undo window is a number of hours, 0 or more (0: never)."))

    @api.constrains("team_ids", "opportunity_team_id")
    def _check_teams(self):
        self._check_references_readable(["team_ids", "opportunity_team_id"])

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_policies(self):
        """Return ``{kind: policy}`` for each kind of RECORD_KINDS; the built-in policies without profile."""
        if not self:
            return dict(BUILTIN_POLICIES)
        self.ensure_one()
        return {kind: self[f"{kind}_policy"] for kind in RECORD_KINDS}

    @api.model
    def _search_candidates(self, leads):
        """The active profiles that may suit ``leads``: shared ones and those of the leads' companies (or of
        the current one), by sequence, with the user's rights."""
        companies = leads.company_id | self.env.company
        return self.search([("company_id", "in", [*companies.ids, False])])

    def _get_lead_domain(self):
        """The suitable leads' domain; ``None`` when it cannot be evaluated any more (out of service)."""
        self.ensure_one()
        return self._get_lead_domains()[self]

    def _filter_suitable_leads(self, leads):
        """Return the leads of ``leads`` that the profile suits by company, team and domain (one query)."""
        self.ensure_one()
        leads = leads.filtered(
            lambda lead: (
                (not self.company_id or self.company_id == (lead.company_id or self.env.company))
                and (not self.team_ids or lead.team_id in self.team_ids)
            )
        )
        domain = self._get_lead_domain()
        if domain is None:
            return leads.browse()
        if not leads or not domain:
            return leads
        return leads.with_context(active_test=False).search([("id", "in", leads.ids), *domain])
