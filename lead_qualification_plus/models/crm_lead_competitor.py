from odoo import fields, models


class CrmLeadCompetitor(models.Model):
    _name = "crm.lead.competitor"
    _description = "Lead Competitor"
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
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    competitor_id = fields.Many2one(
        comodel_name="crm.competitor",
        string="Competitor",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    threat_level = fields.Selection(
        selection=[("low", "Low"), ("medium", "Medium"), ("high", "High")],
        default="medium",
        required=True,
    )
    status = fields.Selection(
        selection=[("active", "Active"), ("eliminated", "Eliminated")],
        default="active",
        required=True,
        help="Eliminated: the competitor is out of this deal; the line stays as a record.",
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "lead_competitor_uniq",
            "UNIQUE(lead_id, competitor_id)",
            "This competitor is already recorded on this lead or opportunity: "
            "edit the existing line instead.",
        ),
    ]

    def write(self, vals):
        if vals.get("lead_id"):
            # The rules are checked on the lines as they were: a line must not move to a lead the user
            # may not change.
            self.env["crm.lead"].browse(vals["lead_id"]).check_access("write")
        return super().write(vals)
