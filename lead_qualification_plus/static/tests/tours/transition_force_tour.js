import { registry } from "@web/core/registry";
import { openLeadsSteps } from "./crm_tour_steps";

registry.category("web_tour.tours").add("lqp_transition_force", {
    url: "/odoo",
    steps: () => [
        ...openLeadsSteps(),
        {
            trigger: ".o_list_view .o_data_row td:contains('Tour forced lead')",
            content: "Open the lead",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_lqp_transition_button:contains('Log first call')",
            run: "click",
        },
        {
            trigger: ".modal .o_lqp_requirement[data-requirement='Call the customer'] .o_lqp_state:contains('To do')",
        },
        {
            trigger: ".modal .o_lqp_force textarea",
            content: "A manager says why the move skips the requirements",
            run: "edit The customer called us: urgent order",
        },
        {
            trigger: ".modal .o_lqp_force_button:contains('Force the move')",
            content: "Force the move",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "The popup is closed",
        },
        {
            trigger: ".o_form_view .o_form_statusbar:not(:has(.o_lqp_transition_button:contains('Log first call')))",
            content: "The lead left the stage: the transition's button is gone",
        },
    ],
});
