from datetime import timedelta

from odoo import api, fields, models
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
            days = wizard.lost_reason_id.reactivate_after_days
            wizard.reactivate_on = today + timedelta(days=days) if days else False

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
