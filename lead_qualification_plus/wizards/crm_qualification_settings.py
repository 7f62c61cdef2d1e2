from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


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

    def _get_company_settings(self):
        """The company fields this form sets, under the same names (the bridges add theirs)."""
        return ["qualification_profile_id"]

    def _get_profiles_set(self):
        """The profiles the form sets: each must be one the user may read, of the company or shared."""
        return self.qualification_profile_id

    @api.depends("company_id")
    def _compute_company_settings(self):
        names = self._get_company_settings()
        for settings in self:
            for name in names:
                settings[name] = settings.company_id[name]

    def action_save(self):
        """Write the settings on the company; only sales managers may, with profiles of that company."""
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only sales managers may change the qualification settings."))
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("You may only change the settings of your own companies."))
        profiles = self._get_profiles_set()
        # read as the user: a profile they cannot see is refused here
        profiles.check_access("read")
        if profiles.company_id - self.company_id:
            raise ValidationError(
                self.env._(
                    "The profiles must be shared or belong to %(company)s.", company=self.company_id.name
                )
            )
        # Sales managers may not write companies: only the fields above, checked, are written for them.
        self.company_id.sudo().write({name: self[name] for name in self._get_company_settings()})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The qualification settings are saved."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
