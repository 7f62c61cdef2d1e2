from odoo import models
from odoo.tools import SQL


class CrmQualificationReport(models.Model):
    _inherit = "crm.qualification.report"

    _depends = {"sale.order": ["state", "opportunity_id", "originating_lead_id"]}

    def _customer_lead_query(self):
        """The ids of the leads that have a confirmed sales order, each once: an order of their opportunity
        (sale_crm) or an order their qualification created (its originating lead)."""
        return SQL(
            """
                SELECT sale.opportunity_id AS lead_id
                  FROM sale_order sale
                 WHERE sale.state = 'sale' AND sale.opportunity_id IS NOT NULL
                 UNION
                SELECT sale.originating_lead_id
                  FROM sale_order sale
                 WHERE sale.state = 'sale' AND sale.originating_lead_id IS NOT NULL
            """
        )
