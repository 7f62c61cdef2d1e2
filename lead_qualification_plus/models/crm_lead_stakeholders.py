from markupsafe import Markup

from odoo import api, models
from odoo.tools import format_list


class CrmLead(models.Model):
    """Stakeholders and competitors of a lead: attaching stakeholders to the customer's company, and
    carrying the lines over when Odoo merges leads (the merge hooks themselves are in crm_lead.py)."""

    _inherit = "crm.lead"

    def _attach_stakeholders_to_company(self):
        """Make the stakeholders' contacts that have no company contacts of their lead's company.

        For each lead of self whose partner belongs to a company (its commercial partner is a company),
        every stakeholder contact without a parent company gets that company as parent. Contacts that
        already belong to a company are left alone; the stakeholder lines stay on the lead. When one
        contact is a stakeholder of several leads of self with different companies, the first lead of self
        wins. Runs with the caller's rights, one write per company: a contact the user may not write is left
        as it was, and the lead's chatter says so. Returns the contacts attached.
        """
        Partner = self.env["res.partner"]
        free_contacts = self.stakeholder_ids.partner_id.filtered(
            lambda partner: not partner.parent_id and not partner.is_company
        )
        # Checked once for all the leads: the cost does not grow with them.
        writable = self._filter_attachable_contacts(free_contacts)
        contacts_by_company = {}
        attached = Partner
        left_alone = {}
        for lead in self:
            company = lead.partner_id.commercial_partner_id
            if not company.is_company:
                continue
            contacts = (lead.stakeholder_ids.partner_id & free_contacts) - attached
            if contacts - writable:
                left_alone[lead.id] = contacts - writable
            contacts &= writable
            if contacts:
                contacts_by_company[company] = contacts_by_company.get(company, Partner) | contacts
                attached |= contacts
        for company, contacts in contacts_by_company.items():
            contacts.write({"parent_id": company.id})
        if left_alone:
            self.browse(left_alone)._message_log_batch(
                bodies={
                    lead_id: Markup("<p>%s</p>")
                    % self.env._(
                        "Stakeholders left as they were (not yours to edit): %(contacts)s.",
                        contacts=format_list(self.env, contacts.mapped("display_name")),
                    )
                    for lead_id, contacts in left_alone.items()
                }
            )
        return attached

    @api.model
    def _filter_attachable_contacts(self, contacts):
        """The contacts of ``contacts`` the user may give a company (write), checked without writing."""
        writable = contacts._filtered_access("write")
        if self.env.su or not self.env["res.users"].has_access("write"):
            # Odoo lets only user administrators write the contact of another internal user (see
            # res.partner.write); the system's own flows do not move a colleague's contact either.
            writable = writable.filtered(
                lambda partner: (
                    not any(user._is_internal() and user != self.env.user for user in partner.user_ids)
                )
            )
        return writable

    def _merge_dependences_stakeholders(self, opportunities):
        """Move the stakeholders of ``opportunities`` to self, one line per contact.

        The line already on self wins, then the one of the first opportunity (Odoo's merge order); the other
        duplicates are deleted.
        """
        self._merge_lines(opportunities.stakeholder_ids, self.stakeholder_ids, "partner_id")

    def _merge_dependences_competitors(self, opportunities):
        """Move the competitors of ``opportunities`` to self, one line per competitor (see stakeholders)."""
        self._merge_lines(opportunities.competitor_ids, self.competitor_ids, "competitor_id")

    def _merge_lines(self, tail_lines, head_lines, key):
        self.ensure_one()
        seen = set(head_lines.mapped(f"{key}.id"))
        moved = tail_lines.browse()
        for line in tail_lines:
            if line[key].id not in seen:
                seen.add(line[key].id)
                moved |= line
        (tail_lines - moved).unlink()
        moved.write({"lead_id": self.id})
