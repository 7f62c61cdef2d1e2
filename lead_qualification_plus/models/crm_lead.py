from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    qualification_state = fields.Selection(
        selection=[
            ("open", "Open"),
            ("qualified", "Qualified"),
            ("disqualified", "Disqualified"),
        ],
        string="Qualification",
        default="open",
        required=True,
        index=True,
        copy=False,
        tracking=True,
        help="Open: still being qualified. Qualified: the qualification created or linked its records. "
        "Disqualified: set aside with a reason; it can be reactivated.",
    )
    qualification_event_ids = fields.One2many(
        comodel_name="crm.qualification.event",
        inverse_name="lead_id",
        string="Qualification History",
        readonly=True,
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_qualify_transition_rules(self):
        """Raise a ValidationError when a transition rule with target ``qualify`` blocks a lead of self.

        Called by every user-triggered qualification (wizard and ``qualify()``); the transition rules replace
        this no-op. The system's own automatic qualification does not call it.
        """
        return True

    def _log_qualification_event(self, event, reason=False, note=False):
        """Write one history event per lead in self, in one batch.

        The history is read-only to users: only the system writes it, through this method.
        """
        return (
            self.env["crm.qualification.event"]
            .sudo()
            .create(
                [
                    {
                        "lead_id": lead.id,
                        "event": event,
                        "reason_id": reason.id if reason else False,
                        "note": note or False,
                        "stage_id": lead.stage_id.id,
                        "user_id": self.env.user.id,
                    }
                    for lead in self
                ]
            )
        )
