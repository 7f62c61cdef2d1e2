from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.translate import xml_translate

from .common import MONDAY, StageSlaCommon


class StageSlaLogCommon(StageSlaCommon):
    def _entries(self, leads):
        return self.env["crm.lead.sla.entry"].search([("lead_id", "in", leads.ids)], order="id")

    def _move_queries(self, leads, stage):
        """The number of queries moving ``leads`` to ``stage`` costs, written to the database."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        leads.write({"stage_id": stage.id})
        self.env.flush_all()
        return self.env.cr.sql_log_count - before


@tagged("post_install", "-at_install")
class TestStageSlaLog(StageSlaLogCommon):
    def test_entering_a_stage_with_a_limit_opens_an_entry(self):
        created = self._create_leads(stage_id=self.stage_contacted.id, type="opportunity")
        entry = self._entries(created)
        self.assertEqual(len(entry), 1)
        self.assertEqual(
            (entry.stage_id, entry.sla_id, entry.team_id, entry.user_id, entry.company_id, entry.lead_type),
            (self.stage_contacted, self.sla, self.team, self.user_salesman, self.company, "opportunity"),
        )
        self.assertEqual(entry.entered_on, created.date_last_stage_update)
        self.assertEqual(entry.deadline, created.sla_deadline)
        self.assertFalse(entry.left_on)
        self.assertFalse(entry.warned or entry.breached)
        # A mass move (the kanban's, a list's mass edit, RPC) opens one entry per record it moves.
        moved = self._create_leads(3)
        self.assertFalse(self._entries(moved), "New has no time limit")
        moved.write({"stage_id": self.stage_contacted.id})
        self.assertEqual(self._entries(moved).lead_id, moved)
        # Writing the same stage again is no new entry.
        moved.write({"stage_id": self.stage_contacted.id})
        self.assertEqual(len(self._entries(moved)), 3)

    def test_an_import_into_the_stage_opens_an_entry(self):
        result = self.env["crm.lead"].load(
            ["name", "type", "team_id", "stage_id"],
            [["Imported lead", "lead", self.team.name, self.stage_contacted.name]],
        )
        self.assertFalse(result["messages"])
        lead = self.env["crm.lead"].browse(result["ids"])
        self.assertEqual(self._entries(lead).stage_id, self.stage_contacted)

    def test_leaving_closes_the_entry_and_the_breach_stays(self):
        lead = self._create_leads()
        self._enter(lead, self.stage_contacted, MONDAY)
        entry = self._entries(lead)
        self.assertEqual(entry.entered_on, MONDAY, "a stage date written by hand corrects the open entry")
        with freeze_time(datetime(2026, 1, 6, 10, 0)):
            self.env["crm.lead"]._cron_check_sla()
        self.assertTrue(entry.warned)
        with freeze_time(datetime(2026, 1, 9, 10, 0)):
            self.env["crm.lead"]._cron_check_sla()
        self.assertTrue(entry.breached)
        lead.write({"stage_id": self.stage_qualified.id})
        self.assertEqual(entry.left_on, lead.date_last_stage_update)
        self.assertTrue(entry.breached, "a breach stays in the log once the record has left")
        # Entering again opens a new entry, on time until the job says otherwise.
        lead.write({"stage_id": self.stage_contacted.id})
        entries = self._entries(lead)
        self.assertEqual(len(entries), 2)
        self.assertFalse(entries[1].left_on or entries[1].breached)
        self.assertTrue(entries[0].left_on)

    def test_won_and_lost_close_the_entry_and_restoring_reopens_it(self):
        won, lost = self._create_leads(2, stage_id=self.stage_contacted.id, type="opportunity")
        won.action_set_won()
        self.assertEqual(won.stage_id, self.stage_won)
        self.assertTrue(self._entries(won).left_on)
        lost.action_set_lost()
        entry = self._entries(lost)
        self.assertTrue(entry.left_on, "a lost record no longer runs the stage's clock")
        # Restored in the same stage entry: the same entry goes on, no new one.
        lost.action_unarchive()
        self.assertEqual(self._entries(lost), entry)
        self.assertFalse(entry.left_on)

    def test_a_mass_move_costs_the_queries_of_a_single_move(self):
        warm, single, many = self._create_leads(1), self._create_leads(1), self._create_leads(20)
        # The first move pays what is cached afterwards (the limits by stage).
        self._move_queries(warm, self.stage_contacted)
        entering = self._move_queries(single, self.stage_contacted)
        self.assertEqual(self._move_queries(many, self.stage_contacted), entering)
        self.assertEqual(len(self._entries(many)), 20)
        leaving = self._move_queries(single, self.stage_qualified)
        self.assertEqual(self._move_queries(many, self.stage_qualified), leaving)
        self.assertTrue(all(self._entries(many).mapped("left_on")))

    def test_backfill_of_records_already_on_a_clock(self):
        lead = self._create_leads()
        self._enter(lead, self.stage_contacted, MONDAY)
        with freeze_time(datetime(2026, 1, 9, 10, 0)):
            self.env["crm.lead"]._cron_check_sla()
        # As before the log existed: the record runs a clock and has no entry.
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM crm_lead_sla_entry WHERE lead_id = %s", [lead.id])
        self.env.invalidate_all()
        Entry = self.env["crm.lead.sla.entry"]
        Entry.init()
        Entry.init()
        entry = self._entries(lead)
        self.assertEqual(len(entry), 1, "updating the module again makes no second entry")
        self.assertEqual(
            (entry.entered_on, entry.stage_id, entry.left_on), (MONDAY, self.stage_contacted, False)
        )
        self.assertTrue(entry.breached)

    def test_badge_title_is_translatable(self):
        terms = []
        view = self.env.ref("lead_qualification_plus.crm_lead_view_kanban_stakeholders")
        xml_translate(terms.append, view.arch_db)
        self.assertIn("Time limit: {{ record.sla_deadline.value }}", terms)


@tagged("post_install", "-at_install")
class TestStageSlaReport(StageSlaLogCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_team = cls.env["crm.team"].create({"name": "Other SLA team", "company_id": cls.company.id})
        cls.leads = cls._create_leads(5)
        cls.other_lead = cls._create_leads(1, user_id=cls.user_salesman_all.id, team_id=cls.other_team.id)
        # Known entries, as the log keeps them: Sally's three past entries into "Contacted" (1, 2 and 6
        # days, the last one breached), one still open, and Alan's breached one in another team.
        entries = [
            (cls.leads[0], MONDAY, 1, False),
            (cls.leads[1], MONDAY, 2, False),
            (cls.leads[2], MONDAY, 6, True),
            (cls.other_lead, MONDAY, 4, True),
        ]
        Entry = cls.env["crm.lead.sla.entry"]
        values = [
            {
                **Entry._values_for(lead),
                "stage_id": cls.stage_contacted.id,
                "sla_id": cls.sla.id,
                "entered_on": entered,
                "left_on": entered + timedelta(days=days),
                "deadline": entered + timedelta(days=3),
                "breached": breached,
            }
            for lead, entered, days, breached in entries
        ]
        values.append({**values[0], "lead_id": cls.leads[3].id, "left_on": False, "breached": False})
        Entry.create(values)
        cls.env.flush_all()

    def _figures(self, user=None, groupby=("stage_id", "team_id", "user_id")):
        Report = self.env["crm.stage.sla.report"].with_user(user or self.env.user)
        groups = Report.read_group(
            [("stage_id", "=", self.stage_contacted.id)],
            [
                "entered_count:sum",
                "breached_count:sum",
                "open_count:sum",
                "days_in_stage_median:median",
                "days_in_stage:avg",
            ],
            list(groupby),
            lazy=False,
        )
        return {tuple(group[name] and group[name][0] for name in groupby): group for group in groups}

    def test_figures_by_stage_team_and_salesperson(self):
        figures = self._figures()
        sally = figures[(self.stage_contacted.id, self.team.id, self.user_salesman.id)]
        self.assertEqual(
            (sally["entered_count"], sally["breached_count"], sally["open_count"]),
            (4, 1, 1),
            "past entries count, breached ones too, whatever the records do now",
        )
        self.assertGreater(
            sally["days_in_stage_median"], 2, "the open entry runs since Monday: over 300 days"
        )
        alan = figures[(self.stage_contacted.id, self.other_team.id, self.user_salesman_all.id)]
        self.assertEqual((alan["entered_count"], alan["breached_count"], alan["open_count"]), (1, 1, 0))
        self.assertAlmostEqual(alan["days_in_stage_median"], 4, 3)
        # The closed entries alone: the median of 1, 2 and 6 days is 2, their average 3.
        closed = self.env["crm.stage.sla.report"].read_group(
            [("user_id", "=", self.user_salesman.id), ("date_left", "!=", False)],
            ["entered_count:sum", "days_in_stage_median:median", "days_in_stage:avg"],
            ["stage_id"],
            lazy=False,
        )[0]
        self.assertEqual(closed["entered_count"], 3)
        self.assertAlmostEqual(closed["days_in_stage_median"], 2, 3)
        self.assertAlmostEqual(closed["days_in_stage"], 3, 3)
        # By stage alone, everyone's entries.
        stage = self._figures(groupby=("stage_id",))[(self.stage_contacted.id,)]
        self.assertEqual((stage["entered_count"], stage["breached_count"]), (5, 2))

    def test_a_salesperson_sees_the_rows_of_the_records_they_may_read(self):
        # The test's records only: the demo data has entries too.
        domain = [("lead_id", "in", (self.leads | self.other_lead).ids)]
        Entry = self.env["crm.lead.sla.entry"]
        own = self.leads[:4]
        self.assertEqual(Entry.with_user(self.user_salesman).search(domain).lead_id, own)
        self.assertEqual(
            set(self._figures(self.user_salesman)),
            {(self.stage_contacted.id, self.team.id, self.user_salesman.id)},
        )
        # The rows follow the record's current salesperson, as its own rules do.
        self.leads[0].user_id = self.user_salesman_all
        self.assertEqual(Entry.with_user(self.user_salesman).search(domain).lead_id, own - self.leads[0])
        self.assertEqual(
            self._figures(self.user_salesman)[(self.stage_contacted.id, self.team.id, self.user_salesman.id)][
                "entered_count"
            ],
            3,
        )
        # A manager sees every row of their companies.
        self.assertEqual(len(Entry.with_user(self.user_manager).search(domain)), 5)
        self.assertEqual(
            sum(group["entered_count"] for group in self._figures(self.user_manager).values()), 5
        )

    def test_nobody_writes_the_log(self):
        entry = self._entries(self.leads[0])
        for user in (self.user_salesman, self.user_manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    entry.with_user(user).write({"breached": False})
                with self.assertRaises(AccessError):
                    entry.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.env["crm.lead.sla.entry"].with_user(user).create(
                        {
                            "lead_id": self.leads[4].id,
                            "stage_id": self.stage_contacted.id,
                            "entered_on": MONDAY,
                        }
                    )
        self.assertFalse(self._entries(self.leads[4]))
        self.assertTrue(entry.exists())

    def test_other_company_rows_are_invisible(self):
        other = self.env["res.company"].create({"name": "SLA log other company"})
        foreign = self.env["crm.lead"].create(
            {"name": "Foreign lead", "company_id": other.id, "team_id": False}
        )
        self.env["crm.lead.sla.entry"].create(
            {
                "lead_id": foreign.id,
                "stage_id": self.stage_contacted.id,
                "company_id": other.id,
                "entered_on": MONDAY,
            }
        )
        for user in (self.user_salesman_all, self.user_manager):
            with self.subTest(user=user.login):
                self.assertNotIn(foreign, self.env["crm.lead.sla.entry"].with_user(user).search([]).lead_id)
                rows = self.env["crm.stage.sla.report"].with_user(user).search([])
                self.assertNotIn(foreign, rows.lead_id)
