#!/usr/bin/env python3
"""Screenshots of the addon's main screens in the demo database, as its demo users see them.

Run by ``./harness screenshots`` (which serves the demo database and provides Playwright in a virtualenv of
its own); usable alone against any demo database:

    screenshots.py --url http://127.0.0.1:8069 --db lqp_demo --out screenshots/

With ``--lang pl_PL`` the language is installed (Odoo's own wizard: every installed module's translations) and
the salesperson sees the screens in it; the files are named ``<screen>_pl_PL.png`` and the salesperson's own
language is given back afterwards. ``--only checklist,qualify`` takes only those screens (names as printed).

Screens are found by the names of the demo records and the XML ids of the actions, never by database ids.
A screen that cannot be taken is reported and the others are still taken; the exit status says so.
"""

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

# Demo records the screens open, by name: the first one that exists is used.
TRANSITION_LEAD = ["Office chairs for a new floor"]
# An opportunity whose next stage a demo rule gates, and that stage.
BLOCKED_OPPORTUNITY = ["Meeting room equipment"]
BLOCKED_STAGE = "Contacted"
# The Qualify dialog of a known customer's lead shows the existing records it matches.
QUALIFY_LEADS = ["Second office for Deco Addict", "Office furniture for 40 desks", "One standing desk"]
# A card dragged across the pipeline of a team whose rules are its process, the columns out of its reach
# dimmed; the column it is held over.
DRAGGED_OPPORTUNITY = ["Ergonomic chairs for a call centre"]
DRAG_OVER_STAGE = "Proposition"
RULE = ["Log first call"]
PROFILE = ["B2B: company, contact, opportunity"]
# The team whose process the diagram draws.
PROCESS_TEAM = ["Qualification Desk"]
# A rule that runs an action after the move.
ACTIONS_AFTER_RULE = ["Log first call"]
# An opportunity of a team that allows only defined moves, with stages both within reach and out of it.
DEFINED_MOVES_LEAD = ["Ergonomic chairs for a call centre"]
MODULE = "lead_qualification_plus"
# Reports: every window action of the addon whose XML id says report, these first.
REPORTS = ["crm_qualification_report_action", "crm_transition_block_log_action"]

SETTLE_MS = 1200  # animations and late renders after the awaited element shows


class Session:
    """One browser page logged in as a demo user."""

    def __init__(self, browser, args, login, size):
        self.args = args
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.page.set_default_timeout(30000)
        self.page.goto(f"{args.url}/web/login?db={args.db}")
        self.page.fill("input[name=login]", login)
        self.page.fill("input[name=password]", login)
        self.page.click(".oe_login_form button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/odoo.*"))

    def rpc(self, model, method, args, kwargs=None):
        response = self.page.request.post(
            f"{self.args.url}/web/dataset/call_kw/{model}/{method}",
            data={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            },
        )
        body = response.json()
        if "error" in body:
            raise RuntimeError(body["error"]["data"]["message"])
        return body["result"]

    def first_id(self, model, names, extra_domain=()):
        for name in names:
            ids = self.rpc(
                model,
                "search",
                [[("name", "=", name), *extra_domain]],
                {"limit": 1, "context": {"active_test": False}},
            )
            if ids:
                return ids[0]
        raise LookupError(f"no {model} named {' or '.join(names)} in the demo data")

    def goto(self, path, selector):
        self.page.goto(f"{self.args.url}{path}")
        self.wait(selector)

    def wait(self, selector):
        self.page.wait_for_selector(selector, state="visible")
        # Odoo's bus keeps a connection open: wait for the web client's own loading indicator instead.
        self.page.wait_for_selector(".o_loading_indicator", state="detached")
        self.page.wait_for_timeout(SETTLE_MS)

    def shot(self, name):
        suffix = f"_{self.args.lang}" if self.args.lang else ""
        path = Path(self.args.out) / f"{name}{suffix}.png"
        self.page.screenshot(path=str(path))
        print(f"  {path}")

    def close(self):
        self.page.close()


def report_actions(admin):
    found = admin.rpc(
        "ir.model.data",
        "search_read",
        [[("module", "=", MODULE), ("model", "=", "ir.actions.act_window"), ("name", "ilike", "report")]],
        {"fields": ["name"]},
    )
    names = [record["name"] for record in found]
    return [name for name in REPORTS if name in names] + sorted(set(names) - set(REPORTS))


def install_language(admin, lang):
    """Installs lang with its translations, as Settings > Languages does."""
    lang_ids = admin.rpc("res.lang", "search", [[("code", "=", lang)]], {"context": {"active_test": False}})
    if not lang_ids:
        raise LookupError(f"no language {lang} in Odoo")
    wizard = admin.rpc(
        "base.language.install", "create", [{"lang_ids": [(6, 0, lang_ids)], "overwrite": True}]
    )
    admin.rpc("base.language.install", "lang_install", [[wizard]])


