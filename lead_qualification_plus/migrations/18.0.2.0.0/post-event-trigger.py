from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Say what brought back the records reactivated before reactivations recorded it: the scheduled action
    runs as its own user (OdooBot) and only it did; every other reactivation was a user's."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("lead_qualification_plus.ir_cron_reactivate_due_leads", raise_if_not_found=False)
    system_users = {SUPERUSER_ID}
    if cron and cron.user_id:
        system_users.add(cron.user_id.id)
    cr.execute(
        """
        UPDATE crm_qualification_event
           SET trigger = CASE WHEN user_id = ANY(%s) THEN 'scheduled' ELSE 'manual' END
         WHERE event = 'reactivated' AND trigger IS NULL
        """,
        [list(system_users)],
    )
