import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("lqp_open_pipeline", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            content: "Open the CRM app",
            run: "click",
        },
        {
            trigger: ".o_opportunity_kanban",
            content: "The pipeline is shown",
        },
        {
            trigger: ".o_main_navbar [data-menu-xmlid='crm.crm_menu_leads']",
            content: "Open the Leads menu",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour lead from the harness')",
            content: "The salesperson's lead is listed",
        },
    ],
});
