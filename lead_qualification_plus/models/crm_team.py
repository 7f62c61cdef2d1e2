from odoo import api, models
from odoo.exceptions import UserError


class CrmTeam(models.Model):
    _inherit = "crm.team"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_team_of_rule_or_profile(self):
        # A rule or a profile without teams applies to every team: losing its last team would widen it.
        widened = self.env["crm.transition.rule"]._names_widened_without(
            "team_ids", self, ("crm.transition.rule", "crm.qualification.profile")
        )
        if widened:
            raise UserError(
                self.env._(
                    "These sales teams are the only ones of the transition rules or qualification profiles "
                    "%(records)s: deleted, those would apply to every team. Change or delete them first.",
                    records=widened,
                )
            )
