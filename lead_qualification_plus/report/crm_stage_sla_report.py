from odoo import api, fields, models
from odoo.tools import SQL


class CrmStageSlaReport(models.Model):
    """Time limits: one row per record whose clock runs, that is per active lead or opportunity that entered
    its current stage while a time limit of that stage applied to it (``crm.lead.sla_id``).

    "Entered" counts those entries: a record that left the stage is no longer counted there, it is counted in
    the stage it is in now if that stage has a limit. "Breached" counts the entries past their limit (overdue
    as of the last run of the scheduled job). The time in stage runs from the entry to now; its median is
    computed over the rows of each group, whatever the grouping.
    """

    _name = "crm.stage.sla.report"
    _description = "Time Limits Analysis"
    _inherit = ["crm.sql.report"]
    _auto = False
    _order = "days_in_stage desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one(comodel_name="crm.lead", string="Lead", readonly=True)
    lead_type = fields.Selection(
        selection=[("lead", "Lead"), ("opportunity", "Opportunity")], string="Type", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", string="Company", readonly=True)
    stage_id = fields.Many2one(comodel_name="crm.stage", string="Stage", readonly=True)
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Salesperson", readonly=True)
    sla_id = fields.Many2one(comodel_name="crm.stage.sla", string="Time Limit", readonly=True)
    sla_state = fields.Selection(
        selection=[("on_track", "On Track"), ("warning", "Close to Limit"), ("overdue", "Overdue")],
        string="Status",
        readonly=True,
    )
    date_entered = fields.Datetime(string="Entered On", readonly=True)
    sla_deadline = fields.Datetime(string="Deadline", readonly=True)
    entered_count = fields.Integer(string="Entered", readonly=True, aggregator="sum")
    breached_count = fields.Integer(string="Breached", readonly=True, aggregator="sum")
    days_in_stage = fields.Float(string="Days in Stage (avg)", readonly=True, aggregator="avg")
    # The same figure, aggregated as a median: a few forgotten records do not drown the typical time.
    days_in_stage_median = fields.Float(string="Days in Stage (median)", readonly=True, aggregator="median")

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "days_in_stage_median:median":
            return SQL(
                "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %s)",
                self._field_to_sql(self._table, "days_in_stage_median", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _select(self):
        return SQL(
            """
            SELECT lead.id AS id,
                   lead.id AS lead_id,
                   lead.type AS lead_type,
                   lead.company_id AS company_id,
                   lead.stage_id AS stage_id,
                   lead.team_id AS team_id,
                   lead.user_id AS user_id,
                   lead.sla_id AS sla_id,
                   lead.sla_state AS sla_state,
                   lead.date_last_stage_update AS date_entered,
                   lead.sla_deadline AS sla_deadline,
                   1 AS entered_count,
                   CASE WHEN lead.sla_state = 'overdue' THEN 1 ELSE 0 END AS breached_count,
                   EXTRACT(EPOCH FROM (NOW() AT TIME ZONE 'UTC' - lead.date_last_stage_update)) / 86400.0
                       AS days_in_stage,
                   EXTRACT(EPOCH FROM (NOW() AT TIME ZONE 'UTC' - lead.date_last_stage_update)) / 86400.0
                       AS days_in_stage_median
            """
        )

    @api.model
    def _from(self):
        return SQL("FROM crm_lead lead")

    @api.model
    def _where(self):
        return SQL("WHERE lead.active AND lead.sla_id IS NOT NULL")
