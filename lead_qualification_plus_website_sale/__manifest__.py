{
    "name": "Lead Qualification Plus - eCommerce",
    "summary": "Web shop orders qualify their buyer's leads",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/lead-qualification-plus/lead_qualification_plus",
    "author": "Lead Qualification Plus",
    "license": "LGPL-3",
    "depends": ["lead_qualification_plus", "website_sale"],
    "assets": {
        "web.assets_tests": [
            "lead_qualification_plus_website_sale/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "auto_install": True,
}
