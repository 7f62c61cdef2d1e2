from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLeadTransition(models.TransientModel):
    """The popup of one transition rule for one record: its checklist, the work done in place, the move."""

    _name = "crm.lead.transition"
    _description = "Lead Transition"

    lead_id = fields.Many2one(comodel_name="crm.lead", string="Lead", required=True, ondelete="cascade")
    rule_id = fields.Many2one(
        comodel_name="crm.transition.rule",
        string="Transition",
        required=True,
        ondelete="cascade",
    )
    to_stage_id = fields.Many2one(related="rule_id.to_stage_id")
    target = fields.Selection(related="rule_id.target")
    match = fields.Selection(related="rule_id.match")
    guidance = fields.Html(related="rule_id.guidance")
    line_ids = fields.One2many(
        comodel_name="crm.lead.transition.line",
        inverse_name="wizard_id",
        string="Requirements",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )
    note = fields.Text(
        string="Summary",
        help="Posted as a note with 'Log note', or as the feedback of an activity you mark done here.",
    )
    is_satisfied = fields.Boolean(compute="_compute_is_satisfied")
    move_label = fields.Char(compute="_compute_move_label")
    can_force = fields.Boolean(
        compute="_compute_can_force",
        help="The user may move the record although the requirements are not met, with a reason.",
    )
    force_reason = fields.Text(
        string="Reason to Force",
        help="Why the move skips the requirements: posted in the chatter with what was not done.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("rule_id")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create({"requirement_id": requirement.id})
                for requirement in wizard.rule_id.requirement_ids
            ]

    @api.depends("line_ids.is_done", "line_ids.optional", "match")
    def _compute_is_satisfied(self):
        for wizard in self:
            # Recommended items never block: the rule decides on the others alone.
            met = wizard.line_ids.filtered(lambda line: not line.optional).mapped("is_done")
            wizard.is_satisfied = not met or (any(met) if wizard.match == "any" else all(met))

    @api.depends("to_stage_id", "target")
    def _compute_move_label(self):
        for wizard in self:
            if wizard.target == "qualify":
                wizard.move_label = self.env._("Qualify")
            else:
                wizard.move_label = self.env._("Move to %(stage)s", stage=wizard.to_stage_id.name)

    @api.depends_context("uid")
    @api.depends("target")
    def _compute_can_force(self):
        # Forcing exists for stage moves only: a qualification has its own wizard and no forced path.
        may_force = self.env.user.has_group("lead_qualification_plus.group_transition_override")
        for wizard in self:
            wizard.can_force = may_force and wizard.target == "stage"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_save(self):
        """Write the values typed in the checklist on the record and show the checklist again."""
        self._apply_field_values()
        return self._action_reopen()

    def action_log_note(self):
        """Post the summary as a note on the record and show the checklist again."""
        self.ensure_one()
        self._apply_field_values()
        if not (self.note or "").strip():
            raise UserError(self.env._("Write the note in the Summary box first."))
        self.lead_id.message_post(body=self.note, message_type="comment", subtype_xmlid="mail.mt_note")
        self.note = False
        return self._action_reopen()

    def action_move(self):
        """Write the values typed in the checklist, then move the record: the transition rules decide.

        For a qualification rule the move is the Qualify wizard, which checks the rule again."""
        self.ensure_one()
        self._apply_field_values()
        if self.target == "qualify":
            self.lead_id._check_qualify_transition_rules()
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "lead_qualification_plus.crm_lead_qualify_action"
            )
            action["context"] = {"active_model": "crm.lead", "active_id": self.lead_id.id}
            return action
        self.lead_id.write({"stage_id": self.to_stage_id.id})
        return {"type": "ir.actions.act_window_close"}

    def action_force(self):
        """Move the record despite the unmet requirements (override group, reason required)."""
        self.ensure_one()
        self._apply_field_values()
        if self.target != "stage":
            raise UserError(self.env._("Only a move to a stage can be forced: complete the checklist."))
        self.lead_id.force_transition(self.to_stage_id.id, self.force_reason)
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _apply_field_values(self):
        for wizard in self:
            values = {}
            for line in wizard.line_ids:
                if line.kind == "field" and line.has_value:
                    values[line.field_name] = line._get_value()
            if values:
                wizard.lead_id.write(values)
                wizard.line_ids._reset_values()

    def _action_reopen(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.rule_id.name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": self.env.context,
        }
