"""Repository-wide pytest hooks: a skipped test proves nothing, so a run with skips fails.

pytest-odoo skips every HttpCase without --odoo-http and Odoo skips browser tests when websocket-client or
chromium is missing; both look like success unless they are turned into failures here.
"""

import pytest


def _not_run(session):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return []
    return reporter.stats.get("skipped", []) + reporter.stats.get("xfailed", [])


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    not_run = terminalreporter.stats.get("skipped", []) + terminalreporter.stats.get("xfailed", [])
    if not_run:
        terminalreporter.section("tests that did not run", red=True)
        for report in not_run:
            reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
            terminalreporter.line(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if exitstatus == pytest.ExitCode.OK and _not_run(session):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
