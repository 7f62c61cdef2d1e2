from odoo import api, fields, models
from odoo.tools import SQL

from ..models.crm_qualification_event import REACTIVATION_TRIGGERS


class CrmQualificationReport(models.Model):
    """One row per lead: where it came from, what became of it, and how long it took.

    The rows are the records that are or were leads: leads (open, qualified or disqualified, archived
    included) and opportunities that came out of a lead (converted or qualified). Opportunities created
    directly in the pipeline were never qualified and would skew every rate, so they are left out.
    """

    _name = "crm.qualification.report"
    _description = "Lead Qualification Analysis"
    _inherit = ["crm.sql.report"]
    _auto = False
    _rec_name = "name"
    _order = "create_date desc, id desc"
    # Reading the report flushes what the view reads, so pending ORM writes are never missed.
    _depends = {
        "crm.lead": [
            "name",
            "active",
            "type",
            "company_id",
            "team_id",
            "user_id",
            "source_id",
            "medium_id",
            "campaign_id",
            "country_id",
            "stage_id",
            "qualification_state",
            "lost_reason_id",
            "lost_to_competitor_id",
            "qualification_profile_id",
            "date_qualified",
            "qualified_user_id",
            "date_disqualified",
            "expected_revenue",
            "date_conversion",
            "create_date",
        ],
        "crm.stage": ["is_won"],
        "crm.lost.reason": ["category"],
        "crm.qualification.event": ["lead_id", "event", "trigger", "date"],
    }
    # Rates are shares of a group's leads, computed from the summed counts of the group: averaging
    # per-row rates would weigh small groups like big ones.
    _rate_measures = {
        "conversion_rate": "qualified_count",
        "opportunity_rate": "opportunity_count",
        "customer_rate": "customer_count",
        "disqualification_rate": "disqualified_count",
    }

    name = fields.Char(string="Lead", readonly=True)
    lead_id = fields.Many2one(comodel_name="crm.lead", string="Lead Record", readonly=True)
    # Not named "active": the report must show archived (disqualified, lost) leads without a filter.
    lead_active = fields.Boolean(string="Active", readonly=True)
    lead_type = fields.Selection(
        selection=[("lead", "Lead"), ("opportunity", "Opportunity")], string="Type", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", string="Company", readonly=True)
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Salesperson", readonly=True)
    source_id = fields.Many2one(comodel_name="utm.source", string="Source", readonly=True)
    medium_id = fields.Many2one(comodel_name="utm.medium", string="Marketing Medium", readonly=True)
    campaign_id = fields.Many2one(comodel_name="utm.campaign", string="Campaign", readonly=True)
    country_id = fields.Many2one(comodel_name="res.country", string="Country", readonly=True)
    stage_id = fields.Many2one(comodel_name="crm.stage", string="Stage", readonly=True)
    qualification_state = fields.Selection(
        selection=[
            ("open", "Open"),
            ("qualified", "Qualified"),
            ("disqualified", "Disqualified"),
        ],
        string="Qualification",
        readonly=True,
    )
    qualification_profile_id = fields.Many2one(
        comodel_name="crm.qualification.profile", string="Qualification Profile", readonly=True
    )
    qualified_user_id = fields.Many2one(comodel_name="res.users", string="Qualified By", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    date_qualified = fields.Datetime(string="Qualified On", readonly=True)
    date_disqualified = fields.Datetime(string="Disqualified On", readonly=True)
    days_to_qualify = fields.Float(
        string="Days to Qualify",
        readonly=True,
        aggregator="avg",
        help="From the creation of the lead to its qualification, in days; averaged over qualified leads.",
    )
    lost_reason_id = fields.Many2one(comodel_name="crm.lost.reason", string="Reason", readonly=True)
    reason_category = fields.Selection(
        selection="_selection_reason_category",
        readonly=True,
        help="The status reason category of the disqualification (or loss) reason.",
    )
    lost_to_competitor_id = fields.Many2one(
        comodel_name="crm.competitor", string="Lost to Competitor", readonly=True
    )
    became_opportunity = fields.Boolean(readonly=True)
    became_customer = fields.Boolean(
        readonly=True, help="A confirmed sales order was made for the lead or its opportunity."
    )
    won = fields.Boolean(readonly=True)
    reactivation_count = fields.Integer(string="Reactivations", readonly=True, aggregator="sum")
    reactivation_trigger = fields.Selection(
        selection=REACTIVATION_TRIGGERS,
        string="Brought Back By",
        readonly=True,
        help="What brought the lead back the last time it was reactivated: a user, its reactivation date, "
        "the customer's order or the customer's email.",
    )
    expected_revenue = fields.Float(readonly=True, aggregator="sum")
    lead_count = fields.Integer(string="Leads", readonly=True, aggregator="sum")
    qualified_count = fields.Integer(string="Qualified", readonly=True, aggregator="sum")
    disqualified_count = fields.Integer(string="Disqualified", readonly=True, aggregator="sum")
    opportunity_count = fields.Integer(string="Opportunities", readonly=True, aggregator="sum")
    customer_count = fields.Integer(string="Customers", readonly=True, aggregator="sum")
    won_count = fields.Integer(string="Won Leads", readonly=True, aggregator="sum")
    # Per row the rates are 100 or 0, so the list view's own footer average stays right too.
    conversion_rate = fields.Float(
        string="Conversion Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Qualified leads out of all the leads of the group, in percent.",
    )
    opportunity_rate = fields.Float(
        string="Opportunity Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Leads that became opportunities out of all the leads of the group, in percent.",
    )
    customer_rate = fields.Float(
        string="Customer Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Leads with a confirmed sales order out of all the leads of the group, in percent.",
    )
    disqualification_rate = fields.Float(
        string="Disqualification Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Disqualified leads out of all the leads of the group, in percent.",
    )

    @api.model
    def _selection_reason_category(self):
        return self.env["crm.lost.reason"]._fields["category"]._description_selection(self.env)

    # ------------------------------------------------------------
    # READ GROUP
    # ------------------------------------------------------------

    def _read_group_select(self, aggregate_spec, query):
        """Aggregate a rate as the group's summed count over its number of leads, whatever function is asked.

        The pivot, graph and list views ask for ``<rate>:avg``; ordering groups by a rate goes through here
        too, so groups sort by their true rate.
        """
        fname = aggregate_spec.split(":")[0]
        count_fname = self._rate_measures.get(fname)
        if not count_fname:
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "(SUM(%s) * 100.0 / NULLIF(COUNT(*), 0))",
            self._field_to_sql(self._table, count_fname, query),
        )

    # ------------------------------------------------------------
    # SQL VIEW
    # ------------------------------------------------------------

    def _select(self):
        return SQL(
            """
            SELECT
                l.id AS id,
                l.id AS lead_id,
                l.name AS name,
                l.active AS lead_active,
                l.type AS lead_type,
                l.company_id AS company_id,
                l.team_id AS team_id,
                l.user_id AS user_id,
                l.source_id AS source_id,
                l.medium_id AS medium_id,
                l.campaign_id AS campaign_id,
                l.country_id AS country_id,
                l.stage_id AS stage_id,
                l.qualification_state AS qualification_state,
                l.qualification_profile_id AS qualification_profile_id,
                l.qualified_user_id AS qualified_user_id,
                l.create_date AS create_date,
                l.date_qualified AS date_qualified,
                l.date_disqualified AS date_disqualified,
                -- Odoo keeps the creation date to the microsecond and the qualification date to the second:
                -- a lead qualified within its first second must not take negative time.
                CASE WHEN l.date_qualified IS NOT NULL
                     THEN GREATEST(EXTRACT(EPOCH FROM l.date_qualified - l.create_date) / 86400.0, 0)
                END AS days_to_qualify,
                l.lost_reason_id AS lost_reason_id,
                reason.category AS reason_category,
                l.lost_to_competitor_id AS lost_to_competitor_id,
                l.type = 'opportunity' AS became_opportunity,
                customer.lead_id IS NOT NULL AS became_customer,
                l.active AND COALESCE(stage.is_won, FALSE) AS won,
                COALESCE(reactivation.reactivation_count, 0) AS reactivation_count,
                last_reactivation.trigger AS reactivation_trigger,
                COALESCE(l.expected_revenue, 0) AS expected_revenue,
                1 AS lead_count,
                CASE WHEN l.qualification_state = 'qualified' THEN 1 ELSE 0 END AS qualified_count,
                CASE WHEN l.qualification_state = 'disqualified' THEN 1 ELSE 0 END AS disqualified_count,
                CASE WHEN l.type = 'opportunity' THEN 1 ELSE 0 END AS opportunity_count,
                CASE WHEN customer.lead_id IS NOT NULL THEN 1 ELSE 0 END AS customer_count,
                CASE WHEN l.active AND COALESCE(stage.is_won, FALSE) THEN 1 ELSE 0 END AS won_count,
                CASE WHEN l.qualification_state = 'qualified' THEN 100.0 ELSE 0.0 END AS conversion_rate,
                CASE WHEN l.type = 'opportunity' THEN 100.0 ELSE 0.0 END AS opportunity_rate,
                CASE WHEN customer.lead_id IS NOT NULL THEN 100.0 ELSE 0.0 END AS customer_rate,
                CASE WHEN l.qualification_state = 'disqualified' THEN 100.0 ELSE 0.0 END
                    AS disqualification_rate
            """
        )

    def _from(self):
        # The joined subqueries are unique per lead, so PostgreSQL drops them from the plan of a grouped read
        # that does not use their columns (LEFT JOIN removal): source x month reads crm_lead alone.
        return SQL(
            """
            FROM crm_lead l
            LEFT JOIN crm_stage stage ON stage.id = l.stage_id
            LEFT JOIN crm_lost_reason reason ON reason.id = l.lost_reason_id
            LEFT JOIN (
                SELECT event.lead_id, COUNT(*) AS reactivation_count
                  FROM crm_qualification_event event
                 WHERE event.event = 'reactivated'
                 GROUP BY event.lead_id
            ) reactivation ON reactivation.lead_id = l.id
            LEFT JOIN (
                SELECT DISTINCT ON (event.lead_id) event.lead_id, event.trigger
                  FROM crm_qualification_event event
                 WHERE event.event = 'reactivated'
                 ORDER BY event.lead_id, event.date DESC, event.id DESC
            ) last_reactivation ON last_reactivation.lead_id = l.id
            LEFT JOIN (
                %s
            ) customer ON customer.lead_id = l.id
            """,
            self._customer_lead_query(),
        )

    def _customer_lead_query(self):
        """The ids of the leads that became customers, each once: none in the CRM alone (the sales bridge
        counts the confirmed orders)."""
        return SQL("SELECT NULL::integer AS lead_id WHERE FALSE")

    def _where(self):
        return SQL(
            """
            WHERE l.type = 'lead'
               OR l.qualification_state != 'open'
               OR l.date_conversion IS NOT NULL
            """
        )
