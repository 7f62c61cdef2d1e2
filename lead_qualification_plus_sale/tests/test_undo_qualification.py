from odoo.addons.lead_qualification_plus.tests.common import UndoQualificationCommon
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestUndoQualificationQuotation(UndoQualificationCommon):
    """Undoing a qualification that made a quotation, or that an order made."""

    def test_undo_removes_quotation(self):
        """A draft quotation qualifying created is cancelled and deleted."""
        lead, [result] = self._qualified(create_sale_order=True)
        order = self.env["sale.order"].browse(result["sale_order_id"])
        self.assertTrue(order)
        self._undo(lead)
        self.assertFalse(order.exists())
        self.assertEqual(lead.qualification_state, "open")

    def test_quotation_sent_or_confirmed_refused(self):
        for state, word in (("sent", "was sent"), ("sale", "was confirmed")):
            lead, [result] = self._qualified(create_sale_order=True)
            order = self.env["sale.order"].browse(result["sale_order_id"])
            order.with_user(self.user_salesman).write({"state": state})
            with self.assertRaisesRegex(UserError, f"quotation {order.name} {word}"):
                self._undo(lead)
            self.assertEqual(lead.qualification_state, "qualified")
            self.assertTrue(order.exists())

    def test_qualified_by_an_order_refused(self):
        """Orders are never undone: a lead an order qualified stays qualified."""
        self.company.backend_order_qualifies_leads = True
        lead = self._create_leads()
        buyer = self.Partner.create({"name": "Buyer", "email": lead.email_from})
        order = self.env["sale.order"].create({"partner_id": buyer.id})
        order.action_confirm()
        self.assertEqual(lead.qualification_state, "qualified")
        with self.assertRaisesRegex(
            UserError, f"the order {order.name} qualified it: orders are never undone"
        ):
            self._undo(lead, user=self.user_manager)
        self.assertEqual(lead.qualification_state, "qualified")
