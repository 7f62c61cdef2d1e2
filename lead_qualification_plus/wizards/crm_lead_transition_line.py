from odoo import Command, api, fields, models
from odoo.tools import plaintext2html

# Field types the checklist offers an input for, and the line field holding the value.
VALUE_FIELDS = {
    "char": "value_char",
    "text": "value_text",
    "html": "value_text",
    "integer": "value_integer",
    "float": "value_float",
    "monetary": "value_float",
    "boolean": "value_boolean",
    "date": "value_date",
    "datetime": "value_datetime",
    "many2one": "value_res_id",
    # A many2many requirement is met by one record: the popup adds the one chosen to the record's own.
    "many2many": "value_res_id",
    "selection": "value_selection_id",
}


class CrmLeadTransitionLine(models.TransientModel):
    """One requirement of the transition popup, with its mark and the input or button that meets it."""

    _name = "crm.lead.transition.line"
    _description = "Lead Transition Requirement"
    _order = "sequence, id"

    wizard_id = fields.Many2one(comodel_name="crm.lead.transition", required=True, ondelete="cascade")
    requirement_id = fields.Many2one(
        comodel_name="crm.transition.requirement",
        string="Requirement Definition",
        required=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(related="requirement_id.sequence")
    name = fields.Char(related="requirement_id.name")
    kind = fields.Selection(related="requirement_id.kind")
    optional = fields.Boolean(related="requirement_id.optional")
    window_label = fields.Char(
        compute="_compute_window_label",
        help="How recent the evidence must be, e.g. 'in the last 30 days'.",
    )
    met = fields.Boolean(compute="_compute_met", help="The record meets the requirement as saved.")
    is_done = fields.Boolean(
        compute="_compute_is_done",
        help="Met, or about to be: a value typed for the field is written when the record moves.",
    )
    field_name = fields.Char(related="requirement_id.field_id.name")
    field_type = fields.Selection(related="requirement_id.field_id.ttype")
    value_field = fields.Char(
        compute="_compute_value_field",
        help="The input of this line, when the record's field can be filled here.",
    )
    # The model's name, not an ir.model record: salespeople may not read ir.model, which the web client's
    # reference widget reads to find the model of its input.
    value_res_model = fields.Char(string="Record Model", compute="_compute_value_field")
    value_char = fields.Char(string="Text")
    value_text = fields.Text(string="Long Text")
    value_integer = fields.Integer(string="Whole Number")
    value_float = fields.Float(string="Number")
    value_boolean = fields.Boolean(string="Yes")
    value_date = fields.Date(string="Date")
    value_datetime = fields.Datetime(string="Date and Time")
    value_res_id = fields.Many2oneReference(string="Record", model_field="value_res_model")
    selection_field_ref = fields.Integer(
        compute="_compute_value_field",
        help="The field definition whose options the Option input offers.",
    )
    value_selection_id = fields.Many2one(
        comodel_name="ir.model.fields.selection",
        string="Option",
        domain="[('field_id', '=', selection_field_ref)]",
    )
    has_value = fields.Boolean(compute="_compute_has_value")
    activity_type_id = fields.Many2one(related="requirement_id.activity_type_id")
    has_open_activity = fields.Boolean(
        compute="_compute_has_open_activity",
        help="An activity of the requirement's type is planned on the record: it can be marked done.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("requirement_id", "wizard_id.lead_id")
    def _compute_met(self):
        for wizard, lines in self.grouped("wizard_id").items():
            lead = wizard.lead_id
            met = lines.requirement_id._evaluate(lead, {lead.id: lead.date_last_stage_update})
            for line in lines:
                line.met = lead.id in met.get(line.requirement_id.id, ())

    @api.depends("requirement_id.valid_days")
    def _compute_window_label(self):
        for line in self:
            days = line.requirement_id.valid_days
            if not days:
                line.window_label = False
            elif days == 1:
                line.window_label = self.env._("in the last day")
            else:
                line.window_label = self.env._("in the last %(days)s days", days=days)

    @api.depends("requirement_id.field_id")
    def _compute_value_field(self):
        for line in self:
            # Salespeople do not read the field definitions: the requirement tells which field it checks.
            field = line.requirement_id.sudo().field_id
            model_field = line.wizard_id.lead_id._fields.get(field.name) if field else None
            editable = bool(model_field) and not model_field.readonly
            # A selection computed by a method has no stored options to offer.
            if field.ttype == "selection" and not field.selection_ids:
                editable = False
            line.value_field = VALUE_FIELDS.get(field.ttype) if line.kind == "field" and editable else False
            line.value_res_model = field.relation if line.value_field == "value_res_id" else False
            line.selection_field_ref = field.id if line.value_field == "value_selection_id" else False

    @api.depends(*set(VALUE_FIELDS.values()))
    def _compute_has_value(self):
        for line in self:
            line.has_value = bool(line.value_field) and bool(line[line.value_field])

    @api.depends("requirement_id", "wizard_id.lead_id")
    def _compute_has_open_activity(self):
        activity_lines = self.filtered(lambda line: line.kind == "activity_done")
        (self - activity_lines).has_open_activity = False
        for line in activity_lines:
            line.has_open_activity = bool(line._get_open_activity())

    @api.depends("met", "has_value")
    def _compute_is_done(self):
        # The popup shows the state as soon as a value is typed; the server checks the rule on the move.
        for line in self:
            line.is_done = line.met or (line.kind == "field" and line.has_value)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_mark_done(self):
        """Mark an open activity of the requirement's type done, with the summary.

        When none is planned, one is logged as done right away."""
        self.ensure_one()
        wizard = self.wizard_id
        wizard._apply_field_values()
        activity = self._get_open_activity() or self._schedule_activity()
        activity.action_feedback(feedback=wizard.note or False)
        wizard.note = False
        return wizard._action_reopen()

    def action_activity_dialog(self, mark_done=False):
        """Odoo's activity dialog for the requirement's activity type on the record.

        With ``mark_done`` it is opened to log the activity as done ("Schedule & Mark as Done"), the summary
        typed in the checklist as its note; otherwise to plan it (type, date, assignee)."""
        self.ensure_one()
        wizard = self.wizard_id
        wizard._apply_field_values()
        activity_type = self.requirement_id.activity_type_id
        context = {
            "active_model": "crm.lead",
            "active_id": wizard.lead_id.id,
            "active_ids": wizard.lead_id.ids,
            "default_activity_type_id": activity_type.id,
            "default_summary": activity_type.summary or self.requirement_id.name,
        }
        if mark_done and (wizard.note or "").strip():
            context["default_note"] = plaintext2html(wizard.note)
        view = (
            self.env.ref("lead_qualification_plus.mail_activity_schedule_view_form_log_done")
            if mark_done
            else None
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log %(activity)s as done", activity=activity_type.name)
            if mark_done
            else self.env._("Schedule %(activity)s", activity=activity_type.name),
            "res_model": "mail.activity.schedule",
            "view_mode": "form",
            "views": [(view.id if view else False, "form")],
            "target": "new",
            "context": context,
        }

    def action_schedule(self):
        """Plan an activity of the requirement's type on the record, for the current user."""
        self.ensure_one()
        self.wizard_id._apply_field_values()
        self._schedule_activity()
        return self.wizard_id._action_reopen()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_value(self):
        self.ensure_one()
        value = self[self.value_field]
        if self.value_field == "value_res_id" and self.field_type == "many2many":
            return [Command.link(value)] if value else []
        if self.value_field == "value_selection_id":
            return value.value
        return value

    def _reset_values(self):
        self.write(dict.fromkeys(set(VALUE_FIELDS.values()), False))

    def _get_open_activity(self):
        lead = self.wizard_id.lead_id
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("activity_type_id", "=", self.requirement_id.activity_type_id.id),
            ],
            order="date_deadline, id",
            limit=1,
        )

    def _schedule_activity(self):
        activity_type = self.requirement_id.activity_type_id
        return self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": self.wizard_id.lead_id.id,
                "activity_type_id": activity_type.id,
                "summary": activity_type.summary or self.requirement_id.name,
                "user_id": self.env.uid,
                "date_deadline": activity_type._get_date_deadline(),
            }
        )
