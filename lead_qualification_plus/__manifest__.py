{
    "name": "Lead Qualification Plus",
    "summary": "Qualify leads with profiles, enforce stage transition requirements, "
    "disqualify with reasons and reactivate, track stakeholders and competitors",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/lead-qualification-plus/lead_qualification_plus",
    "author": "Lead Qualification Plus",
    "license": "LGPL-3",
    "depends": ["crm", "sale_crm"],
    "data": [
        "security/lead_qualification_plus_security.xml",
        "security/ir.model.access.csv",
        "data/res_groups_data.xml",
        "views/crm_qualification_event_views.xml",
        "views/crm_lead_views.xml",
        "data/crm_stakeholder_role_data.xml",
        "views/crm_stakeholder_role_views.xml",
        "views/crm_competitor_views.xml",
        "views/res_partner_views.xml",
        "wizards/crm_lead_lost_views.xml",
        "security/crm_transition_rule_security.xml",
        "data/mail_activity_type_data.xml",
        "views/crm_transition_rule_views.xml",
        "wizards/crm_lead_transition_views.xml",
        "security/crm_qualification_report_security.xml",
        "report/crm_qualification_report_views.xml",
        "report/crm_transition_block_report_views.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/crm_competitor_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "lead_qualification_plus/static/src/**/*",
        ],
        "web.assets_tests": [
            "lead_qualification_plus/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": False,
}
