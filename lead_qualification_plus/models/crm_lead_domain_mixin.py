import ast
import datetime
import functools
import logging
import math
import types
from collections import defaultdict

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.safe_eval import dateutil, safe_eval
from odoo.tools.safe_eval import time as safe_time

_logger = logging.getLogger(__name__)

# What a condition may contain: the expressions Odoo's domain editor writes (literals, ids, dates relative to
# today), nothing that branches, loops or computes at length. Whatever is not listed is refused before
# anything is evaluated.
_ALLOWED_NODES = (
    ast.Expression,
    ast.List,
    ast.Tuple,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.Call,
    ast.keyword,
    ast.Attribute,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.UnaryOp,
    ast.USub,
    ast.UAdd,
)
# The attributes of the date values and modules of the evaluation context a condition may use: reaching a
# method by any other name (``write``, ``env``, ``sleep``...) is refused even if an object that has one
# were ever put back in the context.
_ALLOWED_ATTRIBUTES = frozenset(
    {
        # members of the ``datetime`` and ``time`` modules
        "date",
        "datetime",
        "time",
        "timedelta",
        "strftime",
        # constructors and methods of dates, times and datetimes
        "combine",
        "today",
        "now",
        "replace",
        "isoformat",
        "to_utc",
        "weekday",
        "year",
        "month",
        "day",
    }
)
# The names of the evaluation context (see ``_lead_domain_eval_context``).
_CONTEXT_NAMES = frozenset(
    {"uid", "company_id", "company_ids", "context_today", "relativedelta", "datetime", "time", "timedelta"}
)
# The operators that compare a number field with numbers (``like`` compares its text).
_NUMBER_OPERATORS = frozenset({"=", "!=", "<>", "<", "<=", ">", ">=", "in", "not in"})
# Values a domain leaf may compare a field with: what the database can be asked about.
_PLAIN_TYPES = (str, int, float, bool, datetime.date, type(None))


class _UserDatetime(datetime.datetime):
    """A datetime of the user's timezone; ``to_utc()`` is how Odoo's domain editor writes "today" for a
    datetime field (``datetime.datetime.combine(context_today(), datetime.time(0, 0, 0)).to_utc()``)."""

    _tz_name = "UTC"

    def to_utc(self):
        local = pytz.timezone(self._tz_name).localize(self.replace(tzinfo=None), is_dst=False)
        return local.astimezone(pytz.utc).replace(tzinfo=None)


@functools.cache
def _datetime_module(tz_name):
    """The ``datetime`` of the evaluation context, whose datetimes convert from ``tz_name`` to UTC."""
    user_datetime = type("datetime", (_UserDatetime,), {"_tz_name": tz_name})
    return types.SimpleNamespace(
        date=datetime.date,
        datetime=user_datetime,
        time=datetime.time,
        timedelta=datetime.timedelta,
    )


