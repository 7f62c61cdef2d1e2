from odoo import fields, models


class CrmLeadCompetitor(models.Model):
    _name = "crm.lead.competitor"
    _inherit = "crm.lead.line.mixin"
    _description = "Lead Competitor"

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

    _sql_constraints = [
        (
            "lead_competitor_uniq",
            "UNIQUE(lead_id, competitor_id)",
            "This competitor is already recorded on this lead or opportunity: "
            "edit the existing line instead.",
        ),
    ]
