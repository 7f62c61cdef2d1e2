"""Shared fixtures and helpers of the addon's tests: every base class lives here (none in a test module, none
named ``Test*``, so that no test runs twice), with the helpers several test modules use.

Which phase a test runs in, by rule:

- ``post_install`` (``-at_install``), the default for every test here: the addon's behaviour is judged in
  the database users get, with every module of the installation loaded (the sales bridge, the web shop, other
  addons extending ``crm.lead``), and the browser tours need the whole asset bundle anyway;
- ``at_install`` only for a test of what the module's own install does (its data, its defaults), which later
  modules could change: none today.
"""

from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase

# Where the transition block log looks up whether it runs in a test: patched to log as in production.
BLOCK_LOG_MODULE = "odoo.addons.lead_qualification_plus.models.crm_transition_block_log"


# A week of the time-limit tests: their clocks start on the Monday or the Friday.
MONDAY = datetime(2026, 1, 5, 9, 0)
FRIDAY = datetime(2026, 1, 9, 9, 0)


def set_qualification_fields(records, values):
    """Write ``values``, some of them fields only the addon's own flows may change, as a fixture."""
    with records._qualification_writes():
        records.write(values)


class LeadQualificationCommon(TransactionCase):
    """Shared fixtures: a salesperson, an all-leads salesperson, a sales manager, a team with stages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.ref("base.main_company")
        cls.user_salesman = mail_new_test_user(
            cls.env,
            login="lqp_test_salesman",
            name="Sally Salesman",
            email="sally.salesman@example.com",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.user_salesman_all = mail_new_test_user(
            cls.env,
            login="lqp_test_salesman_all",
            name="Alan All-Leads",
            email="alan.all@example.com",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
        )
        cls.user_manager = mail_new_test_user(
            cls.env,
            login="lqp_test_manager",
            name="Martha Manager",
            email="martha.manager@example.com",
            groups="base.group_user,sales_team.group_sale_manager",
            company_id=cls.company.id,
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Qualification Team",
                "company_id": cls.company.id,
                "member_ids": [(4, cls.user_salesman.id), (4, cls.user_salesman_all.id)],
            }
        )
        cls.stage_new, cls.stage_contacted, cls.stage_qualified, cls.stage_won = cls.env["crm.stage"].create(
            [
                {"name": "LQP New", "sequence": 1, "team_id": cls.team.id},
                {"name": "LQP Contacted", "sequence": 2, "team_id": cls.team.id},
                {"name": "LQP Qualified", "sequence": 3, "team_id": cls.team.id},
                {"name": "LQP Won", "sequence": 4, "team_id": cls.team.id, "is_won": True},
            ]
        )

    @classmethod
    def _create_leads(cls, count=1, **values):
        """Create ``count`` leads of the test team, owned by the salesperson.

        ``values`` override the defaults for every lead."""
        return cls.env["crm.lead"].create(
            [
                {
                    "name": f"Lead {index}",
                    "type": "lead",
                    "team_id": cls.team.id,
                    "user_id": cls.user_salesman.id,
                    "stage_id": cls.stage_new.id,
                    "contact_name": f"Contact {index}",
                    "partner_name": f"Company {index}",
                    "email_from": f"contact{index}@company{index}.example.com",
                    **values,
                }
                for index in range(count)
            ]
        )

    def _open_wizard(self, model, records, user=None, form=False, **values):
        """Open the wizard ``model`` on ``records`` as their list's action menu does, as ``user`` (the test's
        user by default): a ``Form`` to fill when ``form``, else the wizard created with ``values``."""
        env = self.env(user=user) if user else self.env
        Wizard = env[model].with_context(
            active_model="crm.lead",
            active_ids=records.ids,
            active_id=records[:1].id,
            default_lead_ids=records.ids,
        )
        return Form(Wizard) if form else Wizard.create(values)


class TransitionRuleCommon(LeadQualificationCommon):
    """Fixtures of the transition-rule tests: activity types and helpers to build rules and do the work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["crm.transition.rule"]
        cls.type_call = cls.env.ref("mail.mail_activity_data_call")
        cls.type_meeting = cls.env.ref("mail.mail_activity_data_meeting")
        cls.type_email = cls.env.ref("mail.mail_activity_data_email")
        cls.field_function = cls.env["ir.model.fields"]._get("crm.lead", "function")
        cls.field_revenue = cls.env["ir.model.fields"]._get("crm.lead", "expected_revenue")
        cls.field_tags = cls.env["ir.model.fields"]._get("crm.lead", "tag_ids")

    @classmethod
    def _create_rule(cls, requirements, **values):
        """Create a rule New -> Contacted of the test team with the given requirement values."""
        return cls.Rule.create(
            {
                "name": "Log first call",
                "team_ids": [(6, 0, cls.team.ids)],
                "from_stage_ids": [(6, 0, cls.stage_new.ids)],
                "to_stage_id": cls.stage_contacted.id,
                "requirement_ids": [(0, 0, requirement) for requirement in requirements],
                **values,
            }
        )

    def _log_done(self, leads, activity_type, feedback="Done"):
        self._plan(leads, activity_type).action_feedback(feedback=feedback)

    def _plan(self, leads, activity_type):
        return self.env["mail.activity"].create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": activity_type.id,
                    "user_id": self.env.uid,
                    "date_deadline": fields.Date.today(),
                }
                for lead in leads
            ]
        )

    def _set_stage_entry(self, leads, delta_hours):
        """Pretend the leads entered their stage ``delta_hours`` from now (negative: in the past)."""
        leads.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET date_last_stage_update = %s WHERE id IN %s",
            [fields.Datetime.now() + timedelta(hours=delta_hours), tuple(leads.ids)],
        )
        leads.invalidate_recordset(["date_last_stage_update"])


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


