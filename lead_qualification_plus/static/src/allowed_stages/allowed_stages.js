import { _t } from "@web/core/l10n/translation";

/**
 * The ids of the stages the lead ``resId`` may move to now (crm.lead.get_allowed_stages), or null when the
 * server could not say. The marks built on it are a hint: the server's check of the move itself decides.
 */
export async function fetchAllowedStages(orm, resId) {
    try {
        return await orm.silent.call("crm.lead", "get_allowed_stages", [[resId]]);
    } catch {
        return null;
    }
}

/** Why a stage is marked out of reach, for its title. */
export function refusedStageTitle() {
    return _t("Not a next step for this record now: the move would be refused or ask for work first.");
}
