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


PAIRS = {
    "create_leads": Pair(
        a=Scenario("create 1,000 leads, with addon", "with", _setup_lead_values, _create_leads),
        b=Scenario("create 1,000 leads, without addon", "without", _setup_lead_values, _create_leads),
        goal=1.2,
    ),
}
