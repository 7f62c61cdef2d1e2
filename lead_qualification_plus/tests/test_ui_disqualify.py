from odoo.tests import HttpCase, tagged

from .common import LeadQualificationCommon


@tagged("post_install", "-at_install")
class TestUiDisqualify(HttpCase, LeadQualificationCommon):
    def test_disqualify_and_reactivate_a_lead(self):
        """A salesperson disqualifies a lead with a reason and a note, finds it under "Disqualified",
        reactivates it and sees it back in its stage."""
        lead = self._create_leads(name="Tour lead to nurture", stage_id=self.stage_contacted.id)
        self.start_tour("/odoo", "lqp_disqualify_reactivate", login=self.user_salesman.login)
        self.assertTrue(lead.active)
        self.assertEqual(lead.stage_id, self.stage_contacted)
        self.assertEqual(
            lead.qualification_event_ids.sorted("id").mapped("event"), ["disqualified", "reactivated"]
        )
        self.assertEqual(
            lead.qualification_event_ids.sorted("id")[0].note, "Bought from a competitor last month"
        )
        self.assertEqual(lead.activity_ids.user_id, self.user_salesman)
