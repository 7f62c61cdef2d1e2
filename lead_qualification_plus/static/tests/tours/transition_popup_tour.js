import { registry } from "@web/core/registry";
import { openLeadsSteps } from "./crm_tour_steps";

registry.category("web_tour.tours").add("lqp_transition_popup", {
    url: "/odoo",
    steps: () => [
        ...openLeadsSteps(),
        {
            trigger: ".o_list_view .o_data_row td:contains('Tour transition lead')",
            content: "Open the lead",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_lqp_transition_button:contains('Log first call')",
            content: "Open the transition's checklist",
            run: "click",
        },
        {
            trigger: ".modal .alert-info:contains('Ask who decides')",
            content: "The guidance is shown",
        },
        {
            trigger: ".modal .o_lqp_move_blocked",
            content: "The move waits for the requirements",
        },
        {
            trigger: ".modal .o_data_row:contains('Job position known') td[name='value_char']",
            content: "Fill the job position in the checklist",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains('Job position known') td[name='value_char'] input",
            content: "Type the job position",
            run: "edit Chief Buyer",
        },
        {
            trigger: ".modal .o_data_row:contains('Tagged') td[name='value_res_id']",
            content: "Tag the lead in the checklist",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains('Tagged') td[name='value_res_id'] input",
            run: "edit Tour hot",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour hot')",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains('Tagged') td[name='value_res_id'] input:value(Tour hot)",
        },
        {
            trigger: ".modal .o_data_row:contains('Call the customer') .o_lqp_mark_done",
            content: "Log the call as done",
            run: "click",
        },
        {
            // The popup must be done with the edited row before it closes, else its list
            // unmounts while refocusing a cell.
            trigger: ".modal .o_lqp_transition_lines:not(:has(.o_selected_row))",
        },
        {
            trigger: ".modal .o_lqp_move:not(.disabled)",
            content: "Every requirement is met: move",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "The popup is closed",
        },
        {
            trigger: ".o_form_view .o_form_statusbar:not(:has(.o_lqp_transition_button))",
            content: "The lead left the stage: the transition's button is gone",
        },
    ],
});
