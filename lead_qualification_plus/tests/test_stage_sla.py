from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from ..models.crm_lead_sla import sla_writes
from .common import FRIDAY, MONDAY, StageSlaCommon


@tagged("post_install", "-at_install")
class TestStageSlaClock(StageSlaCommon):
    def test_deadline_in_calendar_days(self):
        lead = self._create_leads()
        self._enter(lead, self.stage_contacted, MONDAY)
        self.assertEqual(lead.sla_id, self.sla)
        self.assertEqual(lead.sla_state, "on_track")
        self.assertEqual(lead.sla_warning_date, datetime(2026, 1, 6, 9, 0))
        self.assertEqual(lead.sla_deadline, datetime(2026, 1, 8, 9, 0))

    def test_deadline_in_working_days_skips_weekend_and_holidays(self):
        self.sla.write({"working_days": True, "max_days": 2, "warning_days": 0})
        lead = self._create_leads()
        self._enter(lead, self.stage_contacted, FRIDAY)
        # 16 working hours from Friday 9:00: 7 on Friday, 8 on Monday, 1 on Tuesday.
        self.assertEqual(lead.sla_deadline, datetime(2026, 1, 13, 9, 0))
        self.assertFalse(lead.sla_warning_date)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 1, 12, 0, 0),
                "date_to": datetime(2026, 1, 12, 23, 59),
            }
        )
        self._enter(lead, self.stage_new, FRIDAY)
        self._enter(lead, self.stage_contacted, FRIDAY)
        self.assertEqual(lead.sla_deadline, datetime(2026, 1, 14, 9, 0))

    def test_creating_in_the_stage_starts_the_clock(self):
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        self.assertEqual(lead.sla_id, self.sla)
        self.assertEqual(lead.sla_state, "on_track")
        self.assertTrue(lead.sla_deadline)

    def test_leaving_the_stage_stops_the_clock(self):
        lead = self._create_leads()
        self._enter(lead, self.stage_contacted, MONDAY)
        lead.write({"stage_id": self.stage_qualified.id})
        self.assertFalse(lead.sla_id)
        self.assertFalse(lead.sla_deadline)
        self.assertEqual(lead.sla_state, "none")

    def test_most_specific_time_limit_wins(self):
        team_sla, opportunity_sla = self.env["crm.stage.sla"].create(
            [
                {
                    "name": "Team",
                    "stage_id": self.stage_contacted.id,
                    "max_days": 10,
                    "team_ids": [self.team.id],
                },
                {
                    "name": "Opportunities",
                    "stage_id": self.stage_contacted.id,
                    "max_days": 1,
                    "lead_type": "opportunity",
                },
            ]
        )
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        # Its team's limit beats the others, however long.
        self.assertEqual(lead.sla_id, team_sla)
        other_team = self.env["crm.team"].create({"name": "Other team", "company_id": self.company.id})
        opportunity, other_lead = self._create_leads(
            2, team_id=other_team.id, stage_id=self.stage_new.id, user_id=False
        )
        opportunity.type = "opportunity"
        (opportunity | other_lead).write({"stage_id": self.stage_contacted.id})
        self.assertEqual(opportunity.sla_id, opportunity_sla)
        self.assertEqual(other_lead.sla_id, self.sla)

    def test_a_stage_without_limit_has_no_clock(self):
        lead = self._create_leads()
        self.assertFalse(lead.sla_id)
        self.assertEqual(lead.sla_state, "none")


