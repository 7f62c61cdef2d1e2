"""Benchmark scenarios, in pairs. Each issue that states a speed goal adds its pair here.

A scenario has a ``setup(env)`` that prepares data (not timed) and returns it, and a ``run(env, data)``
that is timed. ``db`` says which scratch database it runs in: ``with`` the addon or ``without`` it.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from odoo import fields


@dataclass(frozen=True)
class Scenario:
    label: str
    db: str
    setup: Any
    run: Any


@dataclass(frozen=True)
class Pair:
    a: Scenario
    b: Scenario
    goal: float | None = None  # the A/B wall ratio the project commits to, if any


def _lead_values(count):
    return [
        {
            "name": f"Bench lead {index}",
            "type": "lead",
            "contact_name": f"Contact {index}",
            "partner_name": f"Company {index}",
            "email_from": f"contact{index}@bench{index}.example.com",
            "phone": f"+32 470 {index:06d}",
        }
        for index in range(count)
    ]


def _setup_lead_values(env):
    return _lead_values(1000)


def _create_leads(env, values):
    env["crm.lead"].create(values)


def _setup_qualify_leads(env):
    """500 identical leads in both databases; in ours no profile applies, so qualifying does the built-in
    company + contact + opportunity, as Odoo's mass conversion does."""
    if "crm.qualification.profile" in env:
        env["crm.qualification.profile"].search([]).action_archive()
        env.company.qualification_profile_id = False
    return env["crm.lead"].create(_lead_values(500)).ids


def _qualify_mass(env, lead_ids):
    wizard = (
        env["crm.lead.qualify"]
        .with_context(active_model="crm.lead", active_ids=lead_ids, active_id=lead_ids[0])
        .create({})
    )
    wizard.action_qualify()


def _native_mass_convert(env, lead_ids):
    wizard = (
        env["crm.lead2opportunity.partner.mass"]
        .with_context(active_model="crm.lead", active_ids=lead_ids, active_id=lead_ids[0])
        # no merging: both sides only convert and create each lead's company and contact
        .create({"deduplicate": False})
    )
    wizard.action_mass_convert()


def _web_order_setup(feature_on, with_lead):
    def setup(env):
        env.company.order_qualifies_leads = feature_on
        website = env["website"].search([("company_id", "=", env.company.id)], limit=1)
        product = env["product.product"].create({"name": "Bench product", "list_price": 10.0})
        buyer = env["res.partner"].create({"name": "Bench buyer", "email": "bench.buyer@example.com"})
        if with_lead:
            env["crm.lead"].create({"name": "Bench buyer lead", "type": "lead", "email_from": buyer.email})
        return env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "website_id": website.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})],
            }
        )

    return setup


def _confirm_order(env, order):
    order.action_confirm()


def _setup_due_leads(env):
    """5,000 leads disqualified with the addon, whose reactivation date has come."""
    leads = env["crm.lead"].create(_lead_values(5000))
    reason = env.ref("lead_qualification_plus.crm_lost_reason_cannot_contact")
    today = fields.Date.context_today(leads)
    leads._disqualify(reason, reactivate_on=today + timedelta(days=90))
    leads.write({"reactivate_on": today})
    return leads


def _run_reactivation_cron(env, leads):
    # The cron's own loop, without its per-batch commit: the runner rolls every execution back.
    env["crm.lead"]._reactivate_due_leads(batch_size=500)


def _setup_lost_leads(env):
    """The same 5,000 leads marked lost the Odoo way, without the addon."""
    leads = env["crm.lead"].create(_lead_values(5000))
    leads.action_set_lost(lost_reason_id=env.ref("crm.lost_reason_1").id)
    return leads


def _restore_leads(env, leads):
    leads.action_unarchive()


