from odoo import api, models
from odoo.exceptions import UserError


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_from_stage_of_rule(self):
        # A rule without from-stages applies from any stage: losing its last one would make it block moves
        # it never blocked.
        widened = self.env["crm.transition.rule"]._names_widened_without("from_stage_ids", self)
        if widened:
            raise UserError(
                self.env._(
                    "These stages are the only ones the transition rules %(rules)s apply from: deleted, the "
                    "rules would apply from any stage. Change or delete those rules first.",
                    rules=widened,
                )
            )
