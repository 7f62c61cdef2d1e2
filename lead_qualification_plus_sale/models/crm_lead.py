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

    # ------------------------------------------------------------
    # UNDO OF A QUALIFICATION
    # ------------------------------------------------------------

    def _qualify_record_undo(self, snapshot, plans=None):
        super()._qualify_record_undo(snapshot, plans=plans)
        if not plans:
            return
        events = self._last_qualified_events()
        for lead in self:
            order = plans[lead.id].order if lead.id in plans else None
            if order and lead.id in events:
                events[lead.id].undo_sale_order_id = order

    def _undo_extra_blockers(self, events):
        blockers = super()._undo_extra_blockers(events)
        # Every order of the leads, whoever may read them: what blocks the undo must be named.
        orders = self.env["sale.order"].sudo().search([("originating_lead_id", "in", self.ids)])
        for lead in self:
            event = events.get(lead.id)
            quotation = event.undo_sale_order_id if event else self.env["sale.order"]
            reasons = []
            for order in orders.filtered(lambda order, lead=lead: order.originating_lead_id == lead):
                if order != quotation:
                    reasons.append(
                        self.env._(
                            "the order %(order)s qualified it: orders are never undone", order=order.name
                        )
                    )
                elif order.state == "sent":
                    reasons.append(self.env._("the quotation %(order)s was sent", order=order.name))
                elif order.state == "sale":
                    reasons.append(self.env._("the quotation %(order)s was confirmed", order=order.name))
                elif order.state == "cancel":
                    reasons.append(self.env._("the quotation %(order)s was cancelled", order=order.name))
                elif order.invoice_ids:
                    reasons.append(self.env._("the quotation %(order)s has an invoice", order=order.name))
                elif order.write_uid not in lead._undo_allowed_users(event):
                    reasons.append(
                        self.env._(
                            "the quotation %(order)s was changed by %(user)s",
                            order=order.name,
                            user=order.write_uid.name,
                        )
                    )
            if reasons:
                blockers.setdefault(lead.id, []).extend(reasons)
        return blockers

    def _undo_lock_created(self, events):
        result = super()._undo_lock_created(events)
        self._undo_lock(
            self.env["sale.order"].union(*(event.undo_sale_order_id for event in events.values()))
        )
        return result

    def _undo_ignored_references(self, events):
        ignored = super()._undo_ignored_references(events)
        ignored["sale.order"] = {event.undo_sale_order_id.id for event in events.values()} - {False}
        return ignored

    def _undo_remove_created(self, events):
        result = super()._undo_remove_created(events)
        quotations = self.env["sale.order"].union(*(event.undo_sale_order_id for event in events.values()))
        # The system removes the quotation its qualification created and the checks found unused: a
        # salesperson may not delete orders otherwise.
        quotations = quotations.sudo().exists()
        if quotations:
            quotations._action_cancel()
            quotations.unlink()
        return result
