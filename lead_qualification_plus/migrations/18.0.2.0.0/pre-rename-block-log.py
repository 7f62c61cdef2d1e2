"""The transition block log was a model named like a report (``crm.transition.block.report``): rename it, its
tables, sequence, indexes and constraints, and its external ids, before the registry loads, so that its rows
are kept and the new model finds them where it expects them."""

from odoo.tools import SQL
from odoo.tools.sql import table_exists

OLD_MODEL, NEW_MODEL = "crm.transition.block.report", "crm.transition.block.log"
OLD_TABLE, NEW_TABLE = "crm_transition_block_report", "crm_transition_block_log"
OLD_REL, NEW_REL = f"{OLD_TABLE}_requirement_rel", f"{NEW_TABLE}_requirement_rel"


def _rename_table(cr, old, new):
    cr.execute(SQL("ALTER TABLE %s RENAME TO %s", SQL.identifier(old), SQL.identifier(new)))
    # Indexes, constraints and the id sequence carry the table's name: Odoo looks them up by it.
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
        [new, f"{old}%"],
    )
    for (name,) in cr.fetchall():
        cr.execute(
            SQL("ALTER INDEX %s RENAME TO %s", SQL.identifier(name), SQL.identifier(new + name[len(old) :]))
        )
    cr.execute(
        """SELECT conname FROM pg_constraint
            WHERE conrelid = %s::regclass AND conname LIKE %s AND contype != 'p'""",
        [new, f"{old}%"],
    )
    for (name,) in cr.fetchall():
        new_name = new + name[len(old) :]
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
                SQL.identifier(new),
                SQL.identifier(name),
                SQL.identifier(new_name),
            )
        )
        cr.execute("UPDATE ir_model_constraint SET name = %s WHERE name = %s", [new_name, name])
    cr.execute("SELECT 1 FROM pg_class WHERE relkind = 'S' AND relname = %s", [f"{old}_id_seq"])
    if cr.fetchone():
        cr.execute(
            SQL(
                "ALTER SEQUENCE %s RENAME TO %s",
                SQL.identifier(f"{old}_id_seq"),
                SQL.identifier(f"{new}_id_seq"),
            )
        )


def migrate(cr, version):
    if not version or not table_exists(cr, OLD_TABLE) or table_exists(cr, NEW_TABLE):
        return
    _rename_table(cr, OLD_TABLE, NEW_TABLE)
    if table_exists(cr, OLD_REL):
        _rename_table(cr, OLD_REL, NEW_REL)
    cr.execute("UPDATE ir_model_relation SET name = %s WHERE name = %s", [NEW_REL, OLD_REL])
    cr.execute("UPDATE ir_model_fields SET relation_table = %s WHERE relation_table = %s", [NEW_REL, OLD_REL])
    for table, column in [
        ("ir_model", "model"),
        ("ir_model_fields", "model"),
        ("ir_model_fields", "relation"),
        ("ir_model_data", "model"),
        ("ir_ui_view", "model"),
        ("ir_act_window", "res_model"),
        ("ir_filters", "model_id"),
    ]:
        cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE %s = %s",
                SQL.identifier(table),
                SQL.identifier(column),
                NEW_MODEL,
                SQL.identifier(column),
                OLD_MODEL,
            )
        )
    # The external ids of the model, its fields, views, action, menu, access and record rules, demo rows:
    # renamed rather than deleted and created again, so the rows and what users saved on them stay.
    cr.execute(
        """UPDATE ir_model_data SET name = replace(name, %s, %s)
            WHERE module = 'lead_qualification_plus' AND name LIKE %s""",
        [OLD_TABLE, NEW_TABLE, f"%{OLD_TABLE}%"],
    )
