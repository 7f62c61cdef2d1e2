"""Hand the sales and web-shop parts of the addon over to the bridges that now define them.

Odoo deletes the fields (and drops their columns) and the records whose XML id belongs to an updated module
that no longer defines them: the XML ids of what moved are given to the bridge that defines it now, before the
addon's update ends, and the sales bridge (new) is installed in the same run so that its fields keep their
data.
"""

import logging

_logger = logging.getLogger(__name__)

SALE = "lead_qualification_plus_sale"
WEBSITE_SALE = "lead_qualification_plus_website_sale"

# {bridge: {model: [fields]}}: the fields that moved out of the addon.
MOVED_FIELDS = {
    SALE: {
        "sale.order": ["originating_lead_id"],
        "crm.qualification.profile": ["sale_order_policy"],
        "res.company": ["order_qualifies_leads", "backend_order_qualifies_leads"],
        "res.config.settings": ["order_qualifies_leads", "backend_order_qualifies_leads"],
        "crm.qualification.settings": ["order_qualifies_leads", "backend_order_qualifies_leads"],
        "crm.lead.qualify": ["sale_order_policy", "create_sale_order"],
    },
    WEBSITE_SALE: {
        "crm.qualification.profile": ["use_for_webshop", "web_order_set_won"],
        "res.company": ["webshop_qualification_profile_id"],
        "res.config.settings": ["webshop_qualification_profile_id"],
        "crm.qualification.settings": ["webshop_qualification_profile_id"],
    },
}
# {bridge: [(model, xml name)]}: records that moved (the webshop profile of the demo data).
MOVED_RECORDS = {
    SALE: [("ir.ui.view", "sale_order_view_form")],
    WEBSITE_SALE: [("crm.qualification.profile", "crm_qualification_profile_demo_webshop")],
}


def _rehome(cr, bridge, model, names):
    cr.execute(
        """
        UPDATE ir_model_data
           SET module = %s
         WHERE module = 'lead_qualification_plus' AND model = %s AND name = ANY(%s)
        """,
        [bridge, model, names],
    )
    return cr.rowcount


def _rehome_fields(cr, bridge, fields_by_model):
    moved = 0
    for model, fnames in fields_by_model.items():
        table = model.replace(".", "_")
        moved += _rehome(cr, bridge, "ir.model.fields", [f"field_{table}__{fname}" for fname in fnames])
        # The values of a selection field are records of their own (ir.model.fields.selection).
        for fname in fnames:
            cr.execute(
                """
                UPDATE ir_model_data
                   SET module = %s
                 WHERE module = 'lead_qualification_plus' AND model = 'ir.model.fields.selection'
                   AND name LIKE %s
                """,
                [bridge, f"selection__{table}__{fname}__%"],
            )
            moved += cr.rowcount
    return moved


def _install_sale_bridge(cr):
    """Mark the sales bridge for installation in this run when Sales' CRM bridge is installed: its
    auto-install only fires when a module is installed, not when one is updated."""
    cr.execute(
        """
        UPDATE ir_module_module
           SET state = 'to install'
         WHERE name = %s AND state = 'uninstalled'
           AND EXISTS (SELECT 1 FROM ir_module_module WHERE name = 'sale_crm' AND state = 'installed')
        """,
        [SALE],
    )
    return cr.rowcount


def migrate(cr, version):
    if not version:
        return
    # Without sale_crm nothing of the sales parts can exist: nothing to hand over.
    cr.execute("SELECT 1 FROM ir_module_module WHERE name = 'sale_crm' AND state = 'installed'")
    if not cr.fetchone():
        return
    cr.execute("SELECT name FROM ir_module_module WHERE name = %s AND state = 'installed'", [WEBSITE_SALE])
    # Without the web shop its settings meant nothing: they leave with the addon's fields.
    bridges = [SALE, *(row[0] for row in cr.fetchall())]
    moved = 0
    for bridge in bridges:
        moved += _rehome_fields(cr, bridge, MOVED_FIELDS[bridge])
        for model, name in MOVED_RECORDS[bridge]:
            moved += _rehome(cr, bridge, model, [name])
    installing = _install_sale_bridge(cr)
    # The eCommerce bridge now depends on the sales bridge, not on the addon: Odoo no longer updates it with
    # the addon, yet its new fields and views must load in this run.
    cr.execute(
        "UPDATE ir_module_module SET state = 'to upgrade' WHERE name = %s AND state = 'installed'",
        [WEBSITE_SALE],
    )
    _logger.info(
        "lead_qualification_plus: %s XML ids handed to the bridges; sales bridge installed in this run: %s",
        moved,
        bool(installing),
    )
