from odoo import api, fields, models


class CrmLeadDisqualifyMixin(models.AbstractModel):
    """What the Disqualify and Lost wizards share: the reason's rules (reactivation date, required note) and
    the one call that sets the records aside (``crm.lead._disqualify``)."""

    _name = "crm.lead.disqualify.mixin"
    _description = "Set Records Aside With a Reason"
    # Odoo's Lost wizard names its reason lost_reason_id; ours reason_id.
    _disqualify_reason_field = "reason_id"

    note_required = fields.Boolean(compute="_compute_note_required")
    reactivate_on = fields.Date(
        compute="_compute_reactivate_on",
        store=True,
        readonly=False,
        help="The records are reactivated by themselves on this date. Empty: never by themselves.",
    )

    @api.depends(lambda self: [self._disqualify_reason_field])
    def _compute_note_required(self):
        for wizard in self:
            wizard.note_required = wizard._get_disqualify_reason().note_required

    @api.depends(lambda self: [self._disqualify_reason_field])
    def _compute_reactivate_on(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.reactivate_on = wizard._get_disqualify_reason()._get_reactivation_date(today)

    def _get_disqualify_reason(self):
        return self[self._disqualify_reason_field]

    def _disqualify_records(self, records, note=False, keep_contact=False):
        """Set ``records`` aside with the wizard's reason and reactivation date, all or nothing."""
        self.ensure_one()
        records._disqualify(
            self._get_disqualify_reason(),
            note=note,
            reactivate_on=self.reactivate_on,
            keep_contact=keep_contact,
        )
