from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext, is_html_empty


class CrmLeadLost(models.TransientModel):
    _inherit = "crm.lead.lost"

    # Disqualification (issue 5): the reasons' rules and the reactivation date apply to lost records too.
    # An archived record in the selection must be seen, to be refused, not silently dropped.
    lead_ids = fields.Many2many(context={"active_test": False})
    records_type = fields.Selection(
        selection=[("lead", "Leads"), ("opportunity", "Opportunities"), ("both", "Both")],
        compute="_compute_records_type",
        help="Which reasons apply: those for the type of the records, or for both on a mixed selection.",
    )
    note_required = fields.Boolean(related="lost_reason_id.note_required")
    reactivate_on = fields.Date(
        compute="_compute_reactivate_on",
        store=True,
        readonly=False,
        help="The records are reactivated by themselves on this date. Empty: never by themselves.",
    )

    @api.depends("lead_ids.type")
    def _compute_records_type(self):
        for wizard in self:
            types = set(wizard.lead_ids.mapped("type"))
            wizard.records_type = types.pop() if len(types) == 1 else "both"

    @api.depends("lost_reason_id")
    def _compute_reactivate_on(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.reactivate_on = wizard.lost_reason_id._get_reactivation_date(today)

    def action_lost_reason_apply(self):
        """Mark ``lead_ids`` as lost with the reason, all or nothing, and keep the history.

        Odoo's version archives and logs the closing note; ``crm.lead._disqualify`` does both, checks the
        reason's rules (applies to, required note), keeps the reactivation date and writes one
        ``disqualified`` event per record, so it replaces it rather than running after it.
        """
        self.ensure_one()
        note = False if is_html_empty(self.lost_feedback) else html2plaintext(self.lost_feedback)
        self.lead_ids._disqualify(self.lost_reason_id, note=note, reactivate_on=self.reactivate_on)
        return True


class CrmLeadLostCompetitor(models.TransientModel):
    """Lost to a competitor (issue 6): its own class, so other extensions of the Lost wizard merge cleanly."""

    _inherit = "crm.lead.lost"

    available_competitor_ids = fields.Many2many(
        comodel_name="crm.competitor",
        string="Competitors of the Records",
        compute="_compute_available_competitor_ids",
    )
    lost_to_competitor_id = fields.Many2one(
        comodel_name="crm.competitor",
        string="Lost to Competitor",
        domain="[('id', 'in', available_competitor_ids)]",
        help="Who won the deal, among the competitors recorded on it.",
    )

    @api.depends("lead_ids.competitor_ids.competitor_id")
    def _compute_available_competitor_ids(self):
        for wizard in self:
            wizard.available_competitor_ids = wizard.lead_ids.competitor_ids.competitor_id

    def action_lost_reason_apply(self):
        """Also record the competitor the records were lost to, on those of them where it is recorded."""
        self.ensure_one()
        competitor = self.lost_to_competitor_id
        if competitor:
            leads = self.lead_ids.filtered(lambda lead: competitor in lead.competitor_ids.competitor_id)
            if not leads:
                raise UserError(
                    self.env._(
                        "%(competitor)s is not a competitor on these records: "
                        "add it in their Competitors tab first, or leave the competitor empty.",
                        competitor=competitor.display_name,
                    )
                )
            leads.lost_to_competitor_id = competitor
        return super().action_lost_reason_apply()
