from odoo import Command
from odoo.addons.lead_qualification_plus.tests.common import (
    LeadQualificationCommon,
    ReactivateCommon,
)


class OrderQualificationCommon(LeadQualificationCommon):
    """A buyer (a company and its contact), a product, and a helper that confirms orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({"name": "Standing desk", "list_price": 400.0})
        cls.buyer_company = cls.env["res.partner"].create({"name": "Buyer Corp", "is_company": True})
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Bob Buyer",
                "parent_id": cls.buyer_company.id,
                "email": "Bob.Buyer@BuyerCorp.example.com",
                "phone": "+32 470 11 22 33",
            }
        )
        cls.company.backend_order_qualifies_leads = True
        cls.webshop_profile = cls.env["crm.qualification.profile"].create(
            {
                "name": "Webshop test profile",
                "sequence": 1,
                "use_for_webshop": True,
                "partner_policy": "default_off",
                "contact_policy": "always",
                "opportunity_policy": "never",
                "sale_order_policy": "never",
            }
        )
        cls.company.webshop_qualification_profile_id = cls.webshop_profile

    @classmethod
    def _new_order(cls, partner=None, **values):
        return cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.buyer).id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 2})],
                **values,
            }
        )

    def _confirm(self, partner=None, **values):
        order = self._new_order(partner, **values)
        order.action_confirm()
        return order

    def _lead_without_partner(self, **values):
        return self._create_leads(**{"partner_name": False, "email_from": False, **values})


class WebOrderCommon(OrderQualificationCommon):
    """The web shop and its demo payment provider: orders placed and paid online."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env["website"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write({"state": "test", "company_id": cls.company.id})

    def _web_order(self, partner=None):
        return self._new_order(partner, website_id=self.website.id)

    def _pay(self, order):
        """Pay ``order`` online with the demo provider, as the shop's checkout does; the caller posts it."""
        transaction = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_id.id,
                    "operation": "online_direct",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        )
        transaction._set_done()
        return transaction


class OrderComebackCommon(WebOrderCommon, ReactivateCommon):
    """A lost reason that brings the customer's lead back when they order: the buyer's disqualified lead and
    the orders that bring it back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason_comeback = cls._create_comeback_reason()

    def _disqualified_lead(self, reason=None, partner=None, **values):
        lead = self._create_leads(
            partner_id=(partner or self.buyer).id, stage_id=self.stage_contacted.id, **values
        )
        self._disqualify(lead, reason=reason or self.reason_comeback, user=self.user_salesman)
        return lead

    def _history(self, lead):
        """The lead's qualification events, oldest first, as ``(event, trigger)``."""
        return [(event.event, event.trigger) for event in lead.qualification_event_ids.sorted("id")]
