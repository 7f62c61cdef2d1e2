{
    "name": "Lead Qualification Plus - Sales",
    "summary": "Qualifying a lead creates its quotation; confirmed orders qualify their buyer's leads",
    "version": "18.0.2.0.0",
    "category": "Hidden",
    "website": "https://github.com/lead-qualification-plus/lead_qualification_plus",
    "author": "Lead Qualification Plus",
    "license": "LGPL-3",
    "depends": ["lead_qualification_plus", "sale_crm"],
    "data": [
        "views/sale_order_views.xml",
        "views/crm_qualification_profile_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/crm_lead_qualify_views.xml",
        "wizards/crm_qualification_settings_views.xml",
    ],
    "demo": [
        "demo/crm_qualification_profile_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "lead_qualification_plus_sale/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "auto_install": True,
}
