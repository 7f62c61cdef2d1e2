import { registry } from "@web/core/registry";

const LEAD = "Tour card to drag";
const column = (stage) => `.o_opportunity_kanban .o_kanban_group:has(.o_column_title:contains('${stage}'))`;

registry.category("web_tour.tours").add("lqp_transition_kanban", {
    url: "/odoo/action-crm.crm_lead_action_pipeline",
    steps: () => [
        {
            trigger: `${column("LQP Contacted")} .o_kanban_record:contains('Tour card already contacted')`,
            content: "The pipeline shows both columns",
        },
        {
            trigger: `${column("LQP New")} .o_kanban_record:contains('${LEAD}')`,
            content: "Drag the card forward without having called",
            async run(helpers) {
                // Dropped below the column's card: a drop on the column's top edge does not register.
                await helpers.drag_and_drop(`${column("LQP Contacted")} .o_kanban_record`, {
                    position: "bottom",
                    relative: true,
                });
            },
        },
        {
            trigger: ".modal .o_lqp_transition_blocked:contains('Log first call'):contains('Call the customer')",
            content: "A dialog names the transition and the missing work",
        },
        {
            trigger: `${column("LQP New")} .o_kanban_record:contains('${LEAD}')`,
            content: "The card is back in its column",
        },
        {
            trigger: `${column("LQP Contacted")}:not(:has(.o_kanban_record:contains('${LEAD}')))`,
        },
        {
            trigger: ".modal .o_lqp_open_checklist:contains('Log first call')",
            content: "The dialog leads to the checklist of the refused transition",
            run: "click",
        },
        {
            trigger: ".modal .o_lqp_requirement[data-requirement='Call the customer'] .o_lqp_state:contains('To do')",
            content: "The checklist shows what is missing",
        },
        {
            trigger: ".modal .o_lqp_move_blocked.disabled:contains('Move to LQP Contacted')",
        },
        {
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: `${column("LQP New")} .o_kanban_record:contains('${LEAD}')`,
            content: "The pipeline is shown again, the card still in its column",
        },
    ],
});
