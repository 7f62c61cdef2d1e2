from odoo import SUPERUSER_ID, fields, models


class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"

    # Sales managers read the server actions on leads to choose those a transition rule runs: a webhook's URL
    # often carries its secret token, and stays an administrator's read, as the code of an action does.
    webhook_url = fields.Char(groups="base.group_system")

    def _lqp_made_by_administrator(self):
        """Whether server action ``self`` was created and last changed by an administrator (or by a module's
        data): the only actions a transition rule may run, since they run in superuser mode like Odoo's
        automations, and a rule is configured by sales managers, who may not write server actions (nor their
        code) themselves."""
        self.ensure_one()
        # sudo: who made the action, read for whoever asks (a sales manager saving a rule may not read them).
        authors = self.sudo().create_uid | self.sudo().write_uid
        return bool(authors) and all(
            author.id == SUPERUSER_ID or author.has_group("base.group_system") for author in authors
        )
