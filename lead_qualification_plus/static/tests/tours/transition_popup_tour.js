import { registry } from "@web/core/registry";
import { openLeadsSteps } from "./crm_tour_steps";

const row = (name) => `.modal .o_lqp_requirement[data-requirement='${name}']`;

/** Fails the tour when an element scrolls sideways: what the user must read is cut or hidden. */
function assertNoHorizontalOverflow(selector) {
    for (const el of document.querySelectorAll(selector)) {
        if (el.scrollWidth > el.clientWidth + 1) {
            throw new Error(
                `${selector} overflows sideways (${el.scrollWidth} > ${el.clientWidth} px) at ${window.innerWidth} px`
            );
        }
    }
}

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
            trigger: ".o_form_view .o_form_statusbar .o_lqp_transition_button:contains('Log first call')",
            content: "The header keeps one primary button: the transition buttons are secondary",
            run() {
                const primaries = [
                    ...document.querySelectorAll(".o_form_view .o_form_statusbar .btn-primary"),
                ].filter((button) => button.offsetParent);
                if (primaries.length !== 1) {
                    throw new Error(
                        `The lead form's header has ${primaries.length} primary buttons: ${primaries
                            .map((button) => button.textContent.trim())
                            .join(", ")}`
                    );
                }
            },
        },
        {
            trigger: ".o_form_view .o_lqp_transition_button:contains('Log first call')",
            content: "Open the transition's checklist",
            run: "click",
        },
        {
            trigger: ".modal .alert-info:contains('Ask who decides')",
            content: "The guidance is shown above the list",
        },
        {
            trigger: `${row("Job position known")} .o_lqp_state:contains('To do')`,
            content: "Each requirement says in words that it is still to do",
        },
        {
            trigger: `${row("Call the customer, and note what they need for the new floor")} .o_lqp_state:contains('To do')`,
        },
        {
            trigger: ".modal .o_lqp_move_blocked.disabled:contains('Move to LQP Contacted')",
            content: "The move waits for the requirements",
            run() {
                // Full names, no sideways scrolling in the dialog nor in a row.
                for (const name of document.querySelectorAll(".modal .o_lqp_requirement_name")) {
                    if (name.scrollWidth > name.clientWidth + 1 || !name.textContent.trim()) {
                        throw new Error(`The requirement "${name.textContent}" is cut`);
                    }
                }
                if (
                    !document
                        .querySelector(".modal .o_lqp_requirement_name")
                        .textContent.includes("Job position known")
                ) {
                    throw new Error("The first requirement's name is not shown in full");
                }
                assertNoHorizontalOverflow(".modal .modal-body");
                assertNoHorizontalOverflow(".modal .o_lqp_checklist");
                assertNoHorizontalOverflow(".modal .modal-footer");
            },
        },
        {
            trigger: `${row("Job position known")} .o_lqp_requirement_input input`,
            content: "Type the job position in the row's own input",
            run: "edit Chief Buyer && press Tab",
        },
        {
            trigger: `${row("Job position known")} .o_lqp_state:contains('Done')`,
            content: "The row reads done as soon as the value is typed",
        },
        {
            trigger: `${row("Tagged")} .o_lqp_requirement_input input`,
            content: "Tag the lead in the checklist",
            run: "edit Tour hot",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour hot')",
            run: "click",
        },
        {
            trigger: `${row("Tagged")} .o_lqp_state:contains('Done')`,
        },
        {
            trigger: ".modal .o_lqp_summary textarea",
            content: "Write the summary of the call once",
            run: "edit Wants 40 desks before March",
        },
        {
            trigger: `${row("Call the customer, and note what they need for the new floor")} .o_lqp_log_done`,
            content: "Log the call as done: Odoo's activity dialog opens",
            run: "click",
        },
        {
            trigger: ".modal .modal-footer button.btn-primary[name='action_schedule_activities_done']:contains('Mark as Done')",
            content: "Odoo's activity dialog carries the summary; marking the call done is its primary button",
            run() {
                const note = document.querySelector(".modal .o_form_view [name='note']");
                if (!note || !note.textContent.includes("Wants 40 desks before March")) {
                    throw new Error("The summary typed in the checklist is not in the activity's note");
                }
                this.anchor.click();
            },
        },
        {
            trigger: `${row("Call the customer, and note what they need for the new floor")}.o_lqp_requirement_done .o_lqp_state:contains('Done')`,
            content: "Back in the checklist, the call is done",
        },
        {
            trigger: `${row("Job position known")}.o_lqp_requirement_done`,
            content: "What was typed before was saved on the lead",
        },
        {
            trigger: ".modal .o_lqp_move:not(.disabled):not(.o_lqp_move_blocked)",
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
