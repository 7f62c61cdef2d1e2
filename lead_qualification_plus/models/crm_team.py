from odoo import api, models
from odoo.exceptions import UserError


class CrmTeam(models.Model):
    _inherit = "crm.team"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_team_of_rule_or_profile(self):
        # A rule or a profile without teams applies to every team: losing its last team would widen it.
        # sudo: the rules and profiles of every company, archived ones included, whoever deletes.
        Rule = self.env["crm.transition.rule"].sudo().with_context(active_test=False)
        Profile = self.env["crm.qualification.profile"].sudo().with_context(active_test=False)
        widened = [
            record.name
            for record in [
                *Rule.search([("team_ids", "in", self.ids)]),
                *Profile.search([("team_ids", "in", self.ids)]),
            ]
            if not record.team_ids - self
        ]
        if widened:
            raise UserError(
                self.env._(
                    "These sales teams are the only ones of the transition rules or qualification profiles "
                    "%(records)s: deleted, those would apply to every team. Change or delete them first.",
                    records=", ".join(f"“{name}”" for name in widened),
                )
            )
