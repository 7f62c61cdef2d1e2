from odoo import api, models
from odoo.exceptions import UserError


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_allowed_group_of_rule(self):
        # A rule without allowed groups lets every salesperson perform its transition: losing its last
        # group would open it to everyone. sudo: the rules of every company, whoever deletes the group.
        rules = (
            self.env["crm.transition.rule"]
            .sudo()
            .with_context(active_test=False)
            .search([("group_ids", "in", self.ids)])
        )
        widened = rules.filtered(lambda rule: not rule.group_ids - self)
        if widened:
            raise UserError(
                self.env._(
                    "These groups are the only ones allowed to perform the transition rules %(rules)s: "
                    "deleted, every salesperson could. Change or delete those rules first.",
                    rules=", ".join(f"“{name}”" for name in widened.mapped("name")),
                )
            )
