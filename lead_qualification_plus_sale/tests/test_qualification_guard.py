from odoo.addons.lead_qualification_plus.tests.common import LeadQualificationCommon
from odoo.exceptions import AccessError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestForgedOriginatingLead(LeadQualificationCommon):
    def test_originating_lead_of_an_order_is_not_forged(self):
        """The report counts a lead's customers by the orders it originated: no one sets that by hand."""
        lead = self._create_leads()
        customer = self.env["res.partner"].create({"name": "LQP customer"})
        Order = self.env["sale.order"].with_user(self.user_manager)
        with self.assertRaises(AccessError):
            Order.create({"partner_id": customer.id, "originating_lead_id": lead.id})
        order = Order.create({"partner_id": customer.id})
        with self.assertRaises(AccessError):
            order.write({"originating_lead_id": lead.id})
        self.assertFalse(order.originating_lead_id)
        order.write({"originating_lead_id": False, "note": "unchanged passes"})