def _check_expression(text, names):
    """Return the names ``text`` uses; raise a ValueError when it uses anything but the literals,
    operators, attributes and ``names`` a condition may use."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ValueError(error.msg) from error
    used = set()
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValueError(f"{type(node).__name__} is not allowed")
        if isinstance(node, ast.BinOp | ast.UnaryOp) and not isinstance(
            node.op, ast.Add | ast.Sub | ast.USub | ast.UAdd
        ):
            raise ValueError(f"{type(node.op).__name__} is not allowed")
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise ValueError(f"name {node.id!r} is not allowed")
            used.add(node.id)
        if isinstance(node, ast.Attribute) and node.attr not in _ALLOWED_ATTRIBUTES:
            raise ValueError(f"attribute {node.attr!r} is not allowed")
    return used


def _check_value(value):
    """Raise a ValueError when ``value`` is not something the database can compare a field with."""
    if isinstance(value, list | tuple):
        for item in value:
            _check_value(item)
    elif not isinstance(value, _PLAIN_TYPES):
        raise ValueError(f"{value!r} is not a value a field can be compared with")
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} is not a number")
    elif isinstance(value, str) and "\x00" in value:
        raise ValueError("a text cannot contain a NUL character")


def _check_leaves(domain):
    """Raise a ValueError when a leaf of ``domain`` is not ``(field path, operator, plain value)``."""
    for leaf in domain:
        if leaf in (expression.AND_OPERATOR, expression.OR_OPERATOR, expression.NOT_OPERATOR):
            continue
        if not isinstance(leaf, list | tuple) or len(leaf) != 3:
            raise ValueError(f"{leaf!r} is not a condition (field, operator, value)")
        path, operator, value = leaf
        if not isinstance(path, str) and leaf not in (expression.TRUE_LEAF, expression.FALSE_LEAF):
            raise ValueError(f"{path!r} is not a field name")
        if operator in ("any", "not any") and isinstance(value, list | tuple):
            _check_leaves(value)
        else:
            _check_value(value)


class CrmLeadDomainMixin(models.AbstractModel):
    """A condition on leads/opportunities typed by a manager: rules, requirements and profiles share it.

    The condition is a domain in a Char field named by ``_lead_domain_field``. This is the one place that
    evaluates such conditions (with plain values only: no record, no environment, no method that reaches
    the database), validates them at save by running them as the user saving them, filters leads by many
    of them in one query and tells which fields they read.
    """

    _name = "crm.lead.domain.mixin"
    _description = "Condition on Leads/Opportunities"

    # The Char field holding the condition, in each model using the mixin.
    _lead_domain_field = "lead_domain"

    lead_domain_error = fields.Char(
        string="Condition Error",
        compute="_compute_lead_domain_error",
        help="Why the condition cannot be evaluated: the record is out of service until it is corrected.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends(lambda self: [self._lead_domain_field])
    def _compute_lead_domain_error(self):
        # What tells the managers that a module uninstall took a rule or profile out of service.
        for record in self:
            try:
                self._parse_lead_domain(record[self._lead_domain_field])
                record.lead_domain_error = False
            except Exception as error:
                record.lead_domain_error = self.env._(
                    "This condition cannot be evaluated (%(error)s): out of service until it is corrected.",
                    error=error,
                )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.model
    def _validate_lead_domain(self, domain, label):
        """Refuse with a ValidationError naming ``label`` a condition that cannot be evaluated on leads.

        The condition is really run, as the user saving it, in a savepoint: whatever the database would
        refuse later on a stage move or a lead form is refused now, and leaves the transaction usable.
        """
        parsed = self._parse_lead_domain(domain, label)
        if not parsed:
            return parsed
        self._check_lead_domain_models(parsed, label)
        try:
            with self.env.cr.savepoint():
                self.env["crm.lead"].with_context(active_test=False).search_count(parsed, limit=1)
        except psycopg2.OperationalError:
            # Serialization failures and lock timeouts are not the condition's fault: let Odoo retry.
            raise
        except (psycopg2.Error, ValueError, TypeError) as error:
            raise self._lead_domain_error(label, error) from error
        return parsed

    @api.model
    def _check_lead_domain_models(self, domain, label):
        """Refuse a condition reading a model of which the user saving it may read only their own part.

        Run at save as the user, such a condition sees that part only; on a stage move it sees every record
        (see ``_filter_by_domains``): saving it and watching which moves it refuses, or how many records it
        blocks, would tell its author what they may not read (a colleague's API keys...). Company rules,
        which apply to everyone, and paths that stay on readable records are not concerned.
        """
        Rule = self.env["ir.rule"]
        # Record rules are administrators' expressions (only Settings may write ir.rule), evaluated here as
        # Odoo itself evaluates them (ir.rule._compute_domain): never a manager's condition in this context.
        eval_context = Rule._eval_context()
        user_groups = self.env.user.groups_id
        for model_name in sorted({model_name for model_name, _fname in self._lead_domain_fields(domain)}):
            # sudo: the rules' definitions, to tell whether the user's own ones limit what they read.
            group_rules = Rule._get_rules(model_name).sudo().filtered(lambda rule: rule.groups & user_groups)
            limited = group_rules and not any(
                expression.normalize_domain(safe_eval(rule.domain_force or "[]", eval_context))
                in ([expression.TRUE_LEAF], [(1, "=", 1)])
                for rule in group_rules
            )
            if limited:
                raise self._lead_domain_error(
                    label,
                    self.env._(
                        "it reads %(model)s, of which you may read only some records",
                        model=self.env[model_name]._description,
                    ),
                )

    def _check_references_readable(self, fnames):
        """Raise an AccessError when a record of self links, in ``fnames``, records the user may not read.

        A rule or profile binds the leads of the teams it names: one naming another company's team would
        let a manager configure that company's qualification.
        """
        for record in self:
            for fname in fnames:
                record[fname].check_access("read")

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _lead_domain_eval_context(self, names=None):
        """The names a condition may use, as Odoo's domain editor writes them: plain values only.

        ``context_today()`` is the user's date (the same for every condition), ``datetime`` builds
        datetimes of the user's timezone that ``to_utc()`` converts. With ``names``, only those are
        computed: a condition that uses no date costs no query.
        """
        factories = {
            "uid": lambda: self.env.uid,
            "company_id": lambda: self.env.company.id,
            "company_ids": lambda: list(self.env.companies.ids),
            "context_today": self._lead_domain_context_today,
            "relativedelta": lambda: dateutil.relativedelta.relativedelta,
            "datetime": lambda: _datetime_module(self._lead_domain_tz()),
            "time": lambda: safe_time,
            "timedelta": lambda: datetime.timedelta,
        }
        return {name: factory() for name, factory in factories.items() if names is None or name in names}

    @api.model
    def _lead_domain_context_today(self):
        today = fields.Date.context_today(self)
        return lambda: today

    @api.model
    def _lead_domain_tz(self):
        tz_name = self.env.context.get("tz") or self.env.user.tz or "UTC"
        return tz_name if tz_name in pytz.all_timezones_set else "UTC"

    @api.model
    def _parse_lead_domain(self, domain, label=None):
        """Return ``domain`` (a string) as a normalized list of plain values.

        Raise a ValidationError naming ``label`` when it cannot be used; without a label, the error as it
        comes (a ValueError for anything the condition may not contain).
        """
        if not domain or not domain.strip():
            return []
        try:
            names = _check_expression(domain, _CONTEXT_NAMES)
            parsed = safe_eval(domain, self._lead_domain_eval_context(names))
            if not isinstance(parsed, list | tuple):
                raise ValueError(f"{domain!r} is not a list of conditions")
            if not parsed:
                # Every record: no query to run (normalizing would make it a condition to run).
                return []
            parsed = expression.normalize_domain(list(parsed))
            _check_leaves(parsed)
            self._check_lead_domain_numbers(parsed)
            # Building the SQL resolves every field and operator without running anything; sudo: whether
            # the condition is well-formed does not depend on who reads it (saving runs it as the user).
            self.env["crm.lead"].sudo()._where_calc(parsed)
        except Exception as error:
            if label is None:
                raise
            raise self._lead_domain_error(label, error) from error
        return parsed

    def _get_lead_domains(self):
        """Return ``{record: parsed condition}`` for the records of self, ``None`` for a condition that
        cannot be evaluated any more (a field it reads was removed by a module uninstall): the caller
        takes such a record out of service, it never breaks a user's screen."""
        domains = {}
        for record in self:
            try:
                domains[record] = self._parse_lead_domain(record[self._lead_domain_field])
            except Exception as error:
                _logger.warning(
                    "%s %s (%s) is out of service: its condition cannot be evaluated (%s). "
                    "A sales manager should correct it.",
                    self._description,
                    record.id,
                    record.display_name,
                    error,
                )
                domains[record] = None
        return domains

    def _get_domains_in_service(self):
        """Return ``{record: parsed condition}`` for the records of self whose condition can be evaluated:
        the others are out of service (they apply to nothing) until a manager corrects them."""
        return {record: domain for record, domain in self._get_lead_domains().items() if domain is not None}

    @api.model
    def _filter_by_domains(self, leads, domains):
        """Return ``{key: leads of ``leads`` matching domains[key]}``, in one query for all the domains."""
        result = {key: leads for key, domain in domains.items() if not domain}
        to_query = {key: domain for key, domain in domains.items() if domain}
        if not to_query or not leads:
            result.update({key: leads.browse() for key in to_query})
            return result
        # sudo: a rule applies to a lead whoever moves it, whatever that user may read along the paths of
        # the condition; only ids come out of this query.
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        self.env.flush_all()
        selects = []
        for index, domain in enumerate(to_query.values()):
            query = Lead._search(expression.AND([[("id", "in", leads.ids)], domain]))
            selects.append(SQL("(%s)", query.select(SQL("%s", index), SQL.identifier(Lead._table, "id"))))
        rows = self.env.execute_query(SQL(" UNION ALL ").join(selects))
        matching = defaultdict(list)
        for index, lead_id in rows:
            matching[index].append(lead_id)
        for index, key in enumerate(to_query):
            result[key] = leads.browse(matching[index])
        return result

    @api.model
    def _check_lead_domain_numbers(self, domain, model_name="crm.lead"):
        """Raise a ValueError when a leaf compares an id or a number with anything but a number.

        The database refuses such a comparison only when the query runs: checked here, a condition saved
        before it was run at save is out of service instead of an error on every screen that reads it.
        """
        for leaf in domain:
            if not isinstance(leaf, list | tuple) or len(leaf) != 3 or not isinstance(leaf[0], str):
                continue
            path, operator, value = leaf
            model = self.env[model_name]
            field = None
            for name in path.split("."):
                field = model._fields.get(name)
                if field is None or not field.relational:
                    break
                model = self.env[field.comodel_name]
            if operator in ("any", "not any") and isinstance(value, list | tuple) and field is not None:
                self._check_lead_domain_numbers(value, model._name)
                continue
            if field is None or operator not in _NUMBER_OPERATORS:
                continue
            if field.name == "id" or field.type in ("integer", "float", "monetary"):
                for item in value if isinstance(value, list | tuple) else [value]:
                    if not isinstance(item, int | float | type(None)):
                        raise ValueError(f"{field.name} is a number: it cannot be compared with {item!r}")

    @api.model
    def _lead_domain_fields(self, domain, model_name="crm.lead"):
        """Return the ``(model, field name)`` pairs that the parsed ``domain`` reads, along each path."""
        result = set()
        for leaf in domain:
            if not isinstance(leaf, list | tuple) or len(leaf) != 3 or not isinstance(leaf[0], str):
                continue
            path, operator, value = leaf
            model = self.env[model_name]
            for name in path.split("."):
                field = model._fields.get(name)
                if field is None:
                    break
                result.add((model._name, name))
                if not field.relational:
                    break
                model = self.env[field.comodel_name]
            if operator in ("any", "not any") and isinstance(value, list | tuple):
                result |= self._lead_domain_fields(value, model._name)
        return result

    @api.model
    def _lead_domain_error(self, label, error):
        return ValidationError(
            self.env._(
                'The condition of "%(name)s" cannot be evaluated on leads/opportunities: %(error)s\n'
                "Build it with the domain editor: it may compare fields with values, your user id (uid), "
                "companies and dates relative to today, nothing else.",
                name=label,
                error=error,
            )
        )
