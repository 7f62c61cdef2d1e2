import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Field } from "@web/views/fields/field";
import { FileUploader } from "@web/views/fields/file_handler";
import { X2ManyField, x2ManyField } from "@web/views/fields/x2many/x2many_field";
import { useEffect } from "@odoo/owl";
import { returnToChecklist } from "./transition_opener";

/**
 * The requirements of the transition popup as a checklist: one row per requirement with its full name,
 * its state in words and colour, and the one control that completes it (the field's own input, Odoo's
 * activity dialogs, the summary logged as a note, a file upload). The server still checks every move.
 */
export class TransitionChecklistField extends X2ManyField {
    static template = "lead_qualification_plus.TransitionChecklistField";
    static components = { ...X2ManyField.components, Field, FileUploader };

    setup() {
        super.setup();
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        // The inputs are typed in place, like the cells of an editable list being edited.
        useEffect(
            (...records) => {
                for (const line of records) {
                    if (!line.isInEdition) {
                        line._switchMode("edit");
                    }
                }
            },
            () => this.list.records
        );
    }

    get lines() {
        return this.list.records;
    }

    fieldInfo(line) {
        return this.archInfo.fieldNodes[`${line.data.value_field}_0`];
    }

    kindHint(line) {
        const hints = {
            domain: _t("Update the record so that it matches this condition."),
            stakeholder: _t("Name them in the Stakeholders tab of the record."),
            competitor: _t("Add it in the Competitors tab of the record."),
            field: _t("Fill it in on the record's form."),
        };
        return hints[line.data.kind] || "";
    }

    /** The type goes in the tooltip: "Log Send survey as done" does not read as a sentence. */
    logDoneTitle(line) {
        return _t(
            "Log the %s as done in Odoo's activity dialog, with the summary below as its note",
            line.data.activity_type_id[1]
        );
    }

    get wizard() {
        return this.props.record;
    }

    /** Save what is typed in the popup (the server writes it on the record) and return the wizard's id. */
    async saveWizard() {
        if (!(await this.wizard.save())) {
            return false;
        }
        await this.orm.call("crm.lead.transition", "action_save", [[this.wizard.resId]], {
            context: this.wizard.context,
        });
        return this.wizard.resId;
    }

    async openActivityDialog(line, markDone) {
        if (!(await this.saveWizard())) {
            return;
        }
        const action = await this.orm.call(
            "crm.lead.transition.line",
            "action_activity_dialog",
            [[line.resId]],
            { mark_done: markDone, context: this.wizard.context }
        );
        returnToChecklist(this.wizard.data.lead_id[0], this.wizard.data.rule_id[0]);
        await this.action.doAction(action);
    }

    async runLineButton(line, method) {
        if (!(await this.saveWizard())) {
            return;
        }
        await this.orm.call("crm.lead.transition.line", method, [[line.resId]], {
            context: this.wizard.context,
        });
        await this.wizard.load();
    }

    async logNote() {
        if (!(await this.saveWizard())) {
            return;
        }
        await this.orm.call("crm.lead.transition", "action_log_note", [[this.wizard.resId]], {
            context: this.wizard.context,
        });
        await this.wizard.load();
    }

    async onFileUploaded(file) {
        if (!(await this.saveWizard())) {
            return;
        }
        await this.orm.create("ir.attachment", [
            {
                name: file.name,
                datas: file.data,
                mimetype: file.type,
                res_model: "crm.lead",
                res_id: this.wizard.data.lead_id[0],
            },
        ]);
        this.notification.add(_t("%s is attached to the record.", file.name), { type: "success" });
        await this.wizard.load();
    }
}

registry.category("fields").add("lqp_transition_checklist", {
    ...x2ManyField,
    component: TransitionChecklistField,
    supportedTypes: ["one2many"],
});
