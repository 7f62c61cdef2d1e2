from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLeadLostCompetitor(models.TransientModel):
    """Lost to a competitor (issue 6): its own class, so other extensions of the Lost wizard merge cleanly."""

    _inherit = "crm.lead.lost"

    available_competitor_ids = fields.Many2many(
        comodel_name="crm.competitor",
        string="Competitors of the Records",
        compute="_compute_available_competitor_ids",
    )
    lost_to_competitor_id = fields.Many2one(
        comodel_name="crm.competitor",
        string="Lost to Competitor",
        domain="[('id', 'in', available_competitor_ids)]",
        help="Who won the deal, among the competitors recorded on it.",
    )

    @api.depends("lead_ids.competitor_ids.competitor_id")
    def _compute_available_competitor_ids(self):
        for wizard in self:
            wizard.available_competitor_ids = wizard.lead_ids.competitor_ids.competitor_id

    def action_lost_reason_apply(self):
        """Also record the competitor the records were lost to, on those of them where it is recorded."""
        self.ensure_one()
        competitor = self.lost_to_competitor_id
        if competitor:
            leads = self.lead_ids.filtered(lambda lead: competitor in lead.competitor_ids.competitor_id)
            if not leads:
                raise UserError(
                    self.env._(
                        "%(competitor)s is not a competitor on these records: "
                        "add it in their Competitors tab first, or leave the competitor empty.",
                        competitor=competitor.display_name,
                    )
                )
            leads.lost_to_competitor_id = competitor
        return super().action_lost_reason_apply()