class DisqualifyCommon(LeadQualificationCommon):
    """Disqualification and reactivation tests: reasons of each kind, and today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason_lost = cls.env.ref("lead_qualification_plus.crm_lost_reason_lost")
        cls.reason_cannot_contact = cls.env.ref("lead_qualification_plus.crm_lost_reason_cannot_contact")
        cls.reason_spam = cls.env.ref("lead_qualification_plus.crm_lost_reason_spam")
        cls.reason_opportunity = cls.env["crm.lost.reason"].create(
            {"name": "Chose another vendor", "applies_to": "opportunity", "category": "lost"}
        )
        cls.today = fields.Date.context_today(cls.env["crm.lead"])

    def _disqualify(self, leads, reason=None, user=None, **values):
        wizard = self._open_wizard(
            "crm.lead.disqualify", leads, user=user, reason_id=(reason or self.reason_spam).id, **values
        )
        return wizard.action_disqualify()


class ReactivateCommon(DisqualifyCommon):
    """Reactivation tests: the follow-up activity type."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref("lead_qualification_plus.mail_activity_type_reactivated_lead")

    @classmethod
    def _create_comeback_reason(cls, **values):
        """A reason that brings the customer's disqualified records back when they order (and as ``values``
        say)."""
        return cls.env["crm.lost.reason"].create(
            {
                "name": "Not now, maybe later",
                "applies_to": "both",
                "category": "no_longer_interested",
                "reactivate_on_order": True,
                **values,
            }
        )


