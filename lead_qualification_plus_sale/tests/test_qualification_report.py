from odoo import Command
from odoo.tests import tagged

from .common import QualificationReportOrdersCommon


@tagged("post_install", "-at_install")
class TestQualificationReportCustomers(QualificationReportOrdersCommon):
    """A lead becomes a customer in the report by a confirmed order of its opportunity or of its own."""

    def test_customer_rows(self):
        rows = {row.lead_id: row for row in self._report().search(self._fixture_domain())}
        customers = {key for key, lead in self.leads.items() if rows[lead].became_customer}
        self.assertEqual(customers, {"web1", "web2"}, "web4's draft quotation does not make a customer")
        self.assertEqual(
            (rows[self.leads["web1"]].customer_count, rows[self.leads["web1"]].customer_rate), (1, 100)
        )

    def test_customer_totals(self):
        """2 customers out of 8 leads (25 %): two orders of one lead make one customer."""
        [total] = self._report().read_group(
            self._fixture_domain(), ["customer_count:sum", "customer_rate:avg"], [], lazy=False
        )
        self.assertEqual(total["customer_count"], 2)
        self.assertAlmostEqual(total["customer_rate"], 25)

    def test_confirmed_quotation_of_the_qualification_makes_a_customer(self):
        """The quotation qualifying created, confirmed: the lead is a customer; a draft one is not."""
        confirmed, draft = self._create_leads(2, source_id=self.source_fair.id, name="LQP flow")
        sally = self.user_salesman
        orders = self.env["sale.order"]
        for lead in confirmed | draft:
            [result] = lead.with_user(sally).qualify(
                create_opportunity=True, create_sale_order=True, profile_id=self.profile_b2b.id
            )
            orders |= self.env["sale.order"].browse(result["sale_order_id"])
        orders.order_line = [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]
        orders[0].action_confirm()
        rows = {row.lead_id: row for row in self._report(sally).search([("name", "=", "LQP flow")])}
        self.assertEqual((rows[confirmed].became_customer, rows[draft].became_customer), (True, False))
        [group] = self._report(sally).read_group(
            [("name", "=", "LQP flow")], ["customer_rate:avg"], [], lazy=False
        )
        self.assertAlmostEqual(group["customer_rate"], 50)
