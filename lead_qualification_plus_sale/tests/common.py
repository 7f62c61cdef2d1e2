from odoo import Command
from odoo.addons.lead_qualification_plus.tests.common_report import QualificationReportCommon


class QualificationReportOrdersCommon(QualificationReportCommon):
    """The qualification report's leads with their orders: web1 two confirmed orders of its opportunity (one
    customer), web2 a confirmed order through its originating lead, web4 a draft quotation only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "LQP report customer"})
        cls.product = cls.env["product.product"].create({"name": "LQP report service", "type": "service"})
        # The report counts customers by the orders a lead originated, set only by the addon's flows.
        with cls.env["crm.lead"]._qualification_writes():
            orders = cls.env["sale.order"].create(
                [
                    # Two confirmed orders for one lead: it is still one customer.
                    cls._order_values(opportunity_id=cls.leads["web1"].id),
                    cls._order_values(opportunity_id=cls.leads["web1"].id),
                    cls._order_values(originating_lead_id=cls.leads["web2"].id),
                    cls._order_values(opportunity_id=cls.leads["web4"].id),
                ]
            )
        orders[:3].action_confirm()

    @classmethod
    def _order_values(cls, **values):
        return {
            "partner_id": cls.customer.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1})],
            **values,
        }
