from odoo import api, fields, models


class CrmLeadUndoQualification(models.TransientModel):
    _name = "crm.lead.undo.qualification"
    _description = "Undo a Qualification"

    lead_ids = fields.Many2many(comodel_name="crm.lead", string="Records", required=True)
    reason = fields.Text(
        required=True, help="Why the qualification is undone; kept in the chatter and the history."
    )
    explanation = fields.Char(compute="_compute_explanation")

    @api.depends("lead_ids")
    def _compute_explanation(self):
        for wizard in self:
            wizard.explanation = self.env._(
                "Records to undo: %(count)s. Each goes back to what it was before qualifying (open, with "
                "its type, stage, customer and salesperson); the company, contact and quotation qualifying "
                "created are removed.",
                count=len(wizard.lead_ids),
            )

    def action_undo(self):
        """Undo the qualification of ``lead_ids``: see ``crm.lead.action_undo_qualification``."""
        self.ensure_one()
        self.lead_ids.action_undo_qualification(reason=self.reason or "")
        return {"type": "ir.actions.act_window_close"}
