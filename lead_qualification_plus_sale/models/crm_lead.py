from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def _qualify_create_sale_orders(self, plans):
        """Create the draft quotations in one batch, with the values sale_crm gives a lead's quotation."""
        leads = self.filtered(lambda lead: plans[lead.id].wants("sale_order"))
        if not leads:
            return
        values_list = []
        for lead in leads:
            plan = plans[lead.id]
            context = lead._prepare_opportunity_quotation_context()
            values = {key.removeprefix("default_"): value for key, value in context.items()}
            values.update(
                partner_id=(plan.contact or plan.company or lead.partner_id).id,
                opportunity_id=lead.id if plan.opportunity else False,
                originating_lead_id=lead.id,
            )
            values_list.append(values)
        with self._qualification_writes():
            orders = self.env["sale.order"].create(values_list)
        for lead, order in zip(leads, orders, strict=True):
            plans[lead.id].order = order
