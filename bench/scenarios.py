"""Benchmark scenarios, in pairs. Each issue that states a speed goal adds its pair here.

A scenario has a ``setup(env)`` that prepares data (not timed) and returns it, and a ``run(env, data)``
that is timed. ``db`` says which scratch database it runs in: ``with`` the addon or ``without`` it.
"""

from dataclasses import dataclass
from typing import Any


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


PAIRS = {
    "create_leads": Pair(
        a=Scenario("create 1,000 leads, with addon", "with", _setup_lead_values, _create_leads),
        b=Scenario("create 1,000 leads, without addon", "without", _setup_lead_values, _create_leads),
        goal=1.2,
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
}
