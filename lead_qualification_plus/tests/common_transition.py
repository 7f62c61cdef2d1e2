from datetime import timedelta

from odoo import fields

from .common import LeadQualificationCommon


class TransitionRuleCommon(LeadQualificationCommon):
    """Fixtures of the transition-rule tests: activity types and helpers to build rules and do the work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["crm.transition.rule"]
        cls.type_call = cls.env.ref("mail.mail_activity_data_call")
        cls.type_meeting = cls.env.ref("mail.mail_activity_data_meeting")
        cls.type_email = cls.env.ref("mail.mail_activity_data_email")
        cls.field_function = cls.env["ir.model.fields"]._get("crm.lead", "function")
        cls.field_revenue = cls.env["ir.model.fields"]._get("crm.lead", "expected_revenue")
        cls.field_tags = cls.env["ir.model.fields"]._get("crm.lead", "tag_ids")

    @classmethod
    def _create_rule(cls, requirements, **values):
        """Create a rule New -> Contacted of the test team with the given requirement values."""
        return cls.Rule.create(
            {
                "name": "Log first call",
                "team_ids": [(6, 0, cls.team.ids)],
                "from_stage_ids": [(6, 0, cls.stage_new.ids)],
                "to_stage_id": cls.stage_contacted.id,
                "requirement_ids": [(0, 0, requirement) for requirement in requirements],
                **values,
            }
        )

    def _log_done(self, leads, activity_type, feedback="Done"):
        self._plan(leads, activity_type).action_feedback(feedback=feedback)

    def _plan(self, leads, activity_type):
        return self.env["mail.activity"].create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": activity_type.id,
                    "user_id": self.env.uid,
                    "date_deadline": fields.Date.today(),
                }
                for lead in leads
            ]
        )

    def _set_stage_entry(self, leads, delta_hours):
        """Pretend the leads entered their stage ``delta_hours`` from now (negative: in the past)."""
        leads.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET date_last_stage_update = %s WHERE id IN %s",
            [fields.Datetime.now() + timedelta(hours=delta_hours), tuple(leads.ids)],
        )
        leads.invalidate_recordset(["date_last_stage_update"])
