from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLeadDisqualify(models.TransientModel):
    _name = "crm.lead.disqualify"
    _description = "Disqualify Leads"

    # A disqualified lead is archived: the wizard must still see it (and refuse it, or reactivate it).
    lead_ids = fields.Many2many(
        comodel_name="crm.lead", string="Leads", required=True, context={"active_test": False}
    )
    reason_id = fields.Many2one(
        comodel_name="crm.lost.reason",
        string="Reason",
        required=True,
        domain="[('applies_to', 'in', ('lead', 'both'))]",
    )
    note_required = fields.Boolean(related="reason_id.note_required")
    note = fields.Text(help="Why the leads are disqualified; kept in the chatter and the history.")
    reactivate_on = fields.Date(
        compute="_compute_reactivate_on",
        store=True,
        readonly=False,
        help="The leads are reactivated by themselves on this date. Empty: never by themselves.",
    )
    keep_contact = fields.Boolean(
        string="Keep as Contact",
        help="Create (or link) a contact for the person of each lead without customer, so that marketing can "
        "still reach them although the lead is disqualified.",
    )

    @api.depends("reason_id")
    def _compute_reactivate_on(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.reactivate_on = wizard.reason_id._get_reactivation_date(today)

    def action_disqualify(self):
        """Disqualify ``lead_ids`` with the reason, note and reactivation date of the wizard, all or nothing.

        Refused with a UserError, nothing changed, for opportunities (they are marked as lost), qualified or
        already disqualified leads, a reason not applying to leads or a missing required note.
        """
        self.ensure_one()
        opportunities = self.lead_ids.filtered(lambda lead: lead.type == "opportunity")
        if opportunities:
            raise UserError(
                self.env._(
                    "Opportunities are not disqualified: mark %(records)s as lost instead.",
                    records=opportunities._format_refused(),
                )
            )
        self.lead_ids._disqualify(
            self.reason_id,
            note=self.note,
            reactivate_on=self.reactivate_on,
            keep_contact=self.keep_contact,
        )
        return {"type": "ir.actions.act_window_close"}
