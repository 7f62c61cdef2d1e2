import { registry } from "@web/core/registry";
import { openLeadsSteps } from "./crm_tour_steps";

const row = (name) => `.modal .o_lqp_requirement[data-requirement='${name}']`;
const brochure = row("Attach the brochure you sent");
const job = row("Job position known");

/** Fails the tour when the checklist's dialog scrolls sideways: what the user must read is cut. */
function assertNothingScrollsSideways() {
    for (const element of document.querySelectorAll(".modal .modal-body, .modal .o_lqp_checklist")) {
        if (element.scrollWidth > element.clientWidth + 1) {
            throw new Error(`The checklist scrolls sideways at ${window.innerWidth} px`);
        }
    }
}

// A recommended item reads as such and never holds the move back; a required one still does.
registry.category("web_tour.tours").add("lqp_transition_recommended", {
    url: "/odoo",
    steps: () => [
        ...openLeadsSteps(),
        {
            trigger: ".o_list_view .o_data_row td:contains('Tour recommended lead')",
            content: "Open the lead",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_lqp_transition_button:contains('Log first call')",
            content: "Open the transition's checklist",
            run: "click",
        },
        {
            trigger: `${brochure}.o_lqp_requirement_optional .o_lqp_state:contains('Recommended')`,
            content: "The optional item is shown as recommended, not as work to do",
            run() {
                const state = this.anchor.textContent;
                if (state.includes("To do")) {
                    throw new Error(`The recommended item also reads "To do": ${state}`);
                }
                assertNothingScrollsSideways();
            },
        },
        {
            trigger: `${job}.o_lqp_requirement_todo .o_lqp_state:contains('To do')`,
            content: "The required item is still to do",
        },
        {
            trigger: ".modal .o_lqp_move_blocked.disabled:contains('Move to LQP Contacted')",
            content: "The unmet required item blocks the move",
            run() {
                const open = document.querySelector(".modal .o_lqp_move:not(.o_lqp_move_blocked)");
                if (open && open.offsetParent) {
                    throw new Error("The move is offered while a required item is unmet");
                }
            },
        },
        {
            trigger: `${job} .o_lqp_requirement_input input`,
            content: "Do the required work: type the job position",
            run: "edit Head of Purchasing && press Tab",
        },
        {
            trigger: `${job}.o_lqp_requirement_done .o_lqp_state:contains('Done')`,
        },
        {
            trigger: `${brochure}:not(.o_lqp_requirement_done) .o_lqp_state:contains('Recommended')`,
            content: "The brochure is still not attached: still recommended",
        },
        {
            trigger: ".modal .o_lqp_move:not(.disabled):not(.o_lqp_move_blocked):contains('Move to LQP Contacted')",
            content: "The recommended item does not block: the move is enabled",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "The popup is closed",
        },
        {
            trigger: ".o_form_view .o_form_statusbar:not(:has(.o_lqp_transition_button:contains('Log first call')))",
            content: "The lead left the stage although the brochure was never attached: its button is gone",
        },
    ],
});
