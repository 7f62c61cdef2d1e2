from odoo import fields, models


class CrmLeadReactivate(models.TransientModel):
    _name = "crm.lead.reactivate"
    _description = "Reactivate Leads"

    # A disqualified lead is archived: the wizard must still see it (and refuse it, or reactivate it).
    lead_ids = fields.Many2many(
        comodel_name="crm.lead", string="Leads", required=True, context={"active_test": False}
    )
    note = fields.Text(help="Why the leads come back; kept in the chatter and the history.")

    def action_reactivate(self):
        """Reactivate ``lead_ids`` with the note of the wizard: see ``crm.lead.action_reactivate``."""
        self.ensure_one()
        self.lead_ids._reactivate(note=self.note)
        return {"type": "ir.actions.act_window_close"}
