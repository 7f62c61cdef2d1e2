from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import DisqualifyCommon, LeadDomainCommon


@tagged("post_install", "-at_install")
class TestQualificationDefaults(LeadDomainCommon):
    """The qualification of a new lead is "open", whatever defaults the caller brings along."""

    def _assert_open(self, lead_name):
        self.assertFalse(self.env["crm.lead"].search([("name", "=", lead_name)]))

    def test_context_defaults_are_refused(self):
        for user in (self.user_salesman, self.user_manager):
            for fname, value in (
                ("qualification_state", "qualified"),
                ("date_qualified", "2024-01-02 10:00:00"),
                ("qualified_user_id", user.id),
                ("disqualified_stage_id", self.stage_contacted.id),
            ):
                Lead = self.env["crm.lead"].with_user(user).with_context(**{f"default_{fname}": value})
                with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError):
                    Lead.create({"name": "Forged by default", "user_id": self.user_salesman.id})
        self._assert_open("Forged by default")

    def test_personal_defaults_are_refused(self):
        """A user's own default (Odoo's "Set Defaults") is a default like any other."""
        self.env["ir.default"].with_user(self.user_salesman).set(
            "crm.lead", "qualification_state", "qualified", user_id=True
        )
        Lead = self.env["crm.lead"].with_user(self.user_salesman)
        with self.assertRaises(AccessError):
            Lead.create({"name": "Forged by default", "user_id": self.user_salesman.id})
        self._assert_open("Forged by default")

    def test_harmless_defaults_still_create(self):
        Lead = self.env["crm.lead"].with_user(self.user_salesman)
        lead = Lead.with_context(default_qualification_state="open", default_type="lead").create(
            {"name": "Plain lead", "user_id": self.user_salesman.id}
        )
        self.assertEqual(lead.qualification_state, "open")

    def test_copy_with_forged_default_is_refused(self):
        lead = self._create_leads()
        with self.assertRaises(AccessError):
            lead.with_user(self.user_salesman).copy({"qualification_state": "qualified"})

    def test_history_is_read_only(self):
        lead = self._create_leads()
        lead.with_user(self.user_salesman).qualify()
        event = lead.qualification_event_ids
        self.assertTrue(event)
        for user in (self.user_salesman, self.user_manager):
            Event = self.env["crm.qualification.event"].with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Event.create({"lead_id": lead.id, "event": "qualified", "user_id": user.id})
                with self.assertRaises(AccessError):
                    event.with_user(user).write({"user_id": user.id})
                with self.assertRaises(AccessError):
                    event.with_user(user).unlink()


@tagged("post_install", "-at_install")
class TestConditionReadsOnlyWhatTheManagerMayRead(LeadDomainCommon):
    """Rules run their conditions whoever moves a lead: a condition may not reach what its author may not
    read, else saving it and reading how many records it blocks would tell them."""

    def _assert_condition_refused(self, where, condition):
        # Odoo refuses a search on a field the user may not read (AccessError); the condition is run at save.
        with self.assertRaises(UserError):
            self._save_condition(where, condition)

    def test_field_of_a_restricted_group_is_refused(self):
        # A partner's signup token type is for user administrators only.
        for where in ("rule", "requirement", "profile"):
            with self.subTest(where=where):
                self._assert_condition_refused(where, "[('partner_id.signup_type', '=', 'reset')]")
        self._assert_condition_refused("rule", "[('partner_id', 'any', [('signup_type', '=', 'reset')])]")

    def test_model_read_in_part_is_refused(self):
        """Each user reads their own API keys only: at save the condition sees the manager's, on a move
        it would see everyone's."""
        condition = "[('company_id.user_ids.api_key_ids.name', '=like', 'a%')]"
        for where in ("rule", "requirement", "profile"):
            with self.subTest(where=where):
                self._assert_refused(
                    lambda where=where: self._save_condition(where, condition), message="only some records"
                )

    def test_readable_path_is_accepted(self):
        for condition in (
            "[('partner_id.name', '=like', 'A%')]",
            "[('partner_id.user_ids.login', '=', 'x'), ('team_id.member_ids.name', '!=', False)]",
            "[('partner_id.opportunity_ids.expected_revenue', '>', 100)]",
        ):
            with self.subTest(condition=condition):
                self.assertTrue(self._save_condition("rule", condition))

    def test_administrator_may_use_it(self):
        rule = self._save_condition("rule", "[('partner_id.signup_type', '=', 'reset')]", user=self.env.user)
        self.assertTrue(rule)