def _setup_transition_move(env, rules_active, transition_policy="open"):
    """1,000 leads of one team in stage A whose work is done, 10 rules A -> B of 4 requirements each; the
    team allows any move (``open``) or the moves its rules define only (``defined``)."""
    team = env["crm.team"].create({"name": "Bench transition team", "transition_policy": transition_policy})
    stage_from, stage_to = env["crm.stage"].create(
        [{"name": "Bench from", "team_id": team.id}, {"name": "Bench to", "team_id": team.id}]
    )
    leads = env["crm.lead"].create(
        [
            {
                **values,
                "team_id": team.id,
                "stage_id": stage_from.id,
                "function": "Buyer",
                "expected_revenue": 100,
            }
            for values in _lead_values(1000)
        ]
    )
    call = env.ref("mail.mail_activity_data_call")
    meeting = env.ref("mail.mail_activity_data_meeting")
    lead_model = env["ir.model"]._get_id("crm.lead")
    # The traces of the work done, written directly: what the rules read, without the cost of producing it.
    env["mail.message"].create(
        [
            {
                "model": "crm.lead",
                "res_id": lead.id,
                "message_type": "notification",
                "body": "Call done",
                "mail_activity_type_id": call.id,
            }
            for lead in leads
        ]
        + [
            {"model": "crm.lead", "res_id": lead.id, "message_type": "comment", "body": "Summary"}
            for lead in leads
        ]
    )
    env["mail.activity"].create(
        [
            {
                "res_model_id": lead_model,
                "res_id": lead.id,
                "activity_type_id": meeting.id,
                "user_id": env.uid,
            }
            for lead in leads
        ]
    )
    env["ir.attachment"].create(
        [{"name": "a.txt", "raw": b"a", "res_model": "crm.lead", "res_id": lead.id} for lead in leads]
    )
    function = env["ir.model.fields"]._get("crm.lead", "function")
    kinds = [
        {"kind": "field", "field_id": function.id},
        {"kind": "domain", "domain": "[('expected_revenue', '>', 0)]"},
        {"kind": "activity_done", "activity_type_id": call.id, "since_stage_entry": True},
        {"kind": "note"},
        {"kind": "activity_planned", "activity_type_id": meeting.id},
        {"kind": "attachment"},
    ]
    rules = env["crm.transition.rule"].create(
        [
            {
                "name": f"Bench rule {index}",
                "team_ids": [(6, 0, team.ids)],
                "from_stage_ids": [(6, 0, stage_from.ids)],
                "to_stage_id": stage_to.id,
                "lead_domain": "[('probability', '<', 100)]" if index % 2 else "[]",
                "requirement_ids": [
                    (0, 0, {"name": f"Requirement {position}", **kinds[(index + position) % len(kinds)]})
                    for position in range(4)
                ],
            }
            for index in range(10)
        ]
    )
    rules.active = rules_active
    return leads, stage_to


def _move_leads(env, data):
    leads, stage_to = data
    leads.write({"stage_id": stage_to.id})
    # Without rules into the stage, the write leaves Odoo's own recomputations pending: both sides pay them.
    env.flush_all()


def _setup_report_leads(env):
    """100,000 leads over 10 sources and 24 months, inserted in one INSERT ... SELECT: the ORM would take
    minutes, and the grouped read is what is measured. A fifth qualified, a fifth disqualified (archived)."""
    sources = env["utm.source"].create([{"name": f"Bench source {index}"} for index in range(10)])
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, qualification_state, company_id, user_id, source_id,
                              expected_revenue, probability, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench report lead ' || n, 'lead', n %% 5 != 1,
               CASE n %% 5 WHEN 0 THEN 'qualified' WHEN 1 THEN 'disqualified' ELSE 'open' END,
               %(company)s, %(user)s, (%(sources)s::int[])[1 + n %% 10],
               n %% 1000, 10, now() - (n %% 730) * interval '1 day', now(), %(user)s, %(user)s
          FROM generate_series(1, 100000) AS n
        """,
        {"company": env.company.id, "user": env.uid, "sources": sources.ids},
    )
    env.cr.execute("ANALYZE crm_lead")
    env.invalidate_all()


def _read_report_by_source_and_month(env, data):
    # As the pivot asks it: eager, the report's default measures.
    env["crm.qualification.report"].read_group(
        [],
        ["lead_count:sum", "qualified_count:sum", "conversion_rate:avg"],
        ["source_id", "create_date:month"],
        lazy=False,
    )


def _read_leads_by_source_and_month(env, data):
    env["crm.lead"].with_context(active_test=False).read_group(
        [], ["expected_revenue:sum"], ["source_id", "create_date:month"], lazy=False
    )


def _setup_sla_leads(env):
    """100,000 open leads in 5 stages, each with a time limit; 5,000 past their warning and 1,000 past their
    limit, each with its open entry in the time-limit log. Inserted in one INSERT ... SELECT (the ORM would
    take minutes): the job is what is measured."""
    team = env["crm.team"].create({"name": "Bench SLA team"})
    stages = env["crm.stage"].create(
        [{"name": f"Bench SLA stage {index}", "team_id": team.id} for index in range(5)]
    )
    slas = env["crm.stage.sla"].create(
        [
            {"name": f"Bench limit {index}", "stage_id": stage.id, "max_days": 10, "warning_days": 5}
            for index, stage in enumerate(stages)
        ]
    )
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, qualification_state, company_id, user_id, team_id, stage_id,
                              sla_id, sla_state, date_last_stage_update, sla_warning_date, sla_deadline,
                              probability, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench SLA lead ' || n, 'lead', TRUE, 'open', %(company)s, %(user)s, %(team)s,
               (%(stages)s::int[])[1 + n %% 5], (%(slas)s::int[])[1 + n %% 5], 'on_track', entered,
               entered + interval '5 days', entered + interval '10 days',
               10, now(), now(), %(user)s, %(user)s
          FROM generate_series(1, 100000) AS n,
               LATERAL (SELECT now() AT TIME ZONE 'UTC' - CASE WHEN n <= 1000 THEN interval '11 days'
                                                            WHEN n <= 6000 THEN interval '6 days'
                                                            ELSE interval '1 day' END AS entered) AS e
        """,
        {"company": env.company.id, "user": env.uid, "team": team.id, "stages": stages.ids, "slas": slas.ids},
    )
    # Their open entries in the time-limit log, which the job marks too: the module's own backfill.
    env["crm.lead.sla.entry"].init()
    env.cr.execute("ANALYZE crm_lead")
    env.cr.execute("ANALYZE crm_lead_sla_entry")
    env.invalidate_all()


