from odoo import api, fields, models
from odoo.tools import SQL


class CrmStageSlaReport(models.Model):
    """Time limits: one row per entry of a lead or opportunity into a stage while a time limit of that stage
    applied to it (the log ``crm.lead.sla.entry``), past entries included.

    "Entered" counts the entries; "Breached" those that went past their limit (as the scheduled job found),
    even if the record has left the stage since; "Still in Stage" those still open. The time in stage runs
    from the entry to the moment the record left, or to now while it is still there; its median is computed
    over the rows of each group, whatever the grouping. Team, salesperson and type are the record's when it
    entered the stage.
    """

    _name = "crm.stage.sla.report"
    _description = "Time Limits Analysis"
    _inherit = ["crm.sql.report"]
    _auto = False
    _order = "date_entered desc"
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
    # The furthest the entry went: a record flagged late stays late in the figures once it has left.
    sla_state = fields.Selection(
        selection=[("on_track", "Within Limit"), ("warning", "Close to Limit"), ("overdue", "Breached")],
        string="Status",
        readonly=True,
    )
    date_entered = fields.Datetime(string="Entered On", readonly=True)
    date_left = fields.Datetime(string="Left On", readonly=True)
    sla_deadline = fields.Datetime(string="Deadline", readonly=True)
    entered_count = fields.Integer(string="Entered", readonly=True, aggregator="sum")
    breached_count = fields.Integer(string="Breached", readonly=True, aggregator="sum")
    open_count = fields.Integer(string="Still in Stage", readonly=True, aggregator="sum")
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
        # Until the record left the stage, or until now while it is still there.
        days = SQL(
            "EXTRACT(EPOCH FROM (COALESCE(entry.left_on, NOW() AT TIME ZONE 'UTC') - entry.entered_on))"
            " / 86400.0"
        )
        return SQL(
            """
            SELECT entry.id AS id,
                   entry.lead_id AS lead_id,
                   entry.lead_type AS lead_type,
                   entry.company_id AS company_id,
                   entry.stage_id AS stage_id,
                   entry.team_id AS team_id,
                   entry.user_id AS user_id,
                   entry.sla_id AS sla_id,
                   CASE WHEN entry.breached THEN 'overdue'
                        WHEN entry.warned THEN 'warning'
                        ELSE 'on_track' END AS sla_state,
                   entry.entered_on AS date_entered,
                   entry.left_on AS date_left,
                   entry.deadline AS sla_deadline,
                   1 AS entered_count,
                   CASE WHEN entry.breached THEN 1 ELSE 0 END AS breached_count,
                   CASE WHEN entry.left_on IS NULL THEN 1 ELSE 0 END AS open_count,
                   %(days)s AS days_in_stage,
                   %(days)s AS days_in_stage_median
            """,
            days=days,
        )

    @api.model
    def _from(self):
        return SQL("FROM crm_lead_sla_entry entry")
