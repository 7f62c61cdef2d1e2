from odoo import api, models
from odoo.exceptions import UserError


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_allowed_group_of_rule(self):
        # A rule without allowed groups lets every salesperson perform its transition: losing its last
        # group would open it to everyone.
        widened = self.env["crm.transition.rule"]._names_widened_without("group_ids", self)
        if widened:
            raise UserError(
                self.env._(
                    "These groups are the only ones allowed to perform the transition rules %(rules)s: "
                    "deleted, every salesperson could. Change or delete those rules first.",
                    rules=widened,
                )
            )
