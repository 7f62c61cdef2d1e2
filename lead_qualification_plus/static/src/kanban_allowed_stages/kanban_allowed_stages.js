import { CrmKanbanRenderer } from "@crm/views/crm_kanban/crm_kanban_renderer";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { fetchAllowedStages, refusedStageTitle } from "../allowed_stages/allowed_stages";

const REFUSED_CLASS = "o_lqp_stage_refused";

/**
 * While a card of the pipeline is dragged, the columns it may not move to now are dimmed. The server is
 * asked once per drag, and only for a card whose moves could be refused (``stage_moves_restricted``). The
 * dimmed columns stay drop targets: the server's refusal says what is missing or where the card may go.
 */
patch(CrmKanbanRenderer.prototype, {
    setup() {
        super.setup(...arguments);
        this.lqpOrm = useService("orm");
        // The drag whose columns are marked (or about to be): an answer arriving after it ended is dropped.
        this.lqpDrag = null;
    },

    sortStart({ element, group }) {
        super.sortStart(...arguments);
        const record = this.lqpGetDraggedLead(element);
        if (record) {
            this.lqpMarkStages(record, group);
        }
    },

    sortStop() {
        this.lqpUnmarkStages();
        super.sortStop(...arguments);
    },

    /** The lead of the dragged card when the columns are its stages and its moves could be refused. */
    lqpGetDraggedLead(element) {
        const list = this.props.list;
        if (list.resModel !== "crm.lead" || !list.isGrouped || list.groupByField.name !== "stage_id") {
            return null;
        }
        for (const group of list.groups) {
            const record = group.list.records.find((record) => record.id === element.dataset.id);
            if (record) {
                // A view without the field (another kanban of leads) asks: the marks must not be wrong.
                return record.data.stage_moves_restricted === false ? null : record;
            }
        }
        return null;
    },

    async lqpMarkStages(record, sourceGroupEl) {
        const drag = { marked: [] };
        this.lqpDrag = drag;
        const allowedIds = await fetchAllowedStages(this.lqpOrm, record.resId);
        if (this.lqpDrag !== drag || !allowedIds) {
            return;
        }
        const title = refusedStageTitle();
        const hint = _t("Not a next step now");
        for (const group of this.props.list.groups) {
            const groupEl = this.rootRef.el?.querySelector(`.o_kanban_group[data-id="${group.id}"]`);
            if (!groupEl || groupEl === sourceGroupEl || allowedIds.includes(group.value)) {
                continue;
            }
            groupEl.classList.add(REFUSED_CLASS);
            groupEl.setAttribute("title", title);
            // Shown by the column's header, which stays in sight when the pipeline scrolls.
            groupEl.querySelector(".o_kanban_header")?.setAttribute("data-lqp-hint", hint);
            drag.marked.push(groupEl);
        }
    },

    lqpUnmarkStages() {
        for (const groupEl of this.lqpDrag?.marked || []) {
            groupEl.classList.remove(REFUSED_CLASS);
            groupEl.removeAttribute("title");
            groupEl.querySelector(".o_kanban_header")?.removeAttribute("data-lqp-hint");
        }
        this.lqpDrag = null;
    },
});