def _run_sla_job(env, data):
    # The cron's own loop, without its per-batch commit: the runner rolls every execution back.
    env["crm.lead"]._check_sla(batch_size=1000)


def _write_sla_states(env, data):
    """The same state changes as the job, by a plain search and write: no history, no escalation."""
    # Imported here: the addon is only importable once Odoo's addons path is set up.
    from odoo.addons.lead_qualification_plus.models.crm_lead_sla import sla_writes  # noqa: PLC0415

    now = fields.Datetime.now()
    Lead = env["crm.lead"]
    # The job's own permission to write the time-limit fields (users may not).
    with sla_writes():
        Lead.search([("sla_state", "in", ("on_track", "warning")), ("sla_deadline", "<=", now)]).write(
            {"sla_state": "overdue"}
        )
        Lead.search([("sla_state", "=", "on_track"), ("sla_warning_date", "<=", now)]).write(
            {"sla_state": "warning"}
        )


PAIRS = {
    "create_leads": Pair(
        a=Scenario("create 1,000 leads, with addon", "with", _setup_lead_values, _create_leads),
        b=Scenario("create 1,000 leads, without addon", "without", _setup_lead_values, _create_leads),
        goal=1.2,
    ),
    "qualify_mass": Pair(
        a=Scenario("qualify 500 leads (wizard)", "with", _setup_qualify_leads, _qualify_mass),
        b=Scenario("native mass convert 500 leads", "without", _setup_qualify_leads, _native_mass_convert),
        goal=1.0,
    ),
    "confirm_web_order": Pair(
        a=Scenario("confirm a web order, feature on", "with", _web_order_setup(True, False), _confirm_order),
        b=Scenario(
            "confirm a web order, feature off", "with", _web_order_setup(False, False), _confirm_order
        ),
        goal=1.1,
    ),
    "confirm_web_order_qualifying": Pair(
        a=Scenario(
            "confirm a web order qualifying a lead", "with", _web_order_setup(True, True), _confirm_order
        ),
        b=Scenario("confirm a web order, feature off", "with", _web_order_setup(False, True), _confirm_order),
    ),
    "reactivation_cron": Pair(
        a=Scenario("cron reactivates 5,000 due leads", "with", _setup_due_leads, _run_reactivation_cron),
        b=Scenario("Odoo restores 5,000 lost leads", "without", _setup_lost_leads, _restore_leads),
    ),
    "transition_move": Pair(
        a=Scenario(
            "move 1,000 leads, 10 rules active",
            "with",
            lambda env: _setup_transition_move(env, True),
            _move_leads,
        ),
        b=Scenario(
            "move 1,000 leads, rules archived",
            "with",
            lambda env: _setup_transition_move(env, False),
            _move_leads,
        ),
        goal=1.5,
    ),
    # What the team's policy costs a stage write: the same move, the same rules, the policy read or not.
    "transition_move_defined": Pair(
        a=Scenario(
            "move 1,000 leads, defined moves only",
            "with",
            lambda env: _setup_transition_move(env, True, "defined"),
            _move_leads,
        ),
        b=Scenario(
            "move 1,000 leads, any move",
            "with",
            lambda env: _setup_transition_move(env, True, "open"),
            _move_leads,
        ),
    ),
    "qualification_report_pivot": Pair(
        a=Scenario(
            "report pivot source x month, 100k",
            "with",
            _setup_report_leads,
            _read_report_by_source_and_month,
        ),
        b=Scenario(
            "crm.lead read_group same, 100k",
            "with",
            _setup_report_leads,
            _read_leads_by_source_and_month,
        ),
    ),
    "sla_job": Pair(
        a=Scenario("SLA job on 100k open leads, 5 limits", "with", _setup_sla_leads, _run_sla_job),
        b=Scenario("search + write of the same states, 100k", "with", _setup_sla_leads, _write_sla_states),
    ),
}
