from odoo.tests import HttpCase, tagged

from .common import LeadQualificationCommon


@tagged("post_install", "-at_install")
class TestUi(HttpCase, LeadQualificationCommon):
    def test_salesperson_opens_pipeline(self):
        """A salesperson opens the CRM app in a real browser and finds their lead in the Leads list."""
        self._create_leads(name="Tour lead from the harness")
        self.start_tour("/odoo", "lqp_open_pipeline", login=self.user_salesman.login)