@tagged("post_install", "-at_install")
class TestStageSlaJob(StageSlaCommon):
    def test_warning_then_overdue_then_escalated_once(self):
        lead = self._create_leads()
        self._enter(lead, self.stage_contacted, MONDAY)
        Lead = self.env["crm.lead"]
        with freeze_time(datetime(2026, 1, 5, 12, 0)):
            Lead._cron_check_sla()
        self.assertEqual(lead.sla_state, "on_track")
        with freeze_time(datetime(2026, 1, 6, 10, 0)):
            self.assertEqual(Lead._cron_check_sla(), (1, 0))
            Lead._cron_check_sla()
        self.assertEqual(lead.sla_state, "warning")
        self.assertEqual(lead.qualification_event_ids.mapped("event"), ["sla_warning"])
        self.assertFalse(self._escalations(lead))
        with freeze_time(datetime(2026, 1, 8, 10, 0)):
            self.assertEqual(Lead._cron_check_sla(), (0, 1))
            # The next runs find nothing left to do: one escalation per entry into the stage.
            self.assertEqual(Lead._cron_check_sla(), (0, 0))
        self.assertEqual(lead.sla_state, "overdue")
        self.assertEqual(
            sorted(lead.qualification_event_ids.mapped("event")), ["sla_breached", "sla_warning"]
        )
        activity = self._escalations(lead)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_manager, "the team leader is escalated to")
        self.assertIn("LQP Contacted", activity.note)
        self.assertIn("Jan 5, 2026", activity.note, "the activity says since when")

    def test_users_cannot_reset_the_clock(self):
        """A salesperson resetting an overdue record's time limit would hide it and get it escalated twice."""
        lead = self._create_leads()
        lead.user_id = self.user_salesman
        self._enter(lead, self.stage_contacted, MONDAY)
        with freeze_time(datetime(2026, 1, 8, 10, 0)):
            self.env["crm.lead"]._cron_check_sla()
        self.assertEqual(lead.sla_state, "overdue")
        deadline = lead.sla_deadline
        attacks = [
            {"sla_state": "on_track"},
            {"sla_state": "none"},
            {"sla_deadline": datetime(2030, 1, 1)},
            {"sla_warning_date": False},
            {"sla_id": False},
        ]
        for vals in attacks:
            for user in (self.user_salesman, self.user_manager, self.env.ref("base.user_admin")):
                with self.subTest(vals=vals, user=user.login), self.assertRaises(AccessError):
                    lead.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.user_salesman).create(
                {"name": "Forged clock", "sla_state": "on_track", "sla_deadline": datetime(2030, 1, 1)}
            )
        lead.invalidate_recordset()
        self.assertEqual((lead.sla_state, lead.sla_deadline), ("overdue", deadline))
        # An unchanged value passes (an exported file imports back), and the job runs on as before.
        lead.with_user(self.user_salesman).write({"sla_state": "overdue", "description": "checked"})
        with freeze_time(datetime(2026, 1, 8, 11, 0)):
            self.assertEqual(self.env["crm.lead"]._cron_check_sla(), (0, 0))
        self.assertEqual(len(self._escalations(lead)), 1)

    def test_a_default_cannot_forge_the_clock(self):
        """A ``default_*`` context key is a value like the others: it cannot create a record already overdue,
        or on track for years."""
        Lead = self.env["crm.lead"].with_user(self.user_salesman)
        for key, value in (("default_sla_state", "overdue"), ("default_sla_deadline", datetime(2030, 1, 1))):
            with self.subTest(key=key), self.assertRaises(AccessError):
                Lead.with_context(**{key: value}).create({"name": "Forged clock", "team_id": self.team.id})
        self.assertFalse(self.env["crm.lead"].search_count([("name", "=", "Forged clock")]))
        # The value a new record has anyway passes.
        lead = Lead.with_context(default_sla_state="none").create({"name": "Clock", "team_id": self.team.id})
        self.assertEqual(lead.sla_state, "none")

    def test_reentering_the_stage_escalates_again(self):
        lead = self._create_leads()
        self._enter(lead, self.stage_contacted, MONDAY)
        with freeze_time(datetime(2026, 1, 9, 10, 0)):
            self.env["crm.lead"]._cron_check_sla()
        self.assertEqual(len(self._escalations(lead)), 1)
        self._enter(lead, self.stage_new, datetime(2026, 1, 9, 11, 0))
        self.assertEqual(lead.sla_state, "none")
        # Leaving closes nothing the user has to do.
        self.assertEqual(len(self._escalations(lead)), 1)
        self._enter(lead, self.stage_contacted, datetime(2026, 1, 12, 9, 0))
        self.assertEqual(lead.sla_state, "on_track")
        with freeze_time(datetime(2026, 1, 16, 10, 0)):
            self.env["crm.lead"]._cron_check_sla()
        self.assertEqual(lead.sla_state, "overdue")
        self.assertEqual(len(self._escalations(lead)), 2)

    def test_escalation_goes_to_the_person_named_or_falls_back(self):
        self.sla.escalate_to = "salesperson"
        own, orphan = self._create_leads(2)
        orphan.user_id = False
        self._enter(own | orphan, self.stage_contacted, MONDAY)
        with freeze_time(datetime(2026, 1, 9, 10, 0)):
            self.env["crm.lead"]._cron_check_sla()
        self.assertEqual(self._escalations(own).user_id, self.user_salesman)
        # No salesperson: the team leader.
        self.assertEqual(self._escalations(orphan).user_id, self.user_manager)

    def test_escalation_to_a_given_user(self):
        self.sla.write({"escalate_to": "user", "escalate_user_id": self.user_salesman_all.id})
        lead = self._create_leads()
        self._enter(lead, self.stage_contacted, MONDAY)
        with freeze_time(datetime(2026, 1, 9, 10, 0)):
            self.env["crm.lead"]._cron_check_sla()
        self.assertEqual(self._escalations(lead).user_id, self.user_salesman_all)

    def test_the_job_works_in_batches(self):
        leads = self._create_leads(5)
        self._enter(leads, self.stage_contacted, MONDAY)
        with freeze_time(datetime(2026, 1, 9, 10, 0)):
            self.assertEqual(self.env["crm.lead"]._cron_check_sla(batch_size=2), (0, 5))
        self.assertEqual(set(leads.mapped("sla_state")), {"overdue"})
        self.assertEqual(len(self._escalations(leads)), 5)

    def test_report_by_stage(self):
        late, recent = self._create_leads(2)
        self._enter(late, self.stage_contacted, MONDAY)
        self._enter(recent, self.stage_contacted, datetime(2026, 1, 8, 9, 0))
        with freeze_time(datetime(2026, 1, 9, 9, 0)):
            self.env["crm.lead"]._cron_check_sla()
        self.env.flush_all()
        groups = self.env["crm.stage.sla.report"].read_group(
            [("stage_id", "=", self.stage_contacted.id)],
            ["entered_count:sum", "breached_count:sum", "days_in_stage_median:median"],
            ["stage_id", "team_id", "user_id"],
            lazy=False,
        )
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["entered_count"], 2)
        self.assertEqual(groups[0]["breached_count"], 1)
        # The report's clock is the database's: both entries are in the past, three days apart.
        rows = self.env["crm.stage.sla.report"].search([("stage_id", "=", self.stage_contacted.id)])
        self.assertAlmostEqual(groups[0]["days_in_stage_median"], sum(rows.mapped("days_in_stage")) / 2, 3)


