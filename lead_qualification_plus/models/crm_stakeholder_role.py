from odoo import fields, models


class CrmStakeholderRole(models.Model):
    _name = "crm.stakeholder.role"
    _description = "Stakeholder Role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    is_decision_maker = fields.Boolean(
        string="Decision Maker",
        help="Stakeholders with this role count as decision makers on their lead or opportunity.",
    )
    active = fields.Boolean(default=True)
