import { registry } from "@web/core/registry";
import { openCrmConfigurationSteps } from "./crm_tour_steps";

const actions = ".o_field_widget[name='action_server_ids']";

// A sales manager picks an administrator's server action on a stage rule; the next record moved through the
// rule gets what the action does.
registry.category("web_tour.tours").add("lqp_transition_actions_after", {
    url: "/odoo",
    steps: () => [
        ...openCrmConfigurationSteps(
            "lead_qualification_plus.crm_transition_rule_menu",
            "Open the transition rules"
        ),
        {
            trigger: ".o_list_view .o_data_row td:contains('Tour welcome rule')",
            content: "Open the stage rule",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook .nav-link:contains('After the Move')",
            content: "The rule has an 'After the Move' tab",
            run: "click",
        },
        {
            trigger: ".o_notebook .tab-pane.active:contains('Only server actions on leads/opportunities that an administrator created')",
            content: "The tab says what runs and which actions may be chosen",
        },
        {
            trigger: `${actions} .o_field_x2many_list_row_add a`,
            content: "Add an action",
            run: "click",
        },
        {
            trigger: ".modal .o_list_view .o_data_row td:contains('Mark as hot')",
            content: "The administrator's actions on leads are offered",
            run() {
                const offered = document.querySelector(".modal .o_list_view").textContent;
                if (offered.includes("Tour partner action")) {
                    throw new Error("A server action on contacts is offered for a rule on leads");
                }
                this.anchor.click();
            },
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: `${actions} .o_data_row td:contains('Mark as hot')`,
            content: "The chosen action is listed",
        },
        {
            trigger: ".o_form_button_save",
            content: "Save the rule",
            run: "click",
        },
        {
            trigger: ".o_form_status_indicator_buttons.invisible:not(:visible)",
            content: "Saved: nothing left to save",
        },
        {
            trigger: `${actions} .o_data_row td:contains('Mark as hot')`,
            content: "The action is still listed once saved",
        },
        {
            trigger: ".o_main_navbar [data-menu-xmlid='crm.crm_menu_leads']",
            content: "Open the Leads menu",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td:contains('Tour welcome lead')",
            content: "Open a lead of the rule's team",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='priority'] .o_priority_star.fa-star-o",
            content: "The lead is not hot yet",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button:contains('LQP Contacted')",
            content: "Move the lead through the rule",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='priority']:not(:has(.fa-star-o))",
            content: "The action ran after the move: the lead is marked hot (three stars)",
        },
    ],
});