@tagged("post_install", "-at_install")
class TestStageSlaConfiguration(StageSlaCommon):
    def _values(self, **values):
        return {"name": "Limit", "stage_id": self.stage_new.id, "max_days": 2, **values}

    def test_bad_configuration_is_refused(self):
        Sla = self.env["crm.stage.sla"]
        count = Sla.search_count([])
        for values, message in (
            ({"max_days": 0}, "more than 0 days"),
            ({"max_days": -1}, "more than 0 days"),
            ({"warning_days": -1}, "negative"),
            ({"warning_days": 2}, "before its time limit"),
            ({"warning_days": 3}, "before its time limit"),
            ({"escalate_to": "user"}, "choose that user"),
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                Sla.create(self._values(**values))
        with self.assertRaisesRegex(ValidationError, "before its time limit"), self.env.cr.savepoint():
            self.sla.max_days = 1
        self.sla.invalidate_recordset()
        self.assertEqual(Sla.search_count([]), count)
        self.assertEqual(self.sla.max_days, 3)

    def test_salesperson_reads_but_cannot_configure(self):
        Sla = self.env["crm.stage.sla"].with_user(self.user_salesman)
        self.assertEqual(Sla.search([("id", "=", self.sla.id)]).name, "Contact within 3 days")
        with self.assertRaises(AccessError):
            Sla.create(self._values())
        with self.assertRaises(AccessError):
            self.sla.with_user(self.user_salesman).max_days = 10
        with self.assertRaises(AccessError):
            self.sla.with_user(self.user_salesman).unlink()
        self.env["crm.stage.sla"].with_user(self.user_manager).create(self._values())

    def test_other_company_limits_are_invisible_and_do_not_apply(self):
        other = self.env["res.company"].create({"name": "SLA other company"})
        foreign = self.env["crm.stage.sla"].create(
            self._values(company_id=other.id, stage_id=self.stage_contacted.id, max_days=1)
        )
        self.assertNotIn(foreign, self.env["crm.stage.sla"].with_user(self.user_salesman).search([]))
        lead = self._create_leads(stage_id=self.stage_contacted.id)
        self.assertEqual(lead.sla_id, self.sla)
        # A salesperson moving a record gets the clock of limits they cannot configure.
        lead2 = self._create_leads()
        lead2.with_user(self.user_salesman).write({"stage_id": self.stage_contacted.id})
        self.assertEqual(lead2.sla_id, self.sla)


@tagged("post_install", "-at_install")
class TestStageSlaUi(HttpCase, StageSlaCommon):
    def test_kanban_badge_and_filters(self):
        values = {"type": "opportunity", "user_id": self.user_manager.id}
        overdue, warning, on_track = self.env["crm.lead"].create(
            [
                {**values, "name": name, "team_id": self.team.id, "stage_id": self.stage_contacted.id}
                for name in ("SLA tour overdue", "SLA tour warning", "SLA tour on track")
            ]
        )
        # The job's outcome, written as the job does (once the clocks are started): the tour checks what the
        # user then sees.
        self.env.flush_all()
        with sla_writes():
            overdue.write({"sla_state": "overdue"})
            warning.write({"sla_state": "warning"})
        self.assertEqual(on_track.sla_state, "on_track")
        self.start_tour("/odoo", "lqp_stage_sla_kanban", login=self.user_manager.login)


@tagged("post_install", "-at_install", "is_query_count")
class TestStageSlaPerformance(StageSlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Five limits, as a real configuration would have: the job reads them once per batch.
        cls.env["crm.stage.sla"].create(
            [
                {"name": f"Limit {index}", "stage_id": cls.stage_qualified.id, "max_days": index + 1}
                for index in range(3)
            ]
            + [{"name": "New leads", "stage_id": cls.stage_new.id, "max_days": 10}]
        )

    def _flag(self, count, state, queries):
        """Flag ``count`` records entered on Monday, in one batch, in ``queries`` queries."""
        leads = self._create_leads(count)
        self._enter(leads, self.stage_contacted, MONDAY)
        self.env.flush_all()
        self.env.invalidate_all()
        moment = datetime(2026, 1, 9, 10, 0) if state == "overdue" else datetime(2026, 1, 6, 10, 0)
        with freeze_time(moment), self.assertQueryCount(queries):
            self.env["crm.lead"]._check_sla(batch_size=100)
            self.env.flush_all()
        self.assertEqual(set(leads.mapped("sla_state")), {state})

    def test_warning_queries_do_not_depend_on_the_batch_size(self):
        # A first run pays what is cached afterwards (the limits by stage, the model's id).
        self._flag(2, "warning", 11)
        # Two searches and counts, the write, the history events, the log's open entries (search, write).
        self._flag(5, "warning", 10)
        self._flag(40, "warning", 10)

    def test_escalation_queries_do_not_depend_on_the_batch_size(self):
        self._flag(2, "overdue", 35)
        # Plus the activities, created in one batch with what Odoo computes for them.
        self._flag(5, "overdue", 27)
        self._flag(40, "overdue", 27)
