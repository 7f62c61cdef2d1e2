import * as hoot from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";

const LEAD = "Tour card to drag";
const column = (stage) => `.o_opportunity_kanban .o_kanban_group:has(.o_column_title:contains('${stage}'))`;
const card = `.o_kanban_record:contains('${LEAD}')`;

// The drag under way across steps: the marks are checked while the pointer is still down.
let drag = null;

/** Start dragging the card (pointer down, then moved past the drag's tolerance), without dropping it. */
async function startDrag(element) {
    drag = await hoot.drag(element);
    await hoot.animationFrame();
    await drag.moveTo(element, { position: { top: 30, left: 30 }, relative: true });
    await hoot.animationFrame();
}

/** Drop the dragged card below the first card of ``stage``'s column (its top edge does not take drops). */
async function dropOn(stage) {
    await drag.moveTo(`${column(stage)} .o_kanban_record:not(${card})`, {
        position: "bottom",
        relative: true,
    });
    await hoot.animationFrame();
    await drag.drop();
    drag = null;
}

function checkNoSidewaysScroll() {
    const page = document.scrollingElement;
    if (page.scrollWidth > page.clientWidth) {
        throw new Error(`The page scrolls sideways: ${page.scrollWidth}px wide in ${page.clientWidth}px`);
    }
}

registry.category("web_tour.tours").add("lqp_kanban_allowed_stages", {
    url: "/odoo/action-crm.crm_lead_action_pipeline",
    steps: () => [
        {
            trigger: `${column("LQP Qualified")} .o_kanban_record:contains('Tour card in LQP Qualified')`,
            content: "The pipeline shows the team's columns",
        },
        {
            trigger: `.o_opportunity_kanban:not(:has(.o_lqp_stage_refused))`,
            content: "Nothing is dimmed before a card is dragged",
        },
        {
            trigger: `${column("LQP New")} ${card}`,
            content: "Start dragging the card",
            run: ({ anchor }) => startDrag(anchor),
        },
        {
            trigger: `${column("LQP Qualified")}.o_lqp_stage_refused[title*='Not a next step']`,
            content: "A stage no rule leads to from New is dimmed, with why in its title",
        },
        {
            trigger: `${column("LQP Qualified")} .o_kanban_header[data-lqp-hint]`,
        },
        {
            trigger: `${column("LQP Contacted")}:not(.o_lqp_stage_refused):not([title])`,
            content: "The move a rule defines is not dimmed",
        },
        {
            trigger: `${column("LQP Won")}:not(.o_lqp_stage_refused)`,
            content: "Won is always within reach",
        },
        {
            trigger: `${column("LQP New")}:not(.o_lqp_stage_refused)`,
            content: "The card's own column is not dimmed",
            run: checkNoSidewaysScroll,
        },
        {
            trigger: `${column("LQP Qualified")}.o_lqp_stage_refused`,
            content: "Drop the card on the dimmed column",
            run: () => dropOn("LQP Qualified"),
        },
        {
            trigger: ".modal:contains('not part of the team'):contains('allowed next stages'):contains('LQP Contacted')",
            content: "The refusal names where the card may go next",
        },
        {
            trigger: `${column("LQP New")} ${card}`,
            content: "The card is back in its column",
        },
        {
            trigger: `${column("LQP Qualified")}:not(:has(${card}))`,
        },
        {
            trigger: `.o_opportunity_kanban:not(:has(.o_lqp_stage_refused))`,
            content: "The marks are gone once the drag ended",
        },
        {
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: `${column("LQP New")} ${card}`,
            content: "Drag the card again",
            run: ({ anchor }) => startDrag(anchor),
        },
        {
            trigger: `${column("LQP Qualified")}.o_lqp_stage_refused`,
        },
        {
            trigger: `${column("LQP Contacted")}:not(.o_lqp_stage_refused)`,
            content: "Drop it on the column the rule allows",
            run: () => dropOn("LQP Contacted"),
        },
        {
            trigger: `${column("LQP Contacted")} ${card}`,
            content: "The card is in its new column",
        },
        {
            trigger: `.o_opportunity_kanban:not(:has(.o_lqp_stage_refused)):not(:has(.o_kanban_record:contains('${LEAD}').o_dragged))`,
            content: "Nothing dimmed once dropped",
            run: checkNoSidewaysScroll,
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "No refusal for the allowed move",
        },
    ],
});

registry.category("web_tour.tours").add("lqp_kanban_open_moves", {
    url: "/odoo/action-crm.crm_lead_action_pipeline",
    steps: () => [
        {
            trigger: `${column("LQP Qualified")} .o_kanban_record:contains('Tour card in LQP Qualified')`,
            content: "The pipeline shows the team's columns",
        },
        {
            trigger: `${column("LQP New")} ${card}`,
            content: "Drag the card of a team where any move goes",
            run: async ({ anchor }) => {
                await startDrag(anchor);
                await dropOn("LQP Qualified");
            },
        },
        {
            trigger: `${column("LQP Qualified")} ${card}`,
            content: "The card moved",
        },
        {
            trigger: `.o_opportunity_kanban:not(:has(.o_lqp_stage_refused))`,
            content: "Nothing was dimmed",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
