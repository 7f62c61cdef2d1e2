from odoo import api, fields, models


class CrmCompetitor(models.Model):
    _name = "crm.competitor"
    _description = "Competitor"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, index="trigram")
    website = fields.Char()
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner",
        check_company=True,
        help="The competitor's company among your contacts, if you keep one.",
    )
    strengths = fields.Text()
    weaknesses = fields.Text()
    note = fields.Html()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        index=True,
        help="Leave empty to share the competitor between all companies.",
    )
    lead_competitor_ids = fields.One2many(
        comodel_name="crm.lead.competitor",
        inverse_name="competitor_id",
        string="Lead Lines",
    )
    opportunity_count = fields.Integer(
        string="Opportunities",
        compute="_compute_win_loss",
        help="Leads and opportunities (ongoing, won or lost) where the competitor is recorded.",
    )
    won_count = fields.Integer(
        string="Won Against",
        compute="_compute_win_loss",
        help="Won opportunities where the competitor is recorded.",
    )
    lost_count = fields.Integer(
        string="Lost To",
        compute="_compute_win_loss",
        help="Lost leads and opportunities marked as lost to this competitor.",
    )

    # The figures are those of what the user may read.
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_win_loss(self):
        """Count, within what the user may read, the records the competitor is in, won and lost to it.

        A loss counts only when the record was marked lost *to this competitor*: losing a deal the competitor
        was bidding on for another reason is not a loss against it.
        """
        counts = {"opportunity_count": {}, "won_count": {}, "lost_count": {}}
        if self.ids:
            lines = self.env["crm.lead.competitor"].with_context(active_test=False)
            for competitor, count in lines._read_group(
                [("competitor_id", "in", self.ids)], ["competitor_id"], ["__count"]
            ):
                counts["opportunity_count"][competitor.id] = count
            for competitor, count in lines._read_group(
                [("competitor_id", "in", self.ids), *self._won_lead_domain("lead_id.")],
                ["competitor_id"],
                ["__count"],
            ):
                counts["won_count"][competitor.id] = count
            leads = self.env["crm.lead"].with_context(active_test=False)
            for competitor, count in leads._read_group(
                [("lost_to_competitor_id", "in", self.ids), *self._lost_lead_domain()],
                ["lost_to_competitor_id"],
                ["__count"],
            ):
                counts["lost_count"][competitor.id] = count
        for competitor in self:
            for fname, values in counts.items():
                competitor[fname] = values.get(competitor._origin.id, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_opportunities(self):
        self.ensure_one()
        return self._action_view_leads(
            self.env._("Opportunities with %(competitor)s", competitor=self.display_name),
            [("competitor_ids.competitor_id", "=", self.id), ("active", "in", [True, False])],
        )

    def action_view_won(self):
        self.ensure_one()
        return self._action_view_leads(
            self.env._("Won against %(competitor)s", competitor=self.display_name),
            [("competitor_ids.competitor_id", "=", self.id), *self._won_lead_domain()],
        )

    def action_view_lost(self):
        self.ensure_one()
        return self._action_view_leads(
            self.env._("Lost to %(competitor)s", competitor=self.display_name),
            [("lost_to_competitor_id", "=", self.id), *self._lost_lead_domain()],
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _action_view_leads(self, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_opportunities")
        action.update(
            {
                "name": name,
                "domain": domain,
                "context": {"active_test": False, "create": False},
                "view_mode": "list,kanban,form",
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
            }
        )
        return action

    def _won_lead_domain(self, prefix=""):
        """Odoo's own meaning of won: active and in a won stage (the pipeline's "Won" filter)."""
        return [(f"{prefix}active", "=", True), (f"{prefix}stage_id.is_won", "=", True)]

    def _lost_lead_domain(self, prefix=""):
        """Odoo's own meaning of lost: archived with a zero probability (the pipeline's "Lost" filter)."""
        return [(f"{prefix}active", "=", False), (f"{prefix}probability", "=", 0)]
