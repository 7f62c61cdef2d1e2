from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext, is_html_empty


class CrmLeadLost(models.TransientModel):
    """Odoo's Lost wizard sets records aside the way Disqualify does (the reason's rules, the reactivation
    date, the history), and records the competitor the deal was lost to."""

    _name = "crm.lead.lost"
    _inherit = ["crm.lead.lost", "crm.lead.disqualify.mixin"]
    _disqualify_reason_field = "lost_reason_id"

    # An archived record in the selection must be seen, to be refused, not silently dropped.
    lead_ids = fields.Many2many(context={"active_test": False})
    records_type = fields.Selection(
        selection=[("lead", "Leads"), ("opportunity", "Opportunities"), ("both", "Both")],
        compute="_compute_records_type",
        help="Which reasons apply: those for the type of the records, or for both on a mixed selection.",
    )
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

    @api.depends("lead_ids.type")
    def _compute_records_type(self):
        for wizard in self:
            types = set(wizard.lead_ids.mapped("type"))
            wizard.records_type = types.pop() if len(types) == 1 else "both"

    @api.depends("lead_ids.competitor_ids.competitor_id")
    def _compute_available_competitor_ids(self):
        for wizard in self:
            wizard.available_competitor_ids = wizard.lead_ids.competitor_ids.competitor_id

    def action_lost_reason_apply(self):
        """Mark ``lead_ids`` as lost with the reason, all or nothing, keep the history, and record the
        competitor the records were lost to, on those of them where it is recorded.

        Odoo's version archives and logs the closing note; ``crm.lead._disqualify`` does both, checks the
        reason's rules (applies to, required note), keeps the reactivation date and writes one
        ``disqualified`` event per record, so it replaces it rather than running after it.
        """
        self.ensure_one()
        self._set_lost_to_competitor()
        note = False if is_html_empty(self.lost_feedback) else html2plaintext(self.lost_feedback)
        self._disqualify_records(self.lead_ids, note=note)
        return True

    def _set_lost_to_competitor(self):
        competitor = self.lost_to_competitor_id
        if not competitor:
            return
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
