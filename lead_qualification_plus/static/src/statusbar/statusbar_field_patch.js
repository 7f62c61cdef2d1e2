import { patch } from "@web/core/utils/patch";
import { StatusBarField } from "@web/views/fields/statusbar/statusbar_field";

/**
 * A stage the transition rules refuse leaves the lead on its saved stage: without this, the form stays
 * dirty on the refused stage, one more click away from trying to save it again.
 */
patch(StatusBarField.prototype, {
    async selectItem(item) {
        const { name, record } = this.props;
        if (record.resModel !== "crm.lead" || name !== "stage_id") {
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
