import threading

from odoo.modules import module as odoo_module


def running_tests(env):
    """Whether the code runs under a test: the one place the addon asks it (to commit or not, to open a cursor
    of its own or not).

    The same flags Odoo's own code checks to avoid committing in tests, set by Odoo's test runner and by
    pytest-odoo; the registry's test mode covers the HTTP requests of browser tests.
    """
    return bool(
        env.registry.in_test_mode()
        or getattr(threading.current_thread(), "testing", False)
        or odoo_module.current_test
    )
