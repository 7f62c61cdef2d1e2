from odoo import fields, models


class CrmLeadStakeholder(models.Model):
    _name = "crm.lead.stakeholder"
    _inherit = "crm.lead.line.mixin"
    _description = "Lead Stakeholder"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        domain="[('is_company', '=', False)]",
    )
    partner_parent_id = fields.Many2one(related="partner_id.parent_id", string="Contact's Company")
    partner_email = fields.Char(related="partner_id.email", string="Email")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    role_id = fields.Many2one(
        comodel_name="crm.stakeholder.role", string="Role", ondelete="restrict", index=True
    )
    is_decision_maker = fields.Boolean(related="role_id.is_decision_maker")
    influence = fields.Selection(
        selection=[("low", "Low"), ("medium", "Medium"), ("high", "High")],
        default="medium",
        required=True,
    )
    attitude = fields.Selection(
        selection=[
            ("champion", "Champion"),
            ("supporter", "Supporter"),
            ("neutral", "Neutral"),
            ("skeptic", "Skeptic"),
            ("blocker", "Blocker"),
        ],
        default="neutral",
        required=True,
    )

    _sql_constraints = [
        (
            "lead_partner_uniq",
            "UNIQUE(lead_id, partner_id)",
            "This contact is already a stakeholder of this lead or opportunity: "
            "edit the existing line instead.",
        ),
    ]
