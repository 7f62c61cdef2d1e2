from odoo.tests import tagged, users

from .common import QualifyCommon

# The 20 leads run, with some room for the environment (installed apps add their own queries).
QUERIES_20 = 250
# What each more created record (company, contact, converted opportunity) may add at most.
QUERIES_PER_RECORD = 1


@tagged("post_install", "-at_install")
class TestQualifyPerformance(QualifyCommon):
    def _create_batch(self, prefix, count):
        return self.env["crm.lead"].create(
            [
                {
                    "name": f"{prefix} lead {index}",
                    "type": "lead",
                    "team_id": self.team.id,
                    "user_id": self.user_salesman.id,
                    "stage_id": self.stage_new.id,
                    "contact_name": f"{prefix} contact {index}",
                    "partner_name": f"{prefix} company {index}",
                    "email_from": f"{prefix}.{index}@perf.example.com",
                    "phone": f"+32 470 {prefix[-1]}{index:05d}",
                }
                for index in range(count)
            ]
        )

    @users("lqp_test_salesman")
    def test_mass_qualify_queries(self):
        """Company + contact + opportunity for 20 then 40 leads: the 20 more leads create 40 more partners
        and convert 20 more opportunities (60 more created records); the queries may grow by at most
        QUERIES_PER_RECORD (1) per created record. Measured: 235 queries for 20 leads, 277 for 40."""
        self._create_batch("warmup", 2).with_user(self.env.user).qualify()
        leads_20 = self._create_batch("batch20", 20).with_user(self.env.user)
        leads_40 = self._create_batch("batch40", 40).with_user(self.env.user)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(lqp_test_salesman=QUERIES_20):
            before = self.env.cr.sql_log_count
            leads_20.qualify()
            self.env.flush_all()
            queries_20 = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        created_more = 20 * 2 + 20
        with self.assertQueryCount(lqp_test_salesman=QUERIES_20 + QUERIES_PER_RECORD * created_more):
            before = self.env.cr.sql_log_count
            leads_40.qualify()
            self.env.flush_all()
            queries_40 = self.env.cr.sql_log_count - before
        self.assertLessEqual(
            queries_40 - queries_20,
            QUERIES_PER_RECORD * created_more,
            f"20 leads: {queries_20} queries, 40 leads: {queries_40} queries",
        )
