from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import TransactionCase

# Where the transition block log looks up whether it runs in a test: patched to log as in production.
BLOCK_LOG_MODULE = "odoo.addons.lead_qualification_plus.models.crm_transition_block_log"


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
