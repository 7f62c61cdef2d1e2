import { useEffect, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { StatusBarField } from "@web/views/fields/statusbar/statusbar_field";
import { fetchAllowedStages, refusedStageTitle } from "../allowed_stages/allowed_stages";

function isLeadStage({ record, name }) {
    return record.resModel === "crm.lead" && name === "stage_id";
}

patch(StatusBarField.prototype, {
    setup() {
        super.setup(...arguments);
        // The stages the record may move to now (crm.lead.get_allowed_stages): the others are dimmed, still
        // clickable, so the server's refusal explains what is missing.
        this.lqpAllowed = useState({ ids: null });
        if (!isLeadStage(this.props)) {
            return;
        }
        const orm = useService("orm");
        useEffect(
            (resId) => {
                this.lqpAllowed.ids = null;
                if (!resId) {
                    return;
                }
                fetchAllowedStages(orm, resId).then((ids) => {
                    this.lqpAllowed.ids = ids;
                });
            },
            () => [this.props.record.resId, this.props.record.data.stage_id?.[0]]
        );
    },

    lqpIsRefused(item) {
        const ids = this.lqpAllowed.ids;
        return Boolean(ids && !item.isSelected && !ids.includes(item.value));
    },

    lqpItemTitle(item) {
        return this.lqpIsRefused(item) ? refusedStageTitle() : "";
    },

    /**
     * A stage the transition rules refuse leaves the lead on its saved stage: without this, the form stays
     * dirty on the refused stage, one more click away from trying to save it again.
     */
    async selectItem(item) {
        const { name, record } = this.props;
        if (!isLeadStage(this.props)) {
            return super.selectItem(...arguments);
        }
        const hadChanges = record.dirty;
        const previous = record.data[name];
        await super.selectItem(...arguments).catch(async (error) => {
            if (hadChanges) {
                await record.update({ [name]: previous });
            } else {
                await record.discard();
                // From the server: whatever the refused save left in the record, the saved stage shows.
                await record.load();
            }
            throw error;
        });
    },
});
