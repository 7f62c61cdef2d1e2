import { registry } from "@web/core/registry";
import { openCrmSteps } from "./crm_tour_steps";

registry.category("web_tour.tours").add("lqp_qualification_report", {
    url: "/odoo",
    steps: () => [
        ...openCrmSteps(),
        {
            trigger: ".dropdown-toggle[data-menu-xmlid='crm.crm_menu_report']",
            content: "Open the Reporting menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='lead_qualification_plus.crm_qualification_report_menu']",
            content: "Open the Qualification report",
            run: "click",
        },
        {
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('LQP Tour source')",
            content: "The pivot shows the leads by source",
        },
        {
            trigger: ".o_control_panel .o_switch_view.o_graph",
            content: "Switch to the graph",
            run: "click",
        },
        {
            trigger: ".o_graph_renderer canvas",
            content: "The bar chart is drawn",
        },
        {
            trigger: ".o_graph_button[data-mode='pie']",
            content: "Show it as a pie",
            run: "click",
        },
        {
            trigger: ".o_graph_button[data-mode='pie'].active",
            content: "The pie chart is shown",
        },
        {
            trigger: ".o_graph_renderer canvas",
            content: "The pie chart is drawn",
        },
    ],
});
