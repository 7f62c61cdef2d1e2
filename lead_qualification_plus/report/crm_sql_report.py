from odoo import models, tools
from odoo.tools import SQL


class CrmSqlReport(models.AbstractModel):
    """A report read from a SQL view: the model gives the view's ``_select``, ``_from`` and ``_where``,
    this creates the view at every install and update of the module."""

    _name = "crm.sql.report"
    _description = "CRM Report on a SQL View"

    def _select(self):
        raise NotImplementedError

    def _from(self):
        raise NotImplementedError

    def _where(self):
        return SQL()

    def init(self):
        # Odoo initialises the abstract model too: it has no view of its own.
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s %s %s)",
                SQL.identifier(self._table),
                self._select(),
                self._from(),
                self._where(),
            )
        )