class QualifyCommon(LeadQualificationCommon):
    """Qualification tests: no demo profile decides for them; each test states the profiles it relies on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Profile = cls.env["crm.qualification.profile"]
        # demo profiles would decide for the tests: each test states the profiles it relies on
        cls.Profile.search([]).action_archive()
        cls.company.qualification_profile_id = False
        cls.Partner = cls.env["res.partner"]

    def _profile(self, **values):
        return self.Profile.create({"name": "Test profile", "company_id": self.company.id, **values})

    def _qualify(self, leads, user=None, **kwargs):
        return leads.with_user(user or self.user_salesman).qualify(**kwargs)

    def _other_company_lead(self, **profile_values):
        """A second company with its own profile (``profile_values``), salesperson, team and lead: returns
        the profile, the salesperson (allowed in both companies) and the lead."""
        company_b = self.env["res.company"].create({"name": "Company B"})
        profile_b = self._profile(name="B only", company_id=company_b.id, **profile_values)
        user_b = mail_new_test_user(
            self.env,
            login="lqp_test_salesman_b",
            name="Bea B",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=company_b.id,
            company_ids=[(6, 0, (company_b | self.company).ids)],
        )
        team_b = self.env["crm.team"].create(
            {"name": "Team B", "company_id": company_b.id, "member_ids": [(4, user_b.id)]}
        )
        lead_b = self._create_leads(company_id=company_b.id, team_id=team_b.id, user_id=user_b.id)
        return profile_b, user_b, lead_b

    def _assert_policy_combinations(self, kind, **policies):
        """Qualify with every policy of ``kind`` and every choice (profile default, ticked, unticked), the
        other kinds of record following ``policies`` (Never by default): refused where the choice contradicts
        the policy, else the record created as chosen or proposed."""
        profile = self._profile()
        for policy in ("always", "default_on", "default_off", "never"):
            for choice in (None, True, False):
                with self.subTest(kind=kind, policy=policy, choice=choice):
                    profile.write(
                        {
                            **{f"{other}_policy": "never" for other in ("partner", "contact", "opportunity")},
                            **{f"{other}_policy": value for other, value in policies.items()},
                            f"{kind}_policy": policy,
                        }
                    )
                    lead = self._create_leads()
                    if (choice is True and policy == "never") or (choice is False and policy == "always"):
                        with self.assertRaises(UserError):
                            self._qualify(lead, profile_id=profile.id, **{f"create_{kind}": choice})
                        self.assertEqual(lead.qualification_state, "open")
                        continue
                    [result] = self._qualify(lead, profile_id=profile.id, **{f"create_{kind}": choice})
                    created = choice if choice is not None else policy in ("always", "default_on")
                    self.assertEqual(bool(result[f"{kind}_id"]), created)
                    self.assertEqual(lead.type == "opportunity", kind == "opportunity" and created)
                    self.assertEqual(lead.qualification_state, "qualified")


class UndoQualificationCommon(QualifyCommon):
    """Undoing a qualification: leads qualified by the salesperson, undone with a reason."""

    def _qualified(self, count=1, **kwargs):
        leads = self._create_leads(count)
        results = self._qualify(leads, **kwargs)
        return leads, results

    def _undo(self, leads, user=None, reason="Qualified by mistake"):
        return leads.with_user(user or self.user_salesman).action_undo_qualification(reason=reason)


class LeadDomainCommon(TransitionRuleCommon):
    """A rule, a domain requirement and a profile: the three places a manager types a condition on leads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Profile = cls.env["crm.qualification.profile"]
        # demo profiles would decide for the tests: each test states the profiles it relies on
        cls.Profile.search([]).action_archive()
        cls.company.qualification_profile_id = False
        cls.group_system = cls.env.ref("base.group_system")

    def _assert_refused(self, save, message="cannot be evaluated", exception=ValidationError):
        """Assert that ``save()`` is refused with ``message`` (assertRaises rolls back what it wrote)."""
        with self.assertRaises(exception) as caught:
            save()
        self.assertIn(message, str(caught.exception))
        return caught.exception

    def _save_condition(self, where, condition, user=None):
        """Save ``condition`` as a rule's condition, a domain requirement or a profile's suitable leads."""
        env = self.env(user=user or self.user_manager)
        if where == "rule":
            return env["crm.transition.rule"].create(
                {"name": "Condition rule", "to_stage_id": self.stage_won.id, "lead_domain": condition}
            )
        if where == "requirement":
            return env["crm.transition.rule"].create(
                {
                    "name": "Condition requirement",
                    "to_stage_id": self.stage_won.id,
                    "requirement_ids": [
                        Command.create({"name": "Matches", "kind": "domain", "domain": condition})
                    ],
                }
            )
        return env["crm.qualification.profile"].create(
            {"name": "Condition profile", "company_id": self.company.id, "lead_domain": condition}
        )


