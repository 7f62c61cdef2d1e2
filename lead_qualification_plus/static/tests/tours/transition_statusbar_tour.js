import { registry } from "@web/core/registry";
import { openCrmSteps } from "./crm_tour_steps";

const statusbar = ".o_form_view .o_statusbar_status";

registry.category("web_tour.tours").add("lqp_transition_statusbar", {
    url: "/odoo",
    steps: () => [
        ...openCrmSteps(),
        {
            trigger: ".o_kanban_record:contains('Tour statusbar opportunity')",
            content: "Open the opportunity",
            run: "click",
        },
        {
            trigger: `${statusbar} button.o_arrow_button_current:contains('LQP New')`,
        },
        {
            trigger: `${statusbar} button.o_arrow_button:contains('LQP Contacted')`,
            content: "Click a stage whose rule is not met",
            run: "click",
        },
        {
            trigger: ".modal .o_lqp_transition_blocked:contains('Call the customer')",
            content: "The refusal names the missing work and the checklist that completes it",
        },
        {
            trigger: ".modal .o_lqp_open_checklist:contains('Log first call')",
        },
        {
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: `${statusbar} button.o_arrow_button_current:contains('LQP New')`,
            content: "The form is back on the saved stage",
        },
        {
            trigger: ".o_form_status_indicator_buttons.invisible:not(:visible)",
            content: "Nothing left unsaved: the refused stage is not pending",
        },
    ],
});
