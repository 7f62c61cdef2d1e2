import { registry } from "@web/core/registry";
import { openCrmSteps } from "./crm_tour_steps";

/** Whether ``element`` is wider than its box, i.e. scrolls sideways. */
const scrollsSideways = (element) => element.scrollWidth > element.clientWidth + 1;

registry.category("web_tour.tours").add("lqp_process_diagram", {
    url: "/odoo",
    steps: () => [
        ...openCrmSteps(),
        {
            trigger: ".o_main_navbar button:contains('Configuration')",
            content: "Open the configuration menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='lead_qualification_plus.crm_team_process_diagram_menu']",
            content: "Open the process diagram",
            run: "click",
        },
        {
            trigger: "select.o_lqp_process_team",
            content: "Choose the team",
            run() {
                const select = document.querySelector("select.o_lqp_process_team");
                const option = [...select.options].find((opt) => opt.text === "Qualification Team");
                select.value = option.value;
                select.dispatchEvent(new Event("change"));
            },
        },
        {
            trigger: ".o_lqp_process_node[data-node='any'] .o_lqp_node_name:contains('Any stage')",
            content: "A rule from any stage starts at the 'Any stage' node",
        },
        {
            trigger: ".o_lqp_process_node .o_lqp_node_name:contains('LQP Contacted')",
            content: "The team's stages are drawn",
        },
        {
            trigger: ".o_lqp_process_node_qualified .o_lqp_node_name:contains('Qualified')",
            content: "The qualify rule ends at the 'Qualified' node",
        },
        {
            trigger: ".o_lqp_process_edge .o_lqp_edge_label:contains('Budget known (1 requirement)')",
            content: "The qualify rule's arrow is labelled",
        },
        {
            trigger: ".o_lqp_process_edge .o_lqp_edge_label:contains('Log first call (2 requirements)')",
            content: "The arrow is labelled with the rule's name and requirement count",
            run() {
                // The page does not scroll sideways: a wide diagram scrolls inside its own box.
                const content = document.querySelector(".o_lqp_process_diagram .o_content");
                for (const element of [document.documentElement, content]) {
                    if (scrollsSideways(element)) {
                        throw new Error(`${element.className || element.tagName} scrolls sideways`);
                    }
                }
                if (!scrollsSideways(document.querySelector(".o_lqp_process_canvas"))) {
                    throw new Error("The test's process is wider than the screen: its box should scroll");
                }
            },
        },
        {
            trigger: ".o_lqp_process_edge:has(.o_lqp_edge_label:contains('Log first call')) .o_lqp_edge_label_box",
            content: "Open the rule from its arrow",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name'] input:value(Log first call)",
            content: "The rule's form is open",
        },
    ],
});