def set_user_lang(admin, login, lang):
    """Sets the language of a demo user; returns the one it had."""
    user = admin.rpc("res.users", "search_read", [[("login", "=", login)]], {"fields": ["lang"]})[0]
    admin.rpc("res.users", "write", [[user["id"]], {"lang": lang}])
    return user["lang"]


def take(args):
    failures = []
    only = set(args.only.split(",")) if args.only else None

    def attempt(label, function, session):
        if only is not None and label.replace(" ", "_") not in only:
            return
        # One screen failing must not hide the others.
        try:
            function()
        except Exception as error:
            failures.append(label)
            print(f"  {label}: FAILED ({error})", file=sys.stderr)
            # What the page showed instead, to see why.
            session.shot("failed_" + label.replace(" ", "_"))

    size = (args.width, args.height)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium)
        admin = Session(browser, args, "admin", size)
        lead_id = admin.first_id("crm.lead", TRANSITION_LEAD)
        rule_id = admin.first_id("crm.transition.rule", RULE)
        profile_id = admin.first_id("crm.qualification.profile", PROFILE)
        process_team_id = admin.first_id("crm.team", PROCESS_TEAM)
        qualify_id = admin.first_id("crm.lead", QUALIFY_LEADS, [("type", "=", "lead")])
        blocked_id = admin.first_id("crm.lead", BLOCKED_OPPORTUNITY)
        dragged_id = admin.first_id("crm.lead", DRAGGED_OPPORTUNITY)
        defined_moves_id = admin.first_id("crm.lead", DEFINED_MOVES_LEAD)
        actions_after_rule_id = admin.first_id("crm.transition.rule", ACTIONS_AFTER_RULE)
        reports = report_actions(admin)
        if args.lang:
            install_language(admin, args.lang)
            salesman_lang = set_user_lang(admin, "lqp_salesman", args.lang)

        salesman = Session(browser, args, "lqp_salesman", size)

        def pipeline():
            salesman.goto("/odoo/action-crm.crm_lead_action_pipeline", ".o_kanban_renderer .o_kanban_record")
            salesman.shot("pipeline")

        def lead_form():
            salesman.goto(f"/odoo/action-crm.crm_lead_all_leads/{lead_id}", ".o_lqp_transition_button")
            salesman.shot("lead_form")

        def checklist():
            salesman.goto(f"/odoo/action-crm.crm_lead_all_leads/{lead_id}", ".o_lqp_transition_button")
            salesman.page.click(".o_lqp_transition_button >> nth=0")
            salesman.wait(".modal .o_lqp_checklist")
            salesman.shot("checklist")
            salesman.page.keyboard.press("Escape")

        def transition_refused():
            salesman.goto(f"/odoo/action-crm.crm_lead_action_pipeline/{blocked_id}", ".o_statusbar_status")
            salesman.page.click(f".o_statusbar_status button.o_arrow_button:has-text('{BLOCKED_STAGE}')")
            salesman.wait(".modal .o_lqp_transition_blocked")
            # The pointer left on the refused stage would show it highlighted behind the dialog.
            salesman.page.mouse.move(0, 0)
            salesman.shot("transition_refused")
            salesman.page.keyboard.press("Escape")

        def qualify():
            salesman.goto(f"/odoo/action-crm.crm_lead_all_leads/{qualify_id}", ".o_lqp_qualify_button")
            salesman.page.click(".o_lqp_qualify_button")
            salesman.wait(".modal .o_form_view")
            salesman.shot("qualify")
            salesman.page.keyboard.press("Escape")

        def disqualify():
            salesman.goto(f"/odoo/action-crm.crm_lead_all_leads/{qualify_id}", ".o_form_statusbar")
            salesman.page.click(".o_form_statusbar button:has-text('Disqualify')")
            salesman.wait(".modal .o_form_view")
            salesman.shot("disqualify")
            salesman.page.keyboard.press("Escape")

        def kanban_allowed_stages():
            # The team allows only the moves its rules define for the time of the shot, then gets its own
            # policy back.
            team = admin.rpc("crm.lead", "read", [[dragged_id], ["team_id"]])[0]["team_id"][0]
            policy = admin.rpc("crm.team", "read", [[team], ["transition_policy"]])[0]["transition_policy"]
            admin.rpc("crm.team", "write", [[team], {"transition_policy": "defined"}])
            try:
                salesman.goto(
                    "/odoo/action-crm.crm_lead_action_pipeline", ".o_kanban_renderer .o_kanban_record"
                )
                page = salesman.page
                card = page.locator(
                    f".o_kanban_record:has-text('{DRAGGED_OPPORTUNITY[0]}')"
                ).first.bounding_box()
                over = page.locator(
                    f".o_kanban_group:has(.o_column_title:has-text('{DRAG_OVER_STAGE}'))"
                ).first.bounding_box()
                page.mouse.move(card["x"] + 40, card["y"] + 20)
                page.mouse.down()
                page.mouse.move(card["x"] + 80, card["y"] + 60, steps=5)
                page.mouse.move(over["x"] + 60, over["y"] + 140, steps=10)
                salesman.wait(".o_kanban_group.o_lqp_stage_refused")
                salesman.shot("kanban_allowed_stages")
                # Escape ends the drag without dropping: the card stays where it is.
                page.keyboard.press("Escape")
                page.mouse.up()
            finally:
                admin.rpc("crm.team", "write", [[team], {"transition_policy": policy}])

        def lead_form_defined_moves():
            salesman.goto(
                f"/odoo/action-crm.crm_lead_action_pipeline/{defined_moves_id}",
                ".o_statusbar_status .o_lqp_stage_refused",
            )
            salesman.shot("lead_form_defined_moves")

        for label, function in [
            ("pipeline", pipeline),
            ("kanban allowed stages", kanban_allowed_stages),
            ("lead form", lead_form),
            ("lead form defined moves", lead_form_defined_moves),
            ("checklist", checklist),
            ("transition refused", transition_refused),
            ("qualify", qualify),
            ("disqualify", disqualify),
        ]:
            attempt(label, function, salesman)
        salesman.close()
        if args.lang:
            set_user_lang(admin, "lqp_salesman", salesman_lang)
        admin.close()

        manager = Session(browser, args, "lqp_manager", size)

        def rule_form():
            manager.goto(f"/odoo/action-{MODULE}.crm_transition_rule_action/{rule_id}", ".o_form_view")
            manager.shot("rule_form")

        def rule_actions_after():
            manager.goto(
                f"/odoo/action-{MODULE}.crm_transition_rule_action/{actions_after_rule_id}", ".o_form_view"
            )
            manager.page.click(".o_notebook .nav-link:has-text('After the Move')")
            manager.wait(".o_field_widget[name='action_server_ids'] .o_data_row")
            manager.shot("rule_actions_after")

        def forced_transitions():
            manager.goto(f"/odoo/action-{MODULE}.crm_transition_forced_action", ".o_pivot table")
            manager.shot("forced_transitions")
            # Why each move was forced: the reasons, in the list.
            manager.page.click(".o_control_panel .o_switch_view.o_list")
            manager.page.mouse.move(0, 0)
            manager.wait(".o_list_view .o_data_row td[name='reason']")
            manager.shot("forced_transitions_list")

        def profile_form():
            manager.goto(
                f"/odoo/action-{MODULE}.crm_qualification_profile_action/{profile_id}", ".o_form_view"
            )
            manager.shot("profile_form")

        def report(name):
            manager.goto(
                f"/odoo/action-{MODULE}.{name}",
                ".o_action_manager .o_view_controller .o_content > *",
            )
            manager.shot(name.removesuffix("_action"))

        def process_diagram():
            manager.goto(
                f"/odoo/action-sales_team.crm_team_action_config/{process_team_id}",
                ".o_lqp_process_diagram_button",
            )
            manager.page.click(".o_lqp_process_diagram_button")
            manager.wait(".o_lqp_process_edge")
            manager.shot("process_diagram")
            # At 1024 pixels the drawing scrolls inside its box, not the page.
            manager.page.set_viewport_size({"width": 1024, "height": 768})
            manager.page.wait_for_timeout(SETTLE_MS)
            manager.shot("process_diagram_1024")
            manager.page.set_viewport_size({"width": size[0], "height": size[1]})

        attempt("rule form", rule_form, manager)
        attempt("rule actions after", rule_actions_after, manager)
        attempt("forced transitions", forced_transitions, manager)
        attempt("process diagram", process_diagram, manager)
        attempt("profile form", profile_form, manager)
        for name in reports:
            attempt(name, lambda name=name: report(name), manager)
        manager.close()
        browser.close()
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--lang", help="the salesperson's screens in this language (e.g. pl_PL)")
    parser.add_argument("--only", help="comma-separated screens to take (e.g. checklist,qualify)")
    args = parser.parse_args()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    print(f"screenshots of {args.db} at {args.width}x{args.height} in {args.out}:")
    failures = take(args)
    if failures:
        print(f"{len(failures)} screen(s) could not be taken: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
