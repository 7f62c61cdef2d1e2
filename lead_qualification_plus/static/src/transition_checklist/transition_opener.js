/**
 * Opens the checklist of a transition rule for a record, and brings it back after one of Odoo's own
 * dialogs (schedule or log an activity) that the checklist opened in its place.
 *
 * The action service shows one dialog at a time: an activity dialog opened from the checklist replaces
 * it and inherits its onClose. The checklist asks to come back with `returnToChecklist()` before opening
 * such a dialog; the onClose below then opens the checklist again instead of finishing.
 */
let pendingReturn = null;

export function returnToChecklist(leadId, ruleId) {
    pendingReturn = { leadId, ruleId };
}

export async function openTransitionChecklist(env, { leadId, ruleId, context = {}, onClose }) {
    const action = await env.services.orm.call("crm.lead", "action_open_transition", [[leadId], ruleId], {
        context,
    });
    // The checklist of a qualification rule ends on the Qualify wizard: its onClose is the opener's.
    await env.services.action.doAction(action, {
        onClose: async (info) => {
            const back = pendingReturn;
            pendingReturn = null;
            if (back && back.leadId === leadId && back.ruleId === ruleId) {
                return openTransitionChecklist(env, { leadId, ruleId, context, onClose });
            }
            return onClose?.(info);
        },
    });
}
