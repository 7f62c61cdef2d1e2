from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    qualification_state = fields.Selection(
        selection=[
            ("open", "Open"),
            ("qualified", "Qualified"),
            ("disqualified", "Disqualified"),
        ],
        string="Qualification",
        default="open",
        required=True,
        index=True,
        copy=False,
        tracking=True,
        help="Open: still being qualified. Qualified: the qualification created or linked its records. "
        "Disqualified: set aside with a reason; it can be reactivated.",
    )
    qualification_event_ids = fields.One2many(
        comodel_name="crm.qualification.event",
        inverse_name="lead_id",
        string="Qualification History",
        readonly=True,
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_qualify_transition_rules(self):
        """Raise a ValidationError when a transition rule with target ``qualify`` blocks a lead of self.

        Called by every user-triggered qualification (wizard and ``qualify()``); the transition rules replace
        this no-op. The system's own automatic qualification does not call it.
        """
        return True

    def _log_qualification_event(self, event, reason=False, note=False):
        """Write one history event per lead in self, in one batch.

        The history is read-only to users: only the system writes it, through this method.
        """
        return (
            self.env["crm.qualification.event"]
            .sudo()
            .create(
                [
                    {
                        "lead_id": lead.id,
                        "event": event,
                        "reason_id": reason.id if reason else False,
                        "note": note or False,
                        "stage_id": lead.stage_id.id,
                        "user_id": self.env.user.id,
                    }
                    for lead in self
                ]
            )
        )


class CrmLeadStakeholders(models.Model):
    """Stakeholders and competitors (issue 6): their own class, to merge cleanly with the other features."""

    _inherit = "crm.lead"

    stakeholder_ids = fields.One2many(
        comodel_name="crm.lead.stakeholder",
        inverse_name="lead_id",
        string="Stakeholders",
        copy=True,
    )
    stakeholder_count = fields.Integer(
        string="Stakeholder Count",
        compute="_compute_stakeholder_counts",
        store=True,
    )
    decision_maker_count = fields.Integer(
        string="Decision Makers",
        compute="_compute_stakeholder_counts",
        store=True,
        help="Stakeholders whose role is a decision-maker role.",
    )
    competitor_ids = fields.One2many(
        comodel_name="crm.lead.competitor",
        inverse_name="lead_id",
        string="Competitors",
        copy=True,
    )
    competitor_count = fields.Integer(
        string="Competitor Count",
        compute="_compute_competitor_count",
        store=True,
    )
    lost_to_competitor_id = fields.Many2one(
        comodel_name="crm.competitor",
        string="Lost to Competitor",
        index="btree_not_null",
        copy=False,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )

    @api.depends("stakeholder_ids", "stakeholder_ids.role_id.is_decision_maker")
    def _compute_stakeholder_counts(self):
        for lead in self:
            lead.stakeholder_count = len(lead.stakeholder_ids)
            lead.decision_maker_count = len(lead.stakeholder_ids.filtered("role_id.is_decision_maker"))

    @api.depends("competitor_ids")
    def _compute_competitor_count(self):
        for lead in self:
            lead.competitor_count = len(lead.competitor_ids)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def toggle_active(self):
        res = super().toggle_active()
        # A restored record is no longer lost to anyone, as Odoo clears its lost reason.
        self.filtered(lambda lead: lead.active and lead.lost_to_competitor_id).lost_to_competitor_id = False
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _attach_stakeholders_to_company(self):
        """Make the stakeholders' contacts that have no company contacts of their lead's company.

        For each lead of self whose partner belongs to a company (its commercial partner is a company),
        every stakeholder contact without a parent company gets that company as parent. Contacts that
        already belong to a company are left alone; the stakeholder lines stay on the lead. When one
        contact is a stakeholder of several leads of self with different companies, the first lead of self
        wins. Runs with the caller's rights, one write per company. Returns the contacts attached.
        """
        contacts_by_company = {}
        attached = self.env["res.partner"]
        for lead in self:
            company = lead.partner_id.commercial_partner_id
            if not company.is_company:
                continue
            contacts = (
                lead.stakeholder_ids.partner_id.filtered(
                    lambda partner: not partner.parent_id and not partner.is_company
                )
                - attached
            )
            if contacts:
                contacts_by_company[company] = contacts_by_company.get(company, attached.browse()) | contacts
                attached |= contacts
        for company, contacts in contacts_by_company.items():
            contacts.write({"parent_id": company.id})
        return attached

    def _merge_get_fields_specific(self):
        fields_specific = super()._merge_get_fields_specific()
        # Same rule as Odoo's lost reason: only kept when the merged record is lost.
        fields_specific["lost_to_competitor_id"] = lambda fname, leads: (
            False
            if leads and leads[0].probability
            else next((lead.lost_to_competitor_id for lead in leads if lead.lost_to_competitor_id), False)
        )
        return fields_specific

    def _merge_dependences(self, opportunities):
        res = super()._merge_dependences(opportunities)
        self._merge_dependences_stakeholders(opportunities)
        self._merge_dependences_competitors(opportunities)
        return res

    def _merge_dependences_stakeholders(self, opportunities):
        """Move the stakeholders of ``opportunities`` to self, one line per contact.

        The line already on self wins, then the one of the first opportunity (Odoo's merge order); the other
        duplicates are deleted.
        """
        self._merge_lines(opportunities.stakeholder_ids, self.stakeholder_ids, "partner_id")

    def _merge_dependences_competitors(self, opportunities):
        """Move the competitors of ``opportunities`` to self, one line per competitor (see stakeholders)."""
        self._merge_lines(opportunities.competitor_ids, self.competitor_ids, "competitor_id")

    def _merge_lines(self, tail_lines, head_lines, key):
        self.ensure_one()
        seen = set(head_lines.mapped(f"{key}.id"))
        moved = tail_lines.browse()
        for line in tail_lines:
            if line[key].id not in seen:
                seen.add(line[key].id)
                moved |= line
        (tail_lines - moved).unlink()
        moved.write({"lead_id": self.id})
