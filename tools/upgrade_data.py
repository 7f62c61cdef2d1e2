# Run by `./harness upgrade-test` in `odoo-bin shell` on a database of the addon's last single-module version:
# creates what the split into bridges must keep, and stores what is expected after the upgrade (a system
# parameter read by tools/upgrade_check.py).
import json

from odoo import Command

env = env(context=dict(env.context, tracking_disable=True))  # noqa: F821 (the shell's environment)
company = env.company
Profile = env["crm.qualification.profile"]
policies = ("always", "default_on", "default_off", "never")
profiles = Profile.create(
    [
        {
            "name": f"Upgrade {policy}",
            "sequence": 900 + index,
            "sale_order_policy": policy,
            "use_for_webshop": index == 0,
            "web_order_set_won": index in (0, 2),
        }
        for index, policy in enumerate(policies)
    ]
)

# A lead qualified with a quotation: the quotation's originating lead.
lead = env["crm.lead"].create(
    {
        "name": "Upgrade: quotation lead",
        "type": "lead",
        "partner_name": "Upgrade Company",
        "contact_name": "Una Upgrade",
        "email_from": "una@upgrade.example.com",
    }
)
result = lead.qualify(create_sale_order=True, profile_id=profiles[1].id)[0]
assert result["sale_order_id"], result

# A web order that qualified its buyer's lead: the order's originating lead.
buyer = env["res.partner"].create({"name": "Webb Buyer", "email": "webb@upgrade.example.com"})
web_lead = env["crm.lead"].create(
    {"name": "Upgrade: web lead", "type": "lead", "email_from": "webb@upgrade.example.com"}
)
product = env["product.product"].create({"name": "Upgrade service", "type": "service", "list_price": 10.0})
web_order = env["sale.order"].create(
    {
        "partner_id": buyer.id,
        "website_id": env["website"].search([], limit=1).id,
        "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
    }
)
web_order.action_confirm()
assert web_order.originating_lead_id == web_lead, web_order.originating_lead_id

# Settings that differ from the defaults.
company.write(
    {
        "order_qualifies_leads": False,
        "backend_order_qualifies_leads": True,
        "webshop_qualification_profile_id": profiles[2].id,
        "qualification_profile_id": profiles[3].id,
    }
)

all_profiles = Profile.with_context(active_test=False).search([])
expected = {
    "profiles": {
        str(profile.id): [
            profile.partner_policy,
            profile.contact_policy,
            profile.opportunity_policy,
            profile.sale_order_policy,
            profile.use_for_webshop,
            profile.web_order_set_won,
        ]
        for profile in all_profiles
    },
    "orders": {
        str(order.id): order.originating_lead_id.id
        for order in env["sale.order"].search([("originating_lead_id", "!=", False)])
    },
    "leads": {
        str(qualified.id): [qualified.qualification_state, qualified.qualification_profile_id.id]
        for qualified in lead | web_lead
    },
    "company": {
        str(company.id): [
            company.order_qualifies_leads,
            company.backend_order_qualifies_leads,
            company.webshop_qualification_profile_id.id,
            company.qualification_profile_id.id,
        ]
    },
}
assert len(expected["orders"]) >= 2, expected["orders"]
env["ir.config_parameter"].set_param("lead_qualification_plus.upgrade_expected", json.dumps(expected))
env.cr.commit()
print(f"upgrade data: {len(expected['profiles'])} profiles, {len(expected['orders'])} linked orders")
