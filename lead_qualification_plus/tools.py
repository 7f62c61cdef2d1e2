import threading
from contextlib import contextmanager
from contextvars import ContextVar

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


class GuardedFields:
    """Fields of a model that only the addon's own code writes, whoever the caller (form, import, RPC),
    however high their rights.

    The code that may write them does so within ``writes()``: a flag in a context variable of the running
    thread, out of reach of any RPC argument or context key. Outside it, ``changed()`` names the fields whose
    values differ from the records' (from a new record's, when creating): an unchanged value passes, so that
    an exported file imports back as it is.
    """

    def __init__(self, name, new_record_values):
        """``name`` names the flag; ``new_record_values`` maps each guarded field to the value a new record
        holds, the one a create may give."""
        self.fnames = tuple(new_record_values)
        self._new_record_values = dict(new_record_values)
        self._writes = ContextVar(f"lead_qualification_plus_{name}_writes", default=False)

    @contextmanager
    def writes(self):
        """Let the code of the block write the guarded fields, within the block only."""
        token = self._writes.set(True)
        try:
            yield
        finally:
            self._writes.reset(token)

    def writing(self):
        """Whether the running code is within ``writes()``."""
        return self._writes.get()

    def changed(self, records, vals_list):
        """The labels of the guarded fields whose values in ``vals_list`` differ from those of ``records`` (a
        write), or from a new record's when ``records`` is empty (a create); none within ``writes()``."""
        if self.writing():
            return []
        if not records:
            # create adds the defaults (a ``default_*`` context key, a user's own default) to the values
            # after this check: they are values like the others.
            defaults = records.default_get(list(self.fnames))
            vals_list = [{**defaults, **vals} for vals in vals_list]
        empty = records.browse()
        changed = []
        for fname in self.fnames:
            if not any(fname in vals for vals in vals_list):
                continue
            field = records._fields[fname]
            if records:
                current = {field.convert_to_cache(record[fname], record) for record in records}
            else:
                current = {field.convert_to_cache(self._new_record_values[fname], empty)}
            for vals in vals_list:
                if fname not in vals:
                    continue
                try:
                    value = field.convert_to_cache(vals[fname], empty, validate=False)
                except (TypeError, ValueError):
                    value = vals[fname]
                if {value} != current:
                    changed.append(field._description_string(records.env))
                    break
        return changed