class CustomFieldCommon(LeadDomainCommon):
    """Two custom fields, created by each class: deleting one reloads the registry for the class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.field_budget = cls.env["ir.model.fields"].create(
            {
                "name": "x_lqp_budget",
                "field_description": "Budget",
                "model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "ttype": "integer",
            }
        )
        cls.field_segment = cls.env["ir.model.fields"].create(
            {
                "name": "x_lqp_segment",
                "field_description": "Segment",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "ttype": "char",
            }
        )


class TransitionPopupTourCommon(TransitionRuleCommon):
    """The checklist tour, run at more than one screen size."""

    def _run_transition_popup_tour(self):
        """A salesperson opens a lead, clicks the transition button, fills the field, logs the call, moves."""
        self._create_rule(
            [
                {"name": "Job position known", "kind": "field", "field_id": self.field_function.id},
                {
                    # A long name: it must be read in full, not cut to "Call the ...".
                    "name": "Call the customer, and note what they need for the new floor",
                    "kind": "activity_done",
                    "activity_type_id": self.type_call.id,
                },
                {"name": "Tagged", "kind": "field", "field_id": self.field_tags.id},
                {"name": "Summary noted", "kind": "note"},
            ],
            guidance="<p>Ask who decides.</p>",
        )
        tag = self.env["crm.tag"].create({"name": "Tour hot"})
        lead = self._create_leads(name="Tour transition lead", function=False)
        self.start_tour("/odoo", "lqp_transition_popup", login=self.user_salesman.login)
        self.assertEqual(lead.stage_id, self.stage_contacted)
        self.assertEqual(lead.function, "Chief Buyer")
        self.assertEqual(lead.tag_ids, tag)
        done = lead.message_ids.filtered(lambda message: message.mail_activity_type_id == self.type_call)
        self.assertIn("Wants 40 desks before March", done.body)


class StageSlaCommon(LeadQualificationCommon):
    """A team led by the manager; a time limit of 3 calendar days on "Contacted", warning after 1 day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.user_id = cls.user_manager
        # Working hours in UTC, Monday to Friday 8-12 and 13-17 (the calendar's default attendances).
        cls.calendar = cls.env["resource.calendar"].create({"name": "SLA test hours", "tz": "UTC"})
        cls.company.resource_calendar_id = cls.calendar
        cls.sla = cls.env["crm.stage.sla"].create(
            {
                "name": "Contact within 3 days",
                "stage_id": cls.stage_contacted.id,
                "max_days": 3,
                "warning_days": 1,
                "escalate_to": "team_leader",
            }
        )

    def _enter(self, leads, stage, when):
        """Move ``leads`` to ``stage`` as if it happened at ``when`` (the transaction's clock is fixed)."""
        leads.write({"stage_id": stage.id})
        leads.write({"date_last_stage_update": when})

    def _escalations(self, leads):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                ("activity_type_id", "=", self.sla.activity_type_id.id),
            ]
        )


class ProcessDiagramTourCommon(TransitionRuleCommon):
    """The process diagram tour, run at more than one screen size."""

    def _run_process_diagram_tour(self):
        """A sales manager opens the diagram from the configuration, reads it and opens a rule from it."""
        call = {"name": "Call", "kind": "activity_done", "activity_type_id": self.type_call.id}
        job = {"name": "Job position known", "kind": "field", "field_id": self.field_function.id}
        self._create_rule([call, job])
        self._create_rule([job], name="Sign", from_stage_ids=[Command.clear()], to_stage_id=self.stage_won.id)
        self.Rule.create(
            {
                "name": "Budget known",
                "target": "qualify",
                "team_ids": [Command.set(self.team.ids)],
                "from_stage_ids": [Command.set(self.stage_contacted.ids)],
                "requirement_ids": [
                    Command.create({"name": "Budget", "kind": "field", "field_id": self.field_revenue.id})
                ],
            }
        )
        self.start_tour("/odoo", "lqp_process_diagram", login=self.user_manager.login)
