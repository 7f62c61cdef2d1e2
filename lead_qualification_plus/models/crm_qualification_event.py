from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models

REACTIVATION_TRIGGERS = [
    ("manual", "Manual"),
    ("scheduled", "Scheduled"),
    ("order", "Sales order"),
    ("email", "Email"),
]
# What brings a record back while the addon reactivates it: a context variable of the running thread, out of
# reach of any RPC argument or context key, so a user's reactivation is always "manual".
_REACTIVATION_TRIGGER = ContextVar("lead_qualification_plus_reactivation_trigger", default="manual")


@contextmanager
def reactivation_trigger(trigger):
    """Record the ``reactivated`` events written within the block as brought about by ``trigger``."""
    token = _REACTIVATION_TRIGGER.set(trigger)
    try:
        yield
    finally:
        _REACTIVATION_TRIGGER.reset(token)


class CrmQualificationEvent(models.Model):
    _name = "crm.qualification.event"
    _description = "Lead Qualification Event"
    _order = "date desc, id desc"
    _rec_name = "event"

    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Lead",
        required=True,
        index=True,
        ondelete="cascade",
    )
    # Not stored: a stored copy is recomputed line by line whenever leads are written with their company.
    company_id = fields.Many2one(related="lead_id.company_id")
    event = fields.Selection(
        selection=[
            ("qualified", "Qualified"),
            ("disqualified", "Disqualified"),
            ("reactivated", "Reactivated"),
            ("qualification_undone", "Qualification undone"),
            ("transition_forced", "Transition forced"),
            ("sla_warning", "Time limit warning"),
            ("sla_breached", "Time limit exceeded"),
        ],
        required=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="By",
        required=True,
        default=lambda self: self.env.user,
    )
    reason_id = fields.Many2one(comodel_name="crm.lost.reason", string="Reason", ondelete="set null")
    note = fields.Text()
    stage_id = fields.Many2one(
        comodel_name="crm.stage",
        string="Stage",
        ondelete="set null",
        help="The stage the record was in when the event happened.",
    )
    trigger = fields.Selection(
        selection=REACTIVATION_TRIGGERS,
        help="What brought a reactivated record back: a user, its reactivation date, the customer's order or "
        "the customer's email.",
    )

    # What a qualified record was before (``qualified`` events): written by the qualification, read by its
    # undo (crm_lead_undo.py). Users never write the history.
    undo_recorded = fields.Boolean(readonly=True)
    undo_type = fields.Selection(
        selection=[("lead", "Lead"), ("opportunity", "Opportunity")], string="Type Before", readonly=True
    )
    undo_stage_id = fields.Many2one(
        comodel_name="crm.stage", string="Stage Before", ondelete="set null", readonly=True
    )
    undo_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer Before", ondelete="set null", readonly=True
    )
    undo_user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson Before", ondelete="set null", readonly=True
    )
    undo_team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team Before", ondelete="set null", readonly=True
    )
    undo_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="crm_qualification_event_undo_partner_rel",
        string="Partners Created",
        readonly=True,
        help="The companies and contacts the qualification created: undoing it removes them.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Every reactivation goes through one engine, whatever brings it about: the trigger is the running
        # flow's, not an argument passed down through it.
        trigger = _REACTIVATION_TRIGGER.get()
        for vals in vals_list:
            if vals.get("event") == "reactivated" and not vals.get("trigger"):
                vals["trigger"] = trigger
        return super().create(vals_list)
