"""Benchmark runner: paired scenarios measured in one run, reported as ratios.

Usage (through the harness, which prepares PostgreSQL and the template database):

    ./harness bench                       # every pair, 5 rounds
    ./harness bench --rounds 9 create_leads

Each pair compares scenario A with scenario B on identical data: the runner alternates A B A B … in
the same process, each execution in its own transaction rolled back afterwards, and prints the median
wall time, the SQL query count and the median of the per-round A/B ratios. Absolute times depend on the
machine; the ratios are what the project tracks (README, "Performance").
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
sys.path.insert(0, BENCH_DIR)

import scenarios  # noqa: E402

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402

ADDON = "lead_qualification_plus"
INSTALL_FLAGS = ["--stop-after-init", "--log-level=warn", "--no-http"]
# The addon installed on top of the template's apps, versus the template's apps alone.
KINDS = ("with", "without")


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pairs", nargs="*", help="pairs to run (default: all): " + ", ".join(scenarios.PAIRS))
    parser.add_argument("--odoo-config", required=True)
    parser.add_argument("--template", required=True, help="database with the base apps to copy")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--db-prefix",
        default="lqp_bench",
        help="scratch databases: <prefix>_with and <prefix>_without (one pair per checkout in the harness)",
    )
    parser.add_argument(
        "--keep-databases", action="store_true", help="reuse the scratch databases if present"
    )
    return parser.parse_args()


def databases(args):
    return {kind: f"{args.db_prefix}_{kind}" for kind in KINDS}


def build_databases(args):
    odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    db = odoo.sql_db.db_connect("postgres")
    for kind, name in databases(args).items():
        with db.cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cr.fetchone() and args.keep_databases:
                continue
            print(f"building scratch database {name}", flush=True)
            cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{args.template}"')
        if kind == "with":
            subprocess.run(
                [sys.executable, odoo_bin, "-c", args.odoo_config, "-d", name, "-i", ADDON, *INSTALL_FLAGS],
                check=True,
            )
    odoo.sql_db.close_all()


def measure(registry, scenario):
    """Run one scenario in a transaction that is rolled back; return (seconds, queries)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"))
        data = scenario.setup(env)
        env.flush_all()
        queries_before = cr.sql_log_count
        start = time.perf_counter()
        scenario.run(env, data)
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - queries_before
        cr.rollback()
    env.registry.clear_cache()
    return elapsed, queries


def run_pair(name, pair, rounds, names):
    registries = {kind: odoo.modules.registry.Registry(names[kind]) for kind in {pair.a.db, pair.b.db}}
    # One warm-up execution each: first-call costs (caches, imports) are not what is compared.
    measure(registries[pair.a.db], pair.a)
    measure(registries[pair.b.db], pair.b)
    samples = {"a": [], "b": []}
    for _round in range(rounds):
        for key, scenario in (("a", pair.a), ("b", pair.b)):
            samples[key].append(measure(registries[scenario.db], scenario))
    ratios = [a[0] / b[0] for a, b in zip(samples["a"], samples["b"], strict=True)]
    return {
        "pair": name,
        "a": pair.a.label,
        "b": pair.b.label,
        "a_ms": statistics.median(s[0] for s in samples["a"]) * 1000,
        "b_ms": statistics.median(s[0] for s in samples["b"]) * 1000,
        "a_queries": statistics.median(s[1] for s in samples["a"]),
        "b_queries": statistics.median(s[1] for s in samples["b"]),
        "ratio": statistics.median(ratios),
        "goal": pair.goal,
    }


def print_header(rounds):
    print(f"\n{rounds} rounds, A B A B …; medians; ratio = median of per-round A/B wall times\n")
    header = f"{'pair':<22} {'scenario A':<34} {'ms':>9} {'queries':>8}   {'scenario B':<34} {'ms':>9}"
    header += f" {'queries':>8}   {'A/B':>5}  goal"
    print(header)
    print("-" * len(header), flush=True)


def print_row(r):
    goal = f"<= {r['goal']:.2f}" if r["goal"] else "-"
    verdict = "" if not r["goal"] else ("ok" if r["ratio"] <= r["goal"] else "OVER")
    print(
        f"{r['pair']:<22} {r['a']:<34} {r['a_ms']:>9.1f} {r['a_queries']:>8.0f}   {r['b']:<34} "
        f"{r['b_ms']:>9.1f} {r['b_queries']:>8.0f}   {r['ratio']:>5.2f}  {goal} {verdict}",
        flush=True,
    )


def main():
    args = parse_args()
    unknown = set(args.pairs) - set(scenarios.PAIRS)
    if unknown:
        sys.exit(f"bench: unknown pair(s) {', '.join(sorted(unknown))}; known: {', '.join(scenarios.PAIRS)}")
    odoo.tools.config.parse_config(["-c", args.odoo_config, "--log-level=warn", "--no-http"])
    build_databases(args)
    print_header(args.rounds)
    # Each pair is printed as soon as it is measured: a long run shows its results as it goes.
    for name in args.pairs or scenarios.PAIRS:
        print_row(run_pair(name, scenarios.PAIRS[name], args.rounds, databases(args)))


if __name__ == "__main__":
    main()
