from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


class CrmStageSla(models.Model):
    """A time limit on a stage: how long a lead or opportunity may stay in it, and whom to tell when it stays
    longer.

    When several limits of a stage apply to a record, the most specific wins (``_pick_for``): one naming the
    record's team beats one for every team; then one for the record's type beats one for both types; then one
    of the record's company beats one for every company; then the shortest limit; then the oldest.
    """

    _name = "crm.stage.sla"
    _description = "Stage Time Limit"
    _order = "stage_id, max_days, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        default=lambda self: self.env.company,
        help="Empty: applies in every company.",
    )
    team_ids = fields.Many2many(
        comodel_name="crm.team",
        string="Sales Teams",
        help="Empty: applies to every team.",
    )
    stage_id = fields.Many2one(
        comodel_name="crm.stage",
        string="Stage",
        required=True,
        ondelete="cascade",
        index=True,
    )
    lead_type = fields.Selection(
        selection=[("lead", "Leads"), ("opportunity", "Opportunities"), ("both", "Both")],
        string="Applies To",
        required=True,
        default="both",
    )
    max_days = fields.Float(
        string="Time Limit (days)",
        required=True,
        default=5.0,
        help="How long a record may stay in the stage before it is overdue and escalated.",
    )
    warning_days = fields.Float(
        string="Warning After (days)",
        help="After how long in the stage the record is flagged as close to its limit. 0: no warning.",
    )
    working_days = fields.Boolean(
        help="Count the working time of the company's working schedule (its hours, weekends and public "
        "holidays) instead of calendar days.",
    )
    escalate_to = fields.Selection(
        selection=[
            ("salesperson", "Salesperson"),
            ("team_leader", "Team Leader"),
            ("user", "Given User"),
        ],
        required=True,
        default="team_leader",
        help="Who gets the activity when a record stays longer than the limit. When the record has no "
        "salesperson or its team no leader, the other of the two gets it, then the given user, then the "
        "last person who configured this time limit.",
    )
    escalate_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Escalate To User",
        domain=[("share", "=", False)],
    )
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type",
        string="Escalation Activity",
        required=True,
        default=lambda self: self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False),
        domain=[("res_model", "in", (False, "crm.lead"))],
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("max_days", "warning_days")
    def _check_days(self):
        for sla in self:
            if sla.max_days <= 0:
                raise ValidationError(
                    self.env._(
                        "The time limit of %(sla)s must be more than 0 days.",
                        sla=sla.name,
                    )
                )
            if sla.warning_days < 0:
                raise ValidationError(
                    self.env._(
                        "The warning of %(sla)s cannot come after a negative number of days: give 0 for no "
                        "warning.",
                        sla=sla.name,
                    )
                )
            if sla.warning_days >= sla.max_days:
                raise ValidationError(
                    self.env._(
                        "The warning of %(sla)s must come before its time limit: give fewer than "
                        "%(max_days)s days, or 0 for no warning.",
                        sla=sla.name,
                        max_days=sla.max_days,
                    )
                )

    @api.constrains("escalate_to", "escalate_user_id")
    def _check_escalate_user(self):
        for sla in self:
            if sla.escalate_to == "user" and not sla.escalate_user_id:
                raise ValidationError(
                    self.env._(
                        "%(sla)s escalates to a given user: choose that user.",
                        sla=sla.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @tools.ormcache()
    def _get_ids_by_stage(self):
        # Every stage move reads it: cached, a move into a stage without a limit costs no query.
        # The configuration applies whatever the rights of the user who moves the record.
        slas = self.sudo().search_fetch([], ["stage_id"], order="id")
        by_stage = {}
        for sla in slas:
            by_stage.setdefault(sla.stage_id.id, []).append(sla.id)
        return {stage_id: tuple(ids) for stage_id, ids in by_stage.items()}

    @api.model
    def _pick_for(self, lead):
        """Return the time limit of ``lead``'s stage that applies to it (empty when none): the most specific,
        as the model's docstring says. ``self`` holds the candidates, from ``_get_ids_by_stage``."""
        candidates = [
            sla
            for sla in self
            if sla.stage_id == lead.stage_id
            and sla.lead_type in (lead.type, "both")
            and (not sla.team_ids or lead.team_id in sla.team_ids)
            and (not sla.company_id or sla.company_id == lead.company_id)
        ]
        if not candidates:
            return self.browse()
        return min(
            candidates,
            key=lambda sla: (
                not sla.team_ids,
                sla.lead_type == "both",
                not sla.company_id,
                sla.max_days,
                sla.id,
            ),
        )

    def _date_after(self, start, days, company):
        """The moment ``days`` days after ``start`` (naive UTC), counted in working time of ``company``'s
        schedule when the limit says so. A company without a schedule counts calendar days."""
        self.ensure_one()
        calendar = company.resource_calendar_id if self.working_days else False
        if not calendar:
            return start + timedelta(days=days)
        # A working day is the schedule's day: 7.6 hours of 38 a week, not 24.
        hours = days * (calendar.hours_per_day or 8.0)
        # Public holidays (leaves of no resource) are not worked either.
        return calendar.plan_hours(hours, start, compute_leaves=True) or start + timedelta(days=days)
