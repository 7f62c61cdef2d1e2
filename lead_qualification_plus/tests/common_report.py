from datetime import datetime, timedelta

from odoo import Command

from .common import LeadQualificationCommon, set_qualification_fields


class QualificationReportCommon(LeadQualificationCommon):
    """Hand-counted leads covering every state and path of a lead, for the qualification reports.

    ====  ======  ========  =====  ============================================  ========  ======
    lead  source  owner     month  path                                          days to   revenue
                                                                                 qualify
    ====  ======  ========  =====  ============================================  ========  ======
    web1  web     Sally     Jan    qualified with opportunity, won               2         1000
    web2  web     Sally     Jan    qualified without opportunity                 4         500
    web3  web     Alan      Feb    disqualified (cannot contact), reactivated
                                   twice
    web4  web     Sally     Feb    open                                                    300
    fair1 fair    Alan      Feb    disqualified (spam)
    fair2 fair    Sally     Jan    open, reactivated once
    fair3 fair    Alan      Feb    qualified with opportunity, then lost to a    6         2000
                                   competitor
    none1 -       nobody    Jan    open
    ====  ======  ========  =====  ============================================  ========  ======

    Not in the report: an opportunity created directly in the pipeline (never a lead). No lead has an order
    here: the sales bridge's tests add them (web1 and web2 customers, web4 a draft quotation).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source_web, cls.source_fair = cls.env["utm.source"].create(
            [{"name": "LQP Website"}, {"name": "LQP Trade fair"}]
        )
        cls.reason_cannot_contact, cls.reason_spam, cls.reason_lost = cls.env["crm.lost.reason"].create(
            [
                {"name": "LQP Cannot contact", "applies_to": "lead", "category": "cannot_contact"},
                {"name": "LQP Spam", "applies_to": "lead", "category": "spam"},
                {"name": "LQP Lost to price", "applies_to": "opportunity", "category": "lost"},
            ]
        )
        cls.profile_b2b, cls.profile_webshop = cls.env["crm.qualification.profile"].create(
            [{"name": "LQP report B2B"}, {"name": "LQP report Webshop", "opportunity_policy": "never"}]
        )
        cls.competitor = cls.env["crm.competitor"].create({"name": "LQP Rival Inc."})
        sally, alan = cls.user_salesman, cls.user_salesman_all
        specs = {
            "web1": (cls.source_web, sally, 1, 1000),
            "web2": (cls.source_web, sally, 1, 500),
            "web3": (cls.source_web, alan, 2, 0),
            "web4": (cls.source_web, sally, 2, 300),
            "fair1": (cls.source_fair, alan, 2, 0),
            "fair2": (cls.source_fair, sally, 1, 0),
            "fair3": (cls.source_fair, alan, 2, 2000),
            "none1": (cls.env["utm.source"], cls.env["res.users"], 1, 0),
        }
        leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"LQP report {key}",
                    "type": "lead",
                    "team_id": cls.team.id,
                    "user_id": user.id,
                    "stage_id": cls.stage_new.id,
                    "source_id": source.id,
                    "expected_revenue": revenue,
                    "contact_name": f"Contact {key}",
                    "email_from": f"{key}@report.example.com",
                }
                for key, (source, user, _month, revenue) in specs.items()
            ]
        )
        cls.leads = dict(zip(specs, leads, strict=True))
        cls.all_leads = leads
        cls.direct_opportunity = cls.env["crm.lead"].create(
            {"name": "LQP report direct opportunity", "type": "opportunity", "team_id": cls.team.id}
        )
        cls.env.flush_all()
        # Creation dates are what the months are counted on: set them as a past import would.
        for key, (_source, _user, month, _revenue) in specs.items():
            cls.env.cr.execute(
                "UPDATE crm_lead SET create_date = %s WHERE id = %s",
                (datetime(2026, month, 10, 9, 0), cls.leads[key].id),
            )
        cls.env.invalidate_all()

        cls._qualify(cls.leads["web1"], days=2, opportunity=True, profile=cls.profile_b2b)
        cls._qualify(cls.leads["web2"], days=4, opportunity=False, profile=cls.profile_webshop)
        cls._qualify(cls.leads["fair3"], days=6, opportunity=True, profile=cls.profile_b2b)
        cls.leads["web1"].stage_id = cls.stage_won
        cls.leads["fair3"].competitor_ids = [Command.create({"competitor_id": cls.competitor.id})]
        cls.leads["fair3"].write(
            {
                "active": False,
                "probability": 0,
                "lost_reason_id": cls.reason_lost.id,
                "lost_to_competitor_id": cls.competitor.id,
            }
        )
        cls._disqualify(cls.leads["web3"], cls.reason_cannot_contact)
        cls._disqualify(cls.leads["fair1"], cls.reason_spam)
        cls.leads["web3"]._log_qualification_event("reactivated")
        cls.leads["web3"]._log_qualification_event("disqualified", reason=cls.reason_cannot_contact)
        cls.leads["web3"]._log_qualification_event("reactivated")
        cls.leads["fair2"]._log_qualification_event("reactivated")

    @classmethod
    def _qualify(cls, lead, days, opportunity, profile):
        """Qualify as ``qualify()`` records it, ``days`` after the lead's creation (hand-counted dates)."""
        values = {
            "qualification_state": "qualified",
            "qualification_profile_id": profile.id,
            "date_qualified": lead.create_date + timedelta(days=days),
            "qualified_user_id": lead.user_id.id,
        }
        if opportunity:
            values.update(type="opportunity", date_conversion=lead.create_date)
        set_qualification_fields(lead, values)
        lead._log_qualification_event("qualified")

    @classmethod
    def _disqualify(cls, lead, reason):
        set_qualification_fields(
            lead,
            {
                "qualification_state": "disqualified",
                "date_disqualified": lead.create_date + timedelta(days=1),
                "active": False,
                "probability": 0,
                "lost_reason_id": reason.id,
            },
        )
        lead._log_qualification_event("disqualified", reason=reason)

    def _report(self, user=None):
        report = self.env["crm.qualification.report"]
        return report.with_user(user) if user else report

    def _fixture_domain(self):
        return [("lead_id", "in", self.all_leads.ids)]
