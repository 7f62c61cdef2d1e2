from odoo import models
from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
from odoo.exceptions import UserError


class IrModelFields(models.Model):
    _inherit = "ir.model.fields"

    def write(self, vals):
        # A renamed field is gone for the conditions that name it, as a deleted one.
        if "name" in vals and not self.env.context.get(MODULE_UNINSTALL_FLAG):
            self.filtered(lambda field: field.name != vals["name"])._check_lead_qualification_usage()
        return super().write(vals)

    def unlink(self):
        # Checked before anything is removed: the registry drops the fields first. A module uninstall removes
        # its fields whatever uses them; a condition left reading one is then out of service where it is
        # evaluated (crm.lead.domain.mixin), never an error on a salesperson's screen.
        if self and not self.env.context.get(MODULE_UNINSTALL_FLAG):
            self._check_lead_qualification_usage()
        return super().unlink()

    def _check_lead_qualification_usage(self):
        """Refuse to delete or rename a field that a transition rule, a requirement or a profile reads: each
        would break, or silently lose a requirement, the day the field is gone."""
        if not self:
            return
        removed = {(field.model, field.name) for field in self}
        # sudo: the rules and profiles of every company use the field, whoever deletes it.
        Rule = self.env["crm.transition.rule"].sudo().with_context(active_test=False)
        Requirement = self.env["crm.transition.requirement"].sudo()
        Profile = self.env["crm.qualification.profile"].sudo().with_context(active_test=False)
        users = []
        # Only the records with a condition: "[]" (the default) reads no field.
        with_condition = [("lead_domain", "not in", [False, "", "[]"])]
        for rule, domain in Rule.search(with_condition)._get_lead_domains().items():
            if domain and Rule._lead_domain_fields(domain) & removed:
                users.append(self.env._("the transition rule “%(rule)s”", rule=rule.name))
        for profile, domain in Profile.search(with_condition)._get_lead_domains().items():
            if domain and Profile._lead_domain_fields(domain) & removed:
                users.append(self.env._("the qualification profile “%(profile)s”", profile=profile.name))
        requirements = Requirement.search([("kind", "=", "field"), ("field_id", "in", self.ids)])
        for requirement, domain in Requirement.search([("kind", "=", "domain")])._get_lead_domains().items():
            if domain and Requirement._lead_domain_fields(domain) & removed:
                requirements |= requirement
        users += [
            self.env._(
                "the requirement “%(requirement)s” of the transition rule “%(rule)s”",
                requirement=requirement.name,
                rule=requirement.rule_id.name,
            )
            for requirement in requirements
        ]
        if users:
            raise UserError(
                self.env._(
                    "The fields %(fields)s cannot be deleted or renamed: %(users)s use them. "
                    "Change or delete those first.",
                    fields=", ".join(f"{field.model}.{field.name}" for field in self),
                    users=", ".join(users),
                )
            )
