from odoo import fields, models
from odoo.addons.lead_qualification_plus.models.crm_qualification_profile import POLICIES


class CrmQualificationProfile(models.Model):
    _inherit = "crm.qualification.profile"

    sale_order_policy = fields.Selection(
        selection=POLICIES,
        string="Quotation",
        required=True,
        default="default_off",
        help="Whether qualifying creates a draft quotation for the customer.",
    )

    def _get_policies(self):
        # Odoo's conversion creates no quotation: without profile one is only offered, unticked.
        policies = super()._get_policies()
        policies["sale_order"] = self.sale_order_policy if self else "default_off"
        return policies
