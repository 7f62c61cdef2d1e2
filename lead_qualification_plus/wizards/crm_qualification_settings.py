from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# The company fields this form sets, under the same names.
COMPANY_SETTINGS = (
    "qualification_profile_id",
    "order_qualifies_leads",
    "backend_order_qualifies_leads",
    "webshop_qualification_profile_id",
)


class CrmQualificationSettings(models.TransientModel):
    """The qualification settings of the current company, for sales managers.

    Odoo's Settings are for administrators only; the people who configure qualification (sales managers)
    set these company settings here.
    """

    _name = "crm.qualification.settings"
    _description = "Qualification Settings"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    qualification_profile_id = fields.Many2one(
        comodel_name="crm.qualification.profile",
        string="Default Qualification Profile",
        compute="_compute_company_settings",
        store=True,
        readonly=False,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Used to qualify the leads that no qualification profile suits.",
    )
    order_qualifies_leads = fields.Boolean(
        string="Orders Qualify Leads",
        compute="_compute_company_settings",
        store=True,
        readonly=False,
        help="A confirmed web shop order qualifies the buyer's open leads and is linked to them.",
    )
    backend_order_qualifies_leads = fields.Boolean(
        string="Backend Quotations Too",
        compute="_compute_company_settings",
        store=True,
        readonly=False,
        help="Confirming a quotation made in the backend qualifies the buyer's open leads too.",
    )
    webshop_qualification_profile_id = fields.Many2one(
        comodel_name="crm.qualification.profile",
        string="Webshop Profile",
        compute="_compute_company_settings",
        store=True,
        readonly=False,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Profile applied when an order qualifies leads; empty uses the first profile marked for the "
        "webshop, else only links the buyer.",
    )

    @api.depends("company_id")
    def _compute_company_settings(self):
        for settings in self:
            for name in COMPANY_SETTINGS:
                settings[name] = settings.company_id[name]

    def action_save(self):
        """Write the settings on the company; only sales managers may, with profiles of that company."""
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only sales managers may change the qualification settings."))
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("You may only change the settings of your own companies."))
        profiles = self.qualification_profile_id | self.webshop_qualification_profile_id
        # read as the user: a profile they cannot see is refused here
        profiles.check_access("read")
        if profiles.company_id - self.company_id:
            raise ValidationError(
                self.env._(
                    "The profiles must be shared or belong to %(company)s.", company=self.company_id.name
                )
            )
        # Sales managers may not write companies: only the fields above, checked, are written for them.
        self.company_id.sudo().write({name: self[name] for name in COMPANY_SETTINGS})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The qualification settings are saved."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
