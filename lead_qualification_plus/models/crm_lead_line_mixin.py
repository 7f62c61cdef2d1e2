from odoo import fields, models


class CrmLeadLineMixin(models.AbstractModel):
    """What a line of a lead (stakeholder, competitor) shares: its lead, order, company and note, and the rule
    that it only moves to a lead the user may change."""

    _name = "crm.lead.line.mixin"
    _description = "Line of a Lead or Opportunity"
    _order = "lead_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Lead/Opportunity",
        required=True,
        ondelete="cascade",
        index=True,
    )
    # Not stored: a stored copy is recomputed line by line whenever leads are written with their company.
    company_id = fields.Many2one(related="lead_id.company_id")
    note = fields.Char()

    def write(self, vals):
        if vals.get("lead_id"):
            # The rules are checked on the lines as they were: a line must not move to a lead the user
            # may not change.
            self.env["crm.lead"].browse(vals["lead_id"]).check_access("write")
        return super().write(vals)
