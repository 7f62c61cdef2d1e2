from odoo import fields, models
from odoo.exceptions import UserError


class CrmLeadDisqualify(models.TransientModel):
    _name = "crm.lead.disqualify"
    _inherit = ["crm.lead.disqualify.mixin"]
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
    note = fields.Text(help="Why the leads are disqualified; kept in the chatter and the history.")
    keep_contact = fields.Boolean(
        string="Keep as Contact",
        help="Create (or link) a contact for the person of each lead without customer, so that marketing can "
        "still reach them although the lead is disqualified.",
    )

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
        self._disqualify_records(self.lead_ids, note=self.note, keep_contact=self.keep_contact)
        return {"type": "ir.actions.act_window_close"}
