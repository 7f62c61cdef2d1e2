from .common import LeadQualificationCommon


class StakeholderCommon(LeadQualificationCommon):
    """Roles, contacts and competitors for the stakeholder and competitor tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_decision_maker = cls.env.ref("lead_qualification_plus.crm_stakeholder_role_decision_maker")
        cls.role_influencer = cls.env.ref("lead_qualification_plus.crm_stakeholder_role_influencer")
        cls.customer = cls.env["res.partner"].create({"name": "Northwind Traders", "is_company": True})
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Nancy Davolio", "parent_id": cls.customer.id}
        )
        cls.other_company = cls.env["res.partner"].create({"name": "Contoso", "is_company": True})
        cls.employed_contact = cls.env["res.partner"].create(
            {"name": "Carl Contoso", "parent_id": cls.other_company.id}
        )
        cls.free_contact, cls.free_contact_2 = cls.env["res.partner"].create(
            [{"name": "Frida Freelance"}, {"name": "Fred Floating"}]
        )
        cls.competitor_a, cls.competitor_b = cls.env["crm.competitor"].create(
            [{"name": "Acme Rival"}, {"name": "Bolt Rival"}]
        )

    @classmethod
    def _add_stakeholder(cls, lead, partner, role=False, **values):
        return cls.env["crm.lead.stakeholder"].create(
            {"lead_id": lead.id, "partner_id": partner.id, "role_id": role and role.id, **values}
        )

    @classmethod
    def _add_competitor(cls, lead, competitor, **values):
        return cls.env["crm.lead.competitor"].create(
            {"lead_id": lead.id, "competitor_id": competitor.id, **values}
        )
