from odoo.tests import HttpCase, tagged

from .common import LeadQualificationCommon, set_qualification_fields


@tagged("post_install", "-at_install")
class TestUiQualificationReport(HttpCase, LeadQualificationCommon):
    def test_manager_opens_qualification_report(self):
        """A sales manager opens CRM > Reporting > Qualification, sees the pivot by source, switches to the
        graph and shows it as a pie."""
        source = self.env["utm.source"].create({"name": "LQP Tour source"})
        leads = self._create_leads(3, source_id=source.id)
        set_qualification_fields(leads[0], {"qualification_state": "qualified"})
        self.start_tour("/odoo", "lqp_qualification_report", login=self.user_manager.login)
