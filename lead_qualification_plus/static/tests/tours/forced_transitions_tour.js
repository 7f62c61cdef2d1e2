import { registry } from "@web/core/registry";
import { openCrmSteps } from "./crm_tour_steps";

// Rule health: the manager sees, per rule and per user, the moves forced past a rule, and the reasons.
registry.category("web_tour.tours").add("lqp_forced_transitions", {
    url: "/odoo",
    steps: () => [
        ...openCrmSteps(),
        {
            trigger: ".dropdown-toggle[data-menu-xmlid='crm.crm_menu_report']",
            content: "Open the Reporting menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='lead_qualification_plus.crm_transition_forced_menu']",
            content: "Open Forced Transitions",
            run: "click",
        },
        {
            trigger: ".o_pivot th.o_pivot_header_cell_closed:contains('LQP Phone first')",
            content: "The pivot lists the rule forced",
        },
        {
            trigger: ".o_pivot thead th:contains('Martha Manager')",
            content: "... and who forced it",
        },
        {
            trigger: ".o_pivot tbody tr:contains('LQP Phone first') td.o_pivot_cell_value:contains('2')",
            content: "Forced twice past the phone rule",
        },
        {
            trigger: ".o_control_panel .o_switch_view.o_list",
            content: "Switch to the list",
            run: "click",
        },
        {
            trigger: ".o_list_view td[name='reason']:contains('Trade fair, no time')",
            content: "The list shows why it was forced",
        },
    ],
});
