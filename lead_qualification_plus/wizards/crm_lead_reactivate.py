from odoo import api, fields, models


class CrmLeadReactivate(models.TransientModel):
    _name = "crm.lead.reactivate"
    _description = "Reactivate Leads"

    # A disqualified lead is archived: the wizard must still see it (and refuse it, or reactivate it).
    lead_ids = fields.Many2many(
        comodel_name="crm.lead", string="Leads", required=True, context={"active_test": False}
    )
    note = fields.Text(help="Why the leads come back; kept in the chatter and the history.")
    explanation = fields.Char(compute="_compute_explanation")

    @api.depends("lead_ids")
    def _compute_explanation(self):
        for wizard in self:
            records = wizard.lead_ids
            if len(records) == 1:
                wizard.explanation = (
                    self.env._(
                        "The lead returns to the stage it was disqualified from, and its salesperson gets an "
                        "activity to follow it up."
                    )
                    if records.type == "lead"
                    else self.env._(
                        "The opportunity returns to the stage it was lost from, and its salesperson gets an "
                        "activity to follow it up."
                    )
                )
            elif set(records.mapped("type")) == {"lead"}:
                wizard.explanation = self.env._(
                    "The %(count)s leads return to the stages they were disqualified from, and their "
                    "salespeople get an activity to follow them up.",
                    count=len(records),
                )
            else:
                wizard.explanation = self.env._(
                    "The %(count)s records return to the stages they were disqualified or lost from, and "
                    "their salespeople get an activity to follow them up.",
                    count=len(records),
                )

    def action_reactivate(self):
        """Reactivate ``lead_ids`` with the note of the wizard: see ``crm.lead.action_reactivate``."""
        self.ensure_one()
        self.lead_ids._reactivate(note=self.note)
        return {"type": "ir.actions.act_window_close"}
