import { registry } from "@web/core/registry";
import { openLeadsSteps } from "./crm_tour_steps";

registry.category("web_tour.tours").add("lqp_open_pipeline", {
    url: "/odoo",
    steps: () => [
        ...openLeadsSteps(),
        {
            trigger: ".o_list_view .o_data_row:contains('Tour lead from the harness')",
            content: "The salesperson's lead is listed",
        },
    ],
});
