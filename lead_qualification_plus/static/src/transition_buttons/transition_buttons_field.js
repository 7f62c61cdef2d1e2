import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { openTransitionChecklist } from "../transition_checklist/transition_opener";

/**
 * One button per transition rule available on the record (field transition_rule_ids): a click saves the
 * record and opens the rule's checklist popup; closing it reloads the record. Secondary buttons: the form's
 * one primary action stays Odoo's (New Quotation) or the addon's Qualify.
 */
export class TransitionButtonsField extends Component {
    static template = "lead_qualification_plus.TransitionButtonsField";
    static props = { ...standardFieldProps };

    get rules() {
        return this.props.record.data[this.props.name].records.map((rule) => ({
            id: rule.resId,
            name: rule.data.display_name,
        }));
    }

    async onClick(rule) {
        const record = this.props.record;
        if (!(await record.save())) {
            return;
        }
        await openTransitionChecklist(this.env, {
            leadId: record.resId,
            ruleId: rule.id,
            context: record.context,
            onClose: () => record.load(),
        });
    }
}

registry.category("fields").add("lqp_transition_buttons", {
    component: TransitionButtonsField,
    supportedTypes: ["many2many"],
    relatedFields: [{ name: "display_name", type: "char" }],
});
