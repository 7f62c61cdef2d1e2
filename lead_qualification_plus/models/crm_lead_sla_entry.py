from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists


class CrmLeadSlaEntry(models.Model):
    """One entry of a lead or opportunity into a stage while a time limit (``crm.stage.sla``) applied to
    it: the log the *Time Limits* report counts, past entries included.

    Written by the ORM alone (``crm.lead._sla_sync_entries`` and the time-limit job), never by users: it opens
    when a record enters such a stage (created in it, moved by any path), closes (``left_on``) when it leaves
    the stage, is archived (lost) or deleted with it, and opens again if an archived record is restored in the
    same stage entry. Team, salesperson, type and company are the record's when it entered.
    """

    _name = "crm.lead.sla.entry"
    _description = "Stage Time Limit Entry"
    _order = "entered_on desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Lead",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    stage_id = fields.Many2one(
        comodel_name="crm.stage", string="Stage", required=True, ondelete="cascade", readonly=True
    )
    # A limit deleted since keeps its entries in the figures, without a name.
    sla_id = fields.Many2one(
        comodel_name="crm.stage.sla", string="Time Limit", ondelete="set null", readonly=True
    )
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", ondelete="set null", readonly=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson", ondelete="set null", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", string="Company", readonly=True)
    lead_type = fields.Selection(
        selection=[("lead", "Lead"), ("opportunity", "Opportunity")], string="Type", readonly=True
    )
    entered_on = fields.Datetime(required=True, readonly=True)
    left_on = fields.Datetime(readonly=True, help="Empty while the record is in the stage.")
    deadline = fields.Datetime(readonly=True)
    warned = fields.Boolean(readonly=True, help="The job flagged the record close to its limit.")
    breached = fields.Boolean(readonly=True, help="The record stayed past its limit, even if it left since.")

    def init(self):
        # Records that already ran a clock when the log came in (an update of the module) get their open
        # entry, so that the report counts them; an entry of a record is never made twice.
        if not column_exists(self.env.cr, "crm_lead", "sla_id"):
            return
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_lead_sla_entry (lead_id, stage_id, sla_id, team_id, user_id, company_id,
                                                lead_type, entered_on, deadline, warned, breached,
                                                create_uid, create_date, write_uid, write_date)
                     SELECT lead.id, lead.stage_id, lead.sla_id, lead.team_id, lead.user_id, lead.company_id,
                            lead.type, lead.date_last_stage_update, lead.sla_deadline,
                            lead.sla_state = 'warning', lead.sla_state = 'overdue',
                            %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                       FROM crm_lead lead
                      WHERE lead.active AND lead.sla_id IS NOT NULL AND lead.stage_id IS NOT NULL
                        AND lead.date_last_stage_update IS NOT NULL
                        AND NOT EXISTS (SELECT 1 FROM crm_lead_sla_entry entry
                                         WHERE entry.lead_id = lead.id AND entry.left_on IS NULL)
                """,
                uid=self.env.uid,
            )
        )

    @api.model
    def _values_for(self, lead):
        """The values of the entry ``lead`` makes now into its stage (its time limit and clock set)."""
        return {
            "lead_id": lead.id,
            "stage_id": lead.stage_id.id,
            "sla_id": lead.sla_id.id,
            "team_id": lead.team_id.id,
            "user_id": lead.user_id.id,
            "company_id": lead.company_id.id,
            "lead_type": lead.type,
            "entered_on": lead.date_last_stage_update,
            "deadline": lead.sla_deadline,
        }
