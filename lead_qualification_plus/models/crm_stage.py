from odoo import api, models
from odoo.exceptions import UserError


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_from_stage_of_rule(self):
        # A rule without from-stages applies from any stage: losing its last one would make it block moves
        # it never blocked. sudo: the rules of every company, archived ones included, whoever deletes.
        rules = (
            self.env["crm.transition.rule"]
            .sudo()
            .with_context(active_test=False)
            .search([("from_stage_ids", "in", self.ids)])
        )
        widened = rules.filtered(lambda rule: not rule.from_stage_ids - self)
        if widened:
            raise UserError(
                self.env._(
                    "These stages are the only ones the transition rules %(rules)s apply from: deleted, the "
                    "rules would apply from any stage. Change or delete those rules first.",
                    rules=", ".join(f"“{name}”" for name in widened.mapped("name")),
                )
            )
