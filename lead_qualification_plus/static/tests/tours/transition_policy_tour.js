import { registry } from "@web/core/registry";
import { openCrmSteps } from "./crm_tour_steps";

const statusbar = ".o_form_view .o_statusbar_status";

registry.category("web_tour.tours").add("lqp_transition_policy", {
    url: "/odoo",
    steps: () => [
        ...openCrmSteps(),
        {
            trigger: ".o_kanban_record:contains('Tour policy opportunity')",
            content: "Open the opportunity",
            run: "click",
        },
        {
            trigger: `${statusbar} button.o_arrow_button_current:contains('LQP New')`,
        },
        {
            trigger: `${statusbar} button.o_arrow_button:not(.o_lqp_stage_refused):contains('LQP Contacted')`,
            content: "The move a rule defines is offered",
        },
        {
            trigger: `${statusbar} button.o_arrow_button.o_lqp_stage_refused:contains('LQP Qualified')`,
            content: "A move outside the team's process is dimmed",
            run: "click",
        },
        {
            trigger: ".modal:contains('not part of the team'):contains('allowed next stages'):contains('LQP Contacted')",
            content: "The refusal names where the record may go next",
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
            content: "The record stays where it was",
        },
        {
            trigger: `${statusbar} button.o_arrow_button:contains('LQP Contacted')`,
            content: "Take the defined move",
            run: "click",
        },
        {
            trigger: `${statusbar} button.o_arrow_button_current:contains('LQP Contacted')`,
        },
        {
            trigger: `${statusbar} button.o_lqp_stage_refused:contains('LQP Qualified')`,
            content: "The bar follows the new stage: from Contacted, no rule defines the move to Qualified",
        },
        {
            trigger: `${statusbar} button.o_arrow_button:not(.o_lqp_stage_refused):contains('LQP New')`,
            content: "Moving back stays open (the team allows it)",
        },
        {
            trigger: ".o_form_status_indicator_buttons.invisible:not(:visible)",
            content: "Nothing left unsaved",
        },
    ],
});
