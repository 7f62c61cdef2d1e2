from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Ten years: beyond, a reactivation date means "never", which 0 says; and a date computed from a delay of
# millions of days would overflow Python's dates in every Disqualify and Lost dialog offering the reason.
MAX_REACTIVATE_AFTER_DAYS = 3650


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
    reactivate_on_order = fields.Boolean(
        string="Reactivate on Order",
        help="A record disqualified with this reason comes back by itself when its customer (the person or "
        "their company) confirms a sales order: it is reactivated, then qualified by that order.",
    )
    reactivate_on_email = fields.Boolean(
        string="Reactivate on Email",
        help="A record disqualified with this reason comes back by itself when its customer writes in: an "
        "email from its address, or a reply on its thread, reactivates it to its former stage and asks its "
        "salesperson to follow up.",
    )

    _sql_constraints = [
        (
            "reactivate_after_days_positive",
            "CHECK(reactivate_after_days >= 0)",
            "The reactivation delay of a reason cannot be negative.",
        ),
    ]

    @api.constrains("reactivate_after_days")
    def _check_reactivate_after_days(self):
        for reason in self:
            if not 0 <= reason.reactivate_after_days <= MAX_REACTIVATE_AFTER_DAYS:
                raise ValidationError(
                    self.env._(
                        'The reason "%(reason)s" reactivates after %(days)s days: choose between 0 (never by '
                        "itself) and %(max)s days.",
                        reason=reason.name,
                        days=reason.reactivate_after_days,
                        max=MAX_REACTIVATE_AFTER_DAYS,
                    )
                )

    def _get_reactivation_date(self, today):
        """The reactivation date the Disqualify and Lost dialogs propose with this reason (or none) from
        ``today``: False when it never reactivates (or holds a delay saved before the bound, out of range)."""
        days = self.reactivate_after_days
        if not 0 < days <= MAX_REACTIVATE_AFTER_DAYS:
            return False
        return today + timedelta(days=days)
