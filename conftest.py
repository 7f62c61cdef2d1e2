"""Repository-wide pytest hooks: a skipped test proves nothing, so a run with skips fails.

pytest-odoo skips every HttpCase without --odoo-http and Odoo skips browser tests when websocket-client or
chromium is missing; both look like success unless they are turned into failures here.
"""

import functools

import pytest


def pytest_configure(config):
    _stop_chrome_even_when_unresponsive()


def _stop_chrome_even_when_unresponsive():
    """A Chrome too slow to answer makes Odoo's ``ChromeBrowser.stop`` raise before it closes the websocket:
    the reader thread of that websocket then keeps pytest from ever exiting, after the failure is reported.
    Close it and end Chrome whatever happened."""
    # Imported once pytest-odoo has read Odoo's configuration.
    from odoo.tests.common import ChromeBrowser  # noqa: PLC0415

    stop = ChromeBrowser.stop
    if getattr(stop, "lqp_wrapped", False):
        return

    @functools.wraps(stop)
    def stop_and_close(self):
        try:
            stop(self)
        finally:
            if getattr(self, "ws", None) is not None and self.ws.connected:
                self.ws.close()
            if self.chrome and self.chrome.poll() is None:
                self.chrome.kill()
                self.chrome.wait(15)

    stop_and_close.lqp_wrapped = True
    ChromeBrowser.stop = stop_and_close


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
