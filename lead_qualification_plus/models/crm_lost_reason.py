from odoo import fields, models


class CrmLostReason(models.Model):
    _inherit = "crm.lost.reason"

    applies_to = fields.Selection(
        selection=[
            ("lead", "Leads"),
            ("opportunity", "Opportunities"),
            ("both", "Leads and Opportunities"),
        ],
        default="both",
        required=True,
        help="Leads are disqualified with reasons for leads; opportunities are marked as lost with reasons "
        "for opportunities.",
    )
    category = fields.Selection(
        selection=[
            ("lost", "Lost"),
            ("cannot_contact", "Cannot contact"),
            ("no_longer_interested", "No longer interested"),
            ("canceled", "Canceled"),
            ("duplicate", "Duplicate"),
            ("spam", "Spam"),
        ],
        default="lost",
        required=True,
        help="The status reason reports group by, whatever the wording of the reason.",
    )
    note_required = fields.Boolean(
        help="Disqualifying or losing with this reason requires a note explaining why.",
    )
    reactivate_after_days = fields.Integer(
        string="Reactivate After (Days)",
        help="Proposed delay after which the record is reactivated by itself, for nurturing. "
        "0: never by itself.",
    )

    _sql_constraints = [
        (
            "reactivate_after_days_positive",
            "CHECK(reactivate_after_days >= 0)",
            "The reactivation delay of a reason cannot be negative.",
        ),
    ]