@tagged("post_install", "-at_install")
class TestConditionEscapes(LeadDomainCommon):
    """Expressions a condition never needs are refused before anything runs."""

    def test_escapes_are_refused(self):
        for condition in (
            "[('name', '=', f'{uid}')]",
            "[('name', '=', (lambda: 1)())]",
            "[('name', '=', company_ids[0])]",
            "[('name', '=', {1: 2})]",
            "[('name', '=', datetime.datetime.now().__class__)]",
            "[('name', '=', context_today().__class__.__mro__)]",
            "[('name', '=', datetime.datetime.now().tzinfo)]",
            "[('name', '=', uid if uid else 0)]",
            "[('name', '=', uid.__class__)]",
            "[('date_deadline', '<', context_today() + relativedelta(years=999999999))]",
            "[('date_deadline', '<', context_today() - timedelta(days=999999999))]",
            "[('create_date', '<', time.strftime('%Q%'))]",
            "[('name', '=', *company_ids)]",
            "[('name', '=', 'a' " + "+ 'a' " * 100 + ")][0]",
        ):
            with self.subTest(condition=condition), self.assertRaises(ValidationError):
                self._save_condition("rule", condition)


@tagged("post_install", "-at_install")
class TestOtherCompanyConfiguration(LeadDomainCommon):
    """A sales manager of one company configures that company's qualification, not another's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "LQP Other Company"})
        cls.team_b = cls.env["crm.team"].create(
            {"name": "Other Company Team", "company_id": cls.company_b.id}
        )
        cls.profile_b = cls.env["crm.qualification.profile"].create(
            {"name": "Other Company Profile", "company_id": cls.company_b.id}
        )

    def test_rule_and_profile_of_another_company_are_refused(self):
        env = self.env(user=self.user_manager)
        with self.assertRaises(AccessError):
            env["crm.transition.rule"].create(
                {"name": "Other rule", "to_stage_id": self.stage_won.id, "company_id": self.company_b.id}
            )
        with self.assertRaises(AccessError):
            env["crm.qualification.profile"].create(
                {"name": "Other profile", "company_id": self.company_b.id}
            )
        with self.assertRaises(AccessError):
            self.profile_b.with_user(self.user_manager).write({"lead_domain": "[('priority', '=', '3')]"})

    def test_team_of_another_company_is_refused(self):
        """A rule or profile bound to another company's team would bind that company's leads."""
        env = self.env(user=self.user_manager)
        with self.assertRaises(AccessError):
            env["crm.transition.rule"].create(
                {
                    "name": "Other team rule",
                    "to_stage_id": self.stage_won.id,
                    "company_id": False,
                    "team_ids": [(6, 0, self.team_b.ids)],
                }
            )
        with self.assertRaises(AccessError):
            env["crm.qualification.profile"].create(
                {"name": "Other team profile", "company_id": False, "team_ids": [(6, 0, self.team_b.ids)]}
            )
        with self.assertRaises(AccessError):
            env["crm.qualification.profile"].create(
                {"name": "Other team profile", "company_id": False, "opportunity_team_id": self.team_b.id}
            )
        rule = self._save_condition("rule", "[]")
        with self.assertRaises(AccessError):
            rule.write({"team_ids": [(4, self.team_b.id)]})
        self.assertFalse(rule.team_ids)

    def test_settings_of_another_company_are_refused(self):
        Settings = self.env["crm.qualification.settings"].with_user(self.user_manager)
        settings = Settings.create(
            {"company_id": self.company_b.id, "qualification_profile_id": self.profile_b.id}
        )
        with self.assertRaises(AccessError):
            settings.action_save()
        self.assertFalse(self.company_b.qualification_profile_id)
        settings = Settings.create({"qualification_profile_id": self.profile_b.id})
        with self.assertRaises(AccessError):
            settings.action_save()
        self.assertFalse(self.company.qualification_profile_id)

    def test_profile_of_another_company_does_not_qualify(self):
        lead = self._create_leads()
        with self.assertRaises(UserError):
            lead.with_user(self.user_salesman).qualify(profile_id=self.profile_b.id)
        wizard = (
            self.env["crm.lead.qualify"]
            .with_user(self.user_salesman)
            .create({"lead_ids": [(6, 0, lead.ids)], "profile_id": self.profile_b.id})
        )
        with self.assertRaises(UserError):
            wizard.action_qualify()
        self.assertEqual(lead.qualification_state, "open")


@tagged("post_install", "-at_install")
class TestSetAsideRecordsComeBackOneWay(DisqualifyCommon):
    """A disqualified record returns only by a reactivation, which leaves its trace, whatever the path."""

    def test_history_lines_through_the_lead(self):
        lead = self._create_leads()
        with self.assertRaises(AccessError):
            lead.with_user(self.user_salesman).write(
                {
                    "qualification_event_ids": [
                        (0, 0, {"event": "qualified", "user_id": self.user_salesman.id})
                    ]
                }
            )
        self.assertFalse(lead.qualification_event_ids)

    def test_writing_active_reactivates(self):
        """An import or an RPC write of ``active`` is Odoo's Restore: the record is open again, with its
        ``reactivated`` event, never active and still "disqualified"."""
        lead = self._create_leads()
        self._disqualify(lead, user=self.user_salesman)
        lead.with_user(self.user_salesman).write({"active": True})
        self.assertRecordValues(
            lead, [{"active": True, "qualification_state": "open", "date_disqualified": False}]
        )
        self.assertEqual(
            sorted(lead.qualification_event_ids.mapped("event")), ["disqualified", "reactivated"]
        )
