import { registry } from "@web/core/registry";
import { openLeadsSteps } from "./crm_tour_steps";

const LEAD = "Tour desks for a new office";

registry.category("web_tour.tours").add("lqp_qualify_b2b_lead", {
    url: "/odoo",
    steps: () => [
        ...openLeadsSteps(),
        {
            trigger: `.o_list_view .o_data_row td[name='name']:contains('${LEAD}')`,
            content: "Open the lead of a company",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button.o_lqp_qualify_button",
            content: "Qualify the lead",
            run: "click",
        },
        {
            trigger: ".modal div[name='profile_id'] input:value(Tour B2B)",
            content: "The profile suiting a lead with a company is proposed",
            run: "click",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu:contains('Tour B2B'):contains('Tour quick deal')",
            content: "Both suitable profiles are offered",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour B2B')",
            content: "Keep the B2B profile",
            run: "click",
        },
        {
            trigger: ".modal div[name='summary_html']:contains('Creates the company “Tour Desk Company”')",
            content: "The dialog says which company it creates",
        },
        {
            trigger: ".modal div[name='summary_html']:contains('Links the existing contact “Tour Known Person”')",
            content: "... and that it links the contact who already exists",
        },
        {
            trigger: ".modal div[name='duplicates_html'] tr:contains('Tour Known Person'):contains('email')",
            content: "The existing contact is shown with why it matched",
        },
        {
            trigger: ".modal div[name='opportunity_name'] input",
            content: "Name the opportunity",
            run: "edit Tour 40 desks deal",
        },
        {
            trigger: ".modal div[name='expected_revenue'] input",
            content: "Estimate the revenue",
            run: "edit 24000",
        },
        {
            trigger: ".modal div[name='summary_html']:contains('opportunity “Tour 40 desks deal”')",
            content: "The summary follows the new name",
        },
        {
            trigger: ".modal footer button[name='action_qualify']:enabled",
            content: "Confirm",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_breadcrumb .active:contains('Tour 40 desks deal')",
            content: "The opportunity is shown",
        },
    ],
});
