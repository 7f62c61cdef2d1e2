from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .common import OrderComebackCommon

COMEBACK_HISTORY = [("disqualified", False), ("reactivated", "order"), ("qualified", False)]


class TestOrderComeback(OrderComebackCommon):
    def _assert_brought_back_and_qualified(self, lead, order):
        self.assertTrue(lead.active)
        self.assertEqual(lead.qualification_state, "qualified")
        self.assertEqual(order.originating_lead_id, lead)
        self.assertEqual(self._history(lead), COMEBACK_HISTORY, "both events, in one step")
        reactivation = lead.qualification_event_ids.filtered(lambda event: event.event == "reactivated")
        self.assertIn(order.name, reactivation.note)
        self.assertEqual(reactivation.reason_id, self.reason_comeback)

    def test_backend_order_brings_the_lead_back_and_qualifies_it(self):
        lead = self._disqualified_lead()

        order = self._confirm()

        self.assertEqual(order.state, "sale")
        self._assert_brought_back_and_qualified(lead, order)
        self.assertEqual(lead.partner_id, self.buyer)
        self.assertTrue(lead.message_ids.filtered(lambda message: order.name in (message.body or "")))

    def test_paid_web_order_brings_the_lead_back_and_qualifies_it(self):
        # Web orders qualify leads whatever the backend setting says.
        self.company.backend_order_qualifies_leads = False
        lead = self._disqualified_lead()
        order = self._web_order()

        self._pay(order)._post_process()

        self.assertEqual(order.state, "sale")
        self._assert_brought_back_and_qualified(lead, order)
        self.assertTrue(
            lead.message_ids.filtered(
                lambda message: (
                    "Qualified by web order" in (message.body or "") and order.name in message.body
                )
            )
        )

    def test_order_of_the_company_brings_its_contact_lead_back(self):
        lead = self._disqualified_lead()
        order = self._confirm(partner=self.buyer_company)
        self._assert_brought_back_and_qualified(lead, order)

    def test_reason_without_the_flag_brings_nothing_back(self):
        lead = self._disqualified_lead(reason=self.reason_spam)

        order = self._confirm()

        self.assertEqual(order.state, "sale")
        self.assertFalse(lead.active)
        self.assertEqual(lead.qualification_state, "disqualified")
        self.assertEqual(self._history(lead), [("disqualified", False)])
        self.assertFalse(order.originating_lead_id)

    def test_backend_order_that_qualifies_nothing_still_brings_the_lead_back(self):
        """The lost reason is the setting: the lead is back, open, as an open lead the order leaves alone."""
        self.company.backend_order_qualifies_leads = False
        lead = self._disqualified_lead()

        order = self._confirm()

        self.assertTrue(lead.active)
        self.assertEqual(lead.qualification_state, "open")
        self.assertEqual(lead.stage_id, self.stage_contacted)
        self.assertEqual(self._history(lead), [("disqualified", False), ("reactivated", "order")])
        follow_up = lead.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.activity_type
        )
        self.assertIn(order.name, str(follow_up.note))

    def test_two_orders_bring_the_lead_back_once(self):
        lead = self._disqualified_lead()

        first = self._confirm()
        second = self._confirm()

        self._assert_brought_back_and_qualified(lead, first)
        self.assertEqual(second.originating_lead_id, lead, "the later order is only linked")

    def test_two_orders_confirmed_together_bring_the_lead_back_once(self):
        lead = self._disqualified_lead()
        orders = self._new_order() + self._new_order()

        orders.action_confirm()

        self.assertEqual(orders.mapped("state"), ["sale", "sale"])
        self.assertEqual(self._history(lead), COMEBACK_HISTORY)
        self.assertEqual(orders.originating_lead_id, lead)

    def test_order_of_another_company_brings_nothing_back(self):
        other_company = self.env["res.company"].create({"name": "Other LQP Company"})
        lead = self._disqualified_lead()
        lead.write({"company_id": other_company.id, "team_id": False, "user_id": False})

        self._confirm()

        self.assertFalse(lead.active)
        self.assertEqual(self._history(lead), [("disqualified", False)])

    @mute_logger("odoo.addons.lead_qualification_plus.models.crm_lead_comeback")
    def test_failed_reactivation_does_not_block_the_order(self):
        lead = self._disqualified_lead()
        Lead = type(self.env["crm.lead"])
        refusal = UserError("The lead is locked by an audit.")

        def refuse(records, note=False):
            raise refusal

        with patch.object(Lead, "_reactivate", refuse):
            order = self._confirm()

        self.assertEqual(order.state, "sale")
        self.assertFalse(lead.active)
        self.assertEqual(self._history(lead), [("disqualified", False)])
        todo = lead.activity_ids.filtered(
            lambda activity: activity.summary == "Automatic reactivation failed"
        )
        self.assertEqual(todo.user_id, self.user_salesman)
        self.assertIn(order.name, str(todo.note))
        self.assertIn("locked by an audit", str(todo.note))

    @mute_logger("odoo.addons.lead_qualification_plus_sale.models.sale_order")
    def test_failed_qualification_keeps_the_lead_back_and_asks_a_person(self):
        # A profile that cannot be applied: it always wants a company, the buyer and the lead have none.
        self.webshop_profile.partner_policy = "always"
        individual = self.env["res.partner"].create({"name": "Ivy Individual", "email": "ivy@example.com"})
        lead = self._disqualified_lead(partner=individual, partner_name=False)

        order = self._confirm(partner=individual)

        self.assertEqual(order.state, "sale")
        self.assertTrue(lead.active)
        self.assertEqual(lead.qualification_state, "open")
        self.assertEqual(self._history(lead), [("disqualified", False), ("reactivated", "order")])
        todo = lead.activity_ids.filtered(lambda activity: activity.summary == "Qualify this lead by hand")
        self.assertEqual(todo.user_id, self.user_salesman)
        self.assertIn(order.name, str(todo.note))

    @mute_logger("odoo.addons.lead_qualification_plus_sale.models.sale_order")
    def test_unexpected_failure_does_not_block_the_order_and_asks_a_person(self):
        lead = self._disqualified_lead()
        Lead = type(self.env["crm.lead"])
        failure = RuntimeError("the lost reasons cannot be read")

        def fail(records, partners, trigger="order", source=None):
            raise failure

        with patch.object(Lead, "_reactivate_for_returning_partners", fail):
            order = self._confirm(user_id=self.user_salesman.id)

        self.assertEqual(order.state, "sale")
        self.assertFalse(lead.active)
        todo = order.activity_ids
        self.assertEqual(todo.summary, "Reactivate the buyer's leads by hand")
        self.assertEqual(todo.user_id, self.user_salesman)
        self.assertIn("the lost reasons cannot be read", str(todo.note))
