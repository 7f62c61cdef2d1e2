from datetime import timedelta

from odoo import Command
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common_report import QualificationReportCommon


@tagged("post_install", "-at_install")
class TestQualificationReport(QualificationReportCommon):
    def _groups(self, groupby, fields, domain=None, user=None, **kwargs):
        """read_group as the pivot and graph views call it: eager, measures with their aggregator."""
        return self._report(user).read_group(
            self._fixture_domain() + (domain or []), fields, groupby, lazy=False, **kwargs
        )

    def _rates(self, groupby, domain=None, user=None):
        """{group key: (lead count, qualified count, conversion rate)}, keys as tuples of group labels."""
        groups = self._groups(
            groupby,
            ["lead_count:sum", "qualified_count:sum", "conversion_rate:avg"],
            domain=domain,
            user=user,
        )
        result = {}
        for group in groups:
            key = tuple(self._label(group[name]) for name in groupby)
            result[key] = (group["lead_count"], group["qualified_count"], round(group["conversion_rate"], 2))
        return result

    @staticmethod
    def _label(value):
        if isinstance(value, tuple):
            return str(value[1])
        return value or None

    # ------------------------------------------------------------
    # ROWS
    # ------------------------------------------------------------

    def test_one_row_per_lead_archived_included(self):
        """Every lead is a row, disqualified and lost ones included; a direct opportunity is not."""
        rows = self._report().search(self._fixture_domain())
        self.assertEqual(sorted(rows.lead_id.ids), sorted(self.all_leads.ids))
        self.assertEqual(rows.mapped("id"), rows.lead_id.ids, "the row id is the lead id")
        self.assertFalse(self._report().search([("lead_id", "=", self.direct_opportunity.id)]))
        archived = rows.filtered(lambda row: not row.lead_active)
        self.assertEqual(
            sorted(archived.mapped("name")),
            ["LQP report fair1", "LQP report fair3", "LQP report web3"],
        )

    def test_row_measures(self):
        """Each column of a row says what became of its lead."""
        rows = {row.lead_id: row for row in self._report().search(self._fixture_domain())}
        web1, web2, web3 = rows[self.leads["web1"]], rows[self.leads["web2"]], rows[self.leads["web3"]]
        web4, fair3 = rows[self.leads["web4"]], rows[self.leads["fair3"]]
        self.assertEqual(
            (web1.qualification_state, web1.became_opportunity, web1.won), ("qualified", True, True)
        )
        self.assertEqual(
            (web2.qualification_state, web2.became_opportunity, web2.won), ("qualified", False, False)
        )
        self.assertFalse(any(rows[lead].became_customer for lead in self.all_leads), "no order, no customer")
        self.assertEqual((web3.qualification_state, web3.reactivation_count), ("disqualified", 2))
        self.assertEqual(web3.lost_reason_id, self.reason_cannot_contact)
        self.assertEqual(
            (fair3.became_opportunity, fair3.won, fair3.lost_reason_id, fair3.lost_to_competitor_id),
            (True, False, self.reason_lost, self.competitor),
        )
        self.assertEqual(web1.source_id, self.source_web)
        self.assertEqual(web1.team_id, self.team)
        self.assertEqual(web1.user_id, self.user_salesman)
        self.assertEqual(web1.expected_revenue, 1000)
        self.assertEqual(web1.conversion_rate, 100)
        self.assertEqual(web4.conversion_rate, 0)
        self.assertEqual(
            (web1.qualification_profile_id, web2.qualification_profile_id),
            (self.profile_b2b, self.profile_webshop),
        )
        self.assertEqual((web1.days_to_qualify, web2.days_to_qualify, fair3.days_to_qualify), (2, 4, 6))
        self.assertEqual(web1.date_qualified, web1.create_date + timedelta(days=2))
        self.assertFalse(web4.days_to_qualify, "an open lead has no time to qualify")
        self.assertEqual((web3.reason_category, fair3.reason_category), ("cannot_contact", "lost"))
        self.assertEqual(web3.date_disqualified, web3.create_date + timedelta(days=1))

    # ------------------------------------------------------------
    # RATES UNDER GROUPINGS AND FILTERS
    # ------------------------------------------------------------

    def test_totals(self):
        """The whole fixture: 8 leads, 3 qualified (37.5 %), 2 opportunities, no order so no customer, 1 won
        (the sales bridge counts customers)."""
        [total] = self._groups(
            [],
            [
                "lead_count:sum",
                "qualified_count:sum",
                "disqualified_count:sum",
                "opportunity_count:sum",
                "customer_count:sum",
                "won_count:sum",
                "reactivation_count:sum",
                "expected_revenue:sum",
                "conversion_rate:avg",
                "opportunity_rate:avg",
                "customer_rate:avg",
                "disqualification_rate:avg",
            ],
        )
        self.assertEqual(total["__count"], 8)
        self.assertEqual(
            [
                total[name]
                for name in (
                    "lead_count",
                    "qualified_count",
                    "disqualified_count",
                    "opportunity_count",
                    "customer_count",
                    "won_count",
                    "reactivation_count",
                    "expected_revenue",
                )
            ],
            [8, 3, 2, 2, 0, 1, 3, 3800],
        )
        self.assertAlmostEqual(total["conversion_rate"], 37.5)
        self.assertAlmostEqual(total["opportunity_rate"], 25)
        self.assertAlmostEqual(total["customer_rate"], 0)
        self.assertAlmostEqual(total["disqualification_rate"], 25)

    def test_rate_by_source(self):
        """By source: the rate of each group is its qualified leads over its leads."""
        self.assertEqual(
            self._rates(["source_id"]),
            {
                ("LQP Website",): (4, 2, 50.0),
                ("LQP Trade fair",): (3, 1, 33.33),
                (None,): (1, 0, 0.0),
            },
        )

    def test_rate_by_salesperson(self):
        self.assertEqual(
            self._rates(["user_id"]),
            {
                ("Sally Salesman",): (4, 2, 50.0),
                ("Alan All-Leads",): (3, 1, 33.33),
                (None,): (1, 0, 0.0),
            },
        )

    def test_rate_by_source_and_month(self):
        """The pivot's source x month cells, and the months alone: never an average of the cells."""
        self.assertEqual(
            self._rates(["source_id", "create_date:month"]),
            {
                ("LQP Website", "January 2026"): (2, 2, 100.0),
                ("LQP Website", "February 2026"): (2, 0, 0.0),
                ("LQP Trade fair", "January 2026"): (1, 0, 0.0),
                ("LQP Trade fair", "February 2026"): (2, 1, 50.0),
                (None, "January 2026"): (1, 0, 0.0),
            },
        )
        self.assertEqual(
            self._rates(["create_date:month"]),
            {("January 2026",): (4, 2, 50.0), ("February 2026",): (4, 1, 25.0)},
        )

    def test_rate_by_reason(self):
        self.assertEqual(
            self._rates(["lost_reason_id"]),
            {
                ("LQP Cannot contact",): (1, 0, 0.0),
                ("LQP Spam",): (1, 0, 0.0),
                ("LQP Lost to price",): (1, 1, 100.0),
                (None,): (5, 2, 40.0),
            },
        )

    def test_rate_with_filters(self):
        """Filters (period, team, source) narrow the leads the rates are counted on."""
        february = [("create_date", ">=", "2026-02-01"), ("create_date", "<", "2026-03-01")]
        self.assertEqual(self._rates([], domain=february), {(): (4, 1, 25.0)})
        self.assertEqual(
            self._rates(["source_id"], domain=[*february, ("team_id", "=", self.team.id)]),
            {("LQP Website",): (2, 0, 0.0), ("LQP Trade fair",): (2, 1, 50.0)},
        )
        self.assertEqual(
            self._rates([], domain=[("became_opportunity", "=", True)]),
            {(): (2, 2, 100.0)},
        )

    def test_rate_by_profile_and_reason_category(self):
        self.assertEqual(
            self._rates(["qualification_profile_id"]),
            {
                ("LQP report B2B",): (2, 2, 100.0),
                ("LQP report Webshop",): (1, 1, 100.0),
                (None,): (5, 0, 0.0),
            },
        )
        self.assertEqual(
            self._rates(["reason_category"], domain=[("qualification_state", "=", "disqualified")]),
            {("cannot_contact",): (1, 0, 0.0), ("spam",): (1, 0, 0.0)},
        )

    def test_days_to_qualify(self):
        """Time to qualify: averaged over the qualified leads of each group only (2, 4 and 6 days)."""
        [total] = self._groups([], ["days_to_qualify:avg"])
        self.assertAlmostEqual(total["days_to_qualify"], 4)
        by_user = {
            group["user_id"] and group["user_id"][0]: group["days_to_qualify"]
            for group in self._groups(["user_id"], ["days_to_qualify:avg"])
        }
        self.assertAlmostEqual(by_user[self.user_salesman.id], 3)
        self.assertAlmostEqual(by_user[self.user_salesman_all.id], 6)
        self.assertFalse(by_user[False])

    def test_disqualified_with_each_category(self):
        """Leads disqualified (the real way) with each status reason category are counted by category."""
        categories = ["lost", "cannot_contact", "no_longer_interested", "canceled", "duplicate", "spam"]
        leads = self._create_leads(len(categories), name="LQP category")
        for lead, category in zip(leads, categories, strict=True):
            reason = self.env.ref(f"lead_qualification_plus.crm_lost_reason_{category}")
            lead.with_user(self.user_salesman)._disqualify(reason, note="Asked twice")
        groups = self._report(self.user_salesman).read_group(
            [("name", "=", "LQP category")],
            ["lead_count:sum", "disqualification_rate:avg"],
            ["reason_category"],
            lazy=False,
        )
        self.assertEqual(
            {
                group["reason_category"]: (group["lead_count"], group["disqualification_rate"])
                for group in groups
            },
            dict.fromkeys(categories, (1, 100.0)),
        )

    def test_order_groups_by_rate(self):
        """Sorting the groups by the rate sorts them by their true rate."""
        groups = self._groups(["user_id"], ["conversion_rate:avg"], orderby="conversion_rate desc, user_id")
        self.assertEqual(
            [group["conversion_rate"] for group in groups],
            sorted((group["conversion_rate"] for group in groups), reverse=True),
        )
        self.assertEqual(groups[0]["user_id"][0], self.user_salesman.id)

    def test_web_read_group_as_the_list_view(self):
        """The grouped list view (web_read_group, lazy, default aggregators) shows the same rates."""
        result = self._report().web_read_group(
            self._fixture_domain(),
            ["lead_count", "conversion_rate", "expected_revenue"],
            ["source_id"],
        )
        self.assertEqual(result["length"], 3)
        by_source = {group["source_id"] and group["source_id"][1]: group for group in result["groups"]}
        self.assertAlmostEqual(by_source["LQP Website"]["conversion_rate"], 50)
        self.assertAlmostEqual(by_source["LQP Trade fair"]["conversion_rate"], 100 / 3)
        self.assertEqual(by_source["LQP Trade fair"]["source_id_count"], 3)
        self.assertEqual(by_source["LQP Website"]["expected_revenue"], 1800)

    def test_read_group_private_api(self):
        """``_read_group`` (the server-side API) aggregates the rate the same way."""
        rows = self._report()._read_group(
            self._fixture_domain(), ["user_id"], ["conversion_rate:sum", "__count"]
        )
        rates = {user: (count, rate) for user, rate, count in rows}
        self.assertEqual(rates[self.user_salesman][0], 4)
        self.assertAlmostEqual(rates[self.user_salesman][1], 50)
        self.assertAlmostEqual(rates[self.user_salesman_all][1], 100 / 3)

    def test_grouped_read_is_one_query(self):
        """The pivot's source x month read is one SQL query whatever the number of leads; read_group adds one
        batch read of the sources' names for the labels."""
        report = self._report(self.user_salesman_all)
        groupby = ["source_id", "create_date:month"]
        aggregates = ["__count", "lead_count:sum", "qualified_count:sum", "conversion_rate:avg"]
        measures = ["lead_count:sum", "qualified_count:sum", "conversion_rate:avg"]
        # A first read fills what a session keeps cached (access rules, user, company).
        report.read_group(self._fixture_domain(), measures, groupby, lazy=False)
        self.env["utm.source"].invalidate_model()
        with self.assertQueryCount(1):
            rows = report._read_group(self._fixture_domain(), groupby, aggregates)
        self.assertEqual(len(rows), 5)
        # The user and company stay cached in a real session; the sources' names do not.
        self.env["utm.source"].invalidate_model()
        with self.assertQueryCount(2):
            groups = report.read_group(self._fixture_domain(), measures, groupby, lazy=False)
            self.assertEqual(
                {group["source_id"] and group["source_id"][1] for group in groups},
                {"LQP Website", "LQP Trade fair", False},
            )

    def test_grouped_read_by_source_reads_the_leads_only(self):
        """PostgreSQL drops the view's unused joins (stage, reason, history, orders) from the plan of the
        pivot's grouped read: on large data it costs a scan of the leads, nothing more."""
        self.env.cr.execute(
            """
            EXPLAIN SELECT source_id, date_trunc('month', create_date), COUNT(*), SUM(qualified_count)
                      FROM crm_qualification_report
                     GROUP BY 1, 2
            """
        )
        plan = "\n".join(line for (line,) in self.env.cr.fetchall())
        for table in ("sale_order", "crm_qualification_event", "crm_stage", "crm_lost_reason"):
            self.assertNotIn(table, plan)
        self.assertIn("crm_lead", plan)

    def test_real_flows_feed_the_report(self):
        """The report reads what qualify(), the disqualification, the reactivation and Odoo's Lost wizard
        write: no fixture shortcut."""
        to_qualify, contact_only, to_disqualify, to_lose = self._create_leads(
            4, source_id=self.source_fair.id, name="LQP flow"
        )
        sally = self.user_salesman
        to_qualify.with_user(sally).qualify(create_opportunity=True, profile_id=self.profile_b2b.id)
        contact_only.with_user(sally).qualify(profile_id=self.profile_webshop.id)
        to_disqualify.with_user(sally)._disqualify(self.reason_cannot_contact)
        to_disqualify.with_user(sally).action_reactivate()
        to_disqualify.with_user(sally)._disqualify(self.reason_spam)
        to_lose.with_user(sally).qualify(create_opportunity=True, profile_id=self.profile_b2b.id)
        to_lose.competitor_ids = [Command.create({"competitor_id": self.competitor.id})]
        self.env["crm.lead.lost"].with_user(sally).create(
            {
                "lead_ids": to_lose.ids,
                "lost_reason_id": self.reason_lost.id,
                "lost_to_competitor_id": self.competitor.id,
            }
        ).action_lost_reason_apply()

        rows = {row.lead_id: row for row in self._report(sally).search([("name", "=", "LQP flow")])}
        self.assertEqual(len(rows), 4)
        row = rows[to_qualify]
        self.assertRecordValues(
            row,
            [
                {
                    "qualification_state": "qualified",
                    "qualification_profile_id": self.profile_b2b.id,
                    "qualified_user_id": sally.id,
                    "became_opportunity": True,
                    "became_customer": False,
                    "won": False,
                }
            ],
        )
        self.assertGreaterEqual(row.days_to_qualify, 0)
        self.assertRecordValues(
            rows[contact_only],
            [{"qualification_state": "qualified", "became_opportunity": False, "became_customer": False}],
        )
        self.assertRecordValues(
            rows[to_disqualify],
            [
                {
                    "qualification_state": "disqualified",
                    "lead_active": False,
                    "reason_category": "spam",
                    "reactivation_count": 1,
                }
            ],
        )
        self.assertTrue(rows[to_disqualify].date_disqualified)
        self.assertRecordValues(
            rows[to_lose],
            [
                {
                    "qualification_state": "qualified",
                    "became_opportunity": True,
                    "lead_active": False,
                    "lost_reason_id": self.reason_lost.id,
                    "lost_to_competitor_id": self.competitor.id,
                }
            ],
        )
        [group] = self._report(sally).read_group(
            [("name", "=", "LQP flow")], ["conversion_rate:avg", "customer_rate:avg"], [], lazy=False
        )
        self.assertAlmostEqual(group["conversion_rate"], 75)
        self.assertAlmostEqual(group["customer_rate"], 0)

    def test_dashboard_actions_answer_their_question(self):
        """Each dashboard action of CRM > Reporting opens with groupings and measures the server can read."""
        xmlids = [
            "crm_qualification_report_action",
            "crm_qualification_report_action_sources",
            "crm_qualification_report_action_conversion",
            "crm_qualification_report_action_reasons",
            "crm_qualification_report_action_salespeople",
            "crm_qualification_report_action_time_to_qualify",
        ]
        report = self._report(self.user_manager)
        for xmlid in xmlids:
            with self.subTest(action=xmlid):
                action = self.env.ref(f"lead_qualification_plus.{xmlid}")
                menu = self.env["ir.ui.menu"].search([("action", "=", f"ir.actions.act_window,{action.id}")])
                self.assertEqual(menu.parent_id, self.env.ref("crm.crm_menu_report"))
                context = safe_eval(action.context, {"uid": self.user_manager.id})
                measures = [
                    f"{name}:{report._fields[name].aggregator}"
                    for name in context.get("pivot_measures", [])
                    if name != "__count"
                ]
                groupby = context.get("pivot_row_groupby", []) + context.get("pivot_column_groupby", [])
                self.assertTrue(report.read_group(self._fixture_domain(), measures, groupby, lazy=False))
                graph_measure = context.get("graph_measure", "__count")
                self.assertTrue(graph_measure == "__count" or graph_measure in report._fields)
                self.assertTrue(
                    report.read_group(self._fixture_domain(), [], context["graph_groupbys"], lazy=False)
                )

    def test_qualification_pivot_opens_by_quarter(self):
        """Three measures per month scrolled sideways after four months: the pivot opens by quarter."""
        action = self.env.ref("lead_qualification_plus.crm_qualification_report_action")
        context = safe_eval(action.context, {"uid": self.user_manager.id})
        self.assertEqual(context["pivot_column_groupby"], ["create_date:quarter"])
        arch = self.env["crm.qualification.report"].get_view(view_type="pivot")["arch"]
        self.assertIn('interval="quarter"', arch)

    def test_reasons_pie_has_one_slice_per_reason(self):
        """The pie of disqualification reasons names each slice once: grouped by category too, a slice
        read "Spam / Spam" and the legend cut it."""
        action = self.env.ref("lead_qualification_plus.crm_qualification_report_action_reasons")
        context = safe_eval(action.context, {"uid": self.user_manager.id})
        self.assertEqual(context["graph_mode"], "pie")
        self.assertEqual(context["graph_groupbys"], ["lost_reason_id"])

    # ------------------------------------------------------------
    # ACCESS
    # ------------------------------------------------------------

    def test_salesperson_sees_own_and_unassigned_leads(self):
        """Sally (own leads only) sees her 4 leads and the unassigned one; rates count only those."""
        rows = self._report(self.user_salesman).search(self._fixture_domain())
        self.assertEqual(
            sorted(rows.mapped("name")),
            sorted(f"LQP report {key}" for key in ("web1", "web2", "web4", "fair2", "none1")),
        )
        self.assertEqual(self._rates([], user=self.user_salesman), {(): (5, 2, 40.0)})

    def test_all_leads_salesperson_and_manager_see_the_company(self):
        for user in (self.user_salesman_all, self.user_manager):
            with self.subTest(user=user.name):
                self.assertEqual(self._rates([], user=user), {(): (8, 3, 37.5)})

    def test_multi_company(self):
        """A lead of another company shows only when that company is allowed and active."""
        other_company = self.env["res.company"].create({"name": "LQP Other Company"})
        other_lead = self.env["crm.lead"].create(
            {"name": "LQP report other company", "type": "lead", "company_id": other_company.id}
        )
        domain = [("lead_id", "in", (self.all_leads | other_lead).ids)]
        manager = self.user_manager
        self.assertEqual(self._report(manager).search_count(domain), 8)
        manager.company_ids |= other_company
        report = self._report(manager)
        self.assertEqual(report.with_context(allowed_company_ids=self.company.ids).search_count(domain), 8)
        self.assertEqual(
            report.with_context(allowed_company_ids=(self.company | other_company).ids).search_count(domain),
            9,
        )

    def test_report_is_read_only(self):
        report = self._report(self.user_manager)
        self.assertTrue(report.has_access("read"))
        self.assertFalse(report.has_access("write"))
        self.assertFalse(report.has_access("create"))
        self.assertFalse(report.has_access("unlink"))
