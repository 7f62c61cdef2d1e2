from odoo import fields, models


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
