# Run by `./harness upgrade-test` in `odoo-bin shell` after the upgrade: every record tools/upgrade_data.py
# stored must have come through; exits non-zero listing each loss.
import json

expected = json.loads(env["ir.config_parameter"].get_param("lead_qualification_plus.upgrade_expected"))  # noqa: F821
env = env  # noqa: F821 (the shell's environment)
lost = []


def compare(what, record_id, want, got):
    if want != got:
        lost.append(f"{what} {record_id}: expected {want}, found {got}")


Profile = env["crm.qualification.profile"].with_context(active_test=False)
for profile_id, want in expected["profiles"].items():
    profile = Profile.browse(int(profile_id)).exists()
    if not profile:
        lost.append(f"profile {profile_id}: deleted")
        continue
    got = [
        profile.partner_policy,
        profile.contact_policy,
        profile.opportunity_policy,
        profile.sale_order_policy,
        profile.use_for_webshop,
        profile.web_order_set_won,
    ]
    compare("profile", profile_id, want, got)
for order_id, lead_id in expected["orders"].items():
    order = env["sale.order"].browse(int(order_id)).exists()
    compare("order's originating lead", order_id, lead_id, order.originating_lead_id.id if order else None)
for lead_id, want in expected["leads"].items():
    lead = env["crm.lead"].with_context(active_test=False).browse(int(lead_id))
    compare("lead", lead_id, want, [lead.qualification_state, lead.qualification_profile_id.id])
for company_id, want in expected["company"].items():
    company = env["res.company"].browse(int(company_id))
    got = [
        company.order_qualifies_leads,
        company.backend_order_qualifies_leads,
        company.webshop_qualification_profile_id.id,
        company.qualification_profile_id.id,
    ]
    compare("company settings", company_id, want, got)
# The moved fields belong to the bridges now (an uninstall of a bridge removes them, not of the addon).
for model, fname, module in (
    ("sale.order", "originating_lead_id", "lead_qualification_plus_sale"),
    ("crm.qualification.profile", "sale_order_policy", "lead_qualification_plus_sale"),
    ("res.company", "backend_order_qualifies_leads", "lead_qualification_plus_sale"),
    ("crm.qualification.profile", "use_for_webshop", "lead_qualification_plus_website_sale"),
    ("res.company", "webshop_qualification_profile_id", "lead_qualification_plus_website_sale"),
):
    field = env["ir.model.fields"]._get(model, fname)
    xmlid = f"{module}.field_{model.replace('.', '_')}__{fname}"
    xmlids = field._get_external_ids().get(field.id, []) if field else []
    compare(f"field {model}.{fname}", "owner", [xmlid], xmlids)
if lost:
    raise SystemExit("data lost in the upgrade:\n" + "\n".join(lost))
print(f"upgrade check: {len(expected['profiles'])} profiles and {len(expected['orders'])} orders kept")
