from odoo import Command
from odoo.addons.lead_qualification_plus.tests.common import (
    LeadQualificationCommon,
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
