import { Dialog } from "@web/core/dialog/dialog";
import { standardErrorDialogProps } from "@web/core/errors/error_dialogs";
import { registry } from "@web/core/registry";
import { Component } from "@odoo/owl";
import { openTransitionChecklist } from "./transition_opener";

/**
 * Shown when a transition rule refuses a move (kanban drop, status bar, Qualify): the missing work and a
 * button opening the refused rule's checklist, where it can be done (or, for a manager, forced).
 */
export class TransitionBlockedDialog extends Component {
    static template = "lead_qualification_plus.TransitionBlockedDialog";
    static components = { Dialog };
    static props = { ...standardErrorDialogProps };

    get blocked() {
        return this.props.data?.context?.lqp_transition_blocked;
    }

    get message() {
        return this.props.data?.arguments?.[0] || this.props.message;
    }

    async openChecklist() {
        const { lead_id: leadId, rule_id: ruleId } = this.blocked;
        const env = this.env;
        this.props.close();
        await openTransitionChecklist(env, {
            leadId,
            ruleId,
            // The view that refused the move shows the record as it is once the checklist is closed.
            onClose: () => env.services.action.doAction("soft_reload"),
        });
    }
}

registry
    .category("error_dialogs")
    .add(
        "odoo.addons.lead_qualification_plus.models.crm_transition_rule.TransitionBlockedError",
        TransitionBlockedDialog
    );
