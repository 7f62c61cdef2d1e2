import { registry } from "@web/core/registry";
import { openLeadsSteps } from "@lead_qualification_plus/../tests/tours/crm_tour_steps";

registry.category("web_tour.tours").add("lqp_qualify_lead", {
    url: "/odoo",
    steps: () => [
        ...openLeadsSteps(),
        {
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Tour qualify lead')",
            content: "Open the lead",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button.o_lqp_qualify_button",
            content: "Qualify the lead",
            run: "click",
        },
        {
            trigger: ".modal div[name='create_opportunity'] input:checked",
            content: "No opportunity this time",
            run: "click",
        },
        {
            trigger: ".modal div[name='create_sale_order'] input:not(:checked)",
            content: "A quotation straight away",
            run: "click",
        },
        {
            trigger: ".modal div[name='create_sale_order'] input:checked",
        },
        {
            trigger: ".modal footer button[name='action_qualify']",
            content: "Confirm",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='order_line']",
            content: "The quotation is shown",
        },
        {
            trigger: ".o_breadcrumb .active:contains('S0')",
            content: "The quotation has its number",
        },
        {
            trigger: ".o_breadcrumb a:contains('Tour qualify lead')",
            content: "Back to the lead",
            run: "click",
        },
        {
            trigger:
                ".o_form_view:has(.ribbon:contains('Qualified')) .o_statusbar_buttons:not(:has(button:contains('Convert to Opportunity'))):not(:has(.o_lqp_qualify_button))",
            content: "A qualified lead offers neither Qualify nor Convert",
        },
    ],
});
