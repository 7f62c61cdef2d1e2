import { registry } from "@web/core/registry";
import { openLeadsSteps } from "./crm_tour_steps";

registry.category("web_tour.tours").add("lqp_stakeholders", {
    url: "/odoo",
    steps: () => [
        ...openLeadsSteps(),
        {
            trigger: ".o_list_view .o_data_row td:contains('Stakeholder tour lead')",
            content: "Open the lead",
            run: "click",
        },
        {
            trigger: ".o_notebook a[name='stakeholders']",
            content: "Open the Stakeholders tab",
            run: "click",
        },
        {
            trigger: "div[name='stakeholder_ids'] .o_field_x2many_list_row_add a",
            content: "Add a stakeholder",
            run: "click",
        },
        {
            trigger: "div[name='stakeholder_ids'] .o_selected_row div[name='partner_id'] input",
            content: "Choose the contact",
            run: "edit Tina Tourist",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tina Tourist')",
            run: "click",
        },
        {
            trigger: "div[name='stakeholder_ids'] .o_selected_row div[name='role_id'] input",
            content: "Give the contact a role",
            run: "edit Economic buyer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Economic buyer')",
            run: "click",
        },
        {
            trigger: "div[name='stakeholder_ids'] .o_selected_row div[name='role_id'] input:value(Economic buyer)",
        },
        {
            // Saving first leaves the edited row: switching the notebook page while the row is
            // still being patched unmounts its list before the list can refocus the cell.
            trigger: ".o_form_button_save",
            content: "Save the stakeholder",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            trigger: "div[name='stakeholder_ids'] .o_data_row:not(.o_selected_row):contains('Tina Tourist')",
        },
        {
            trigger: ".o_notebook a[name='competitors']",
            content: "Open the Competitors tab",
            run: "click",
        },
        {
            trigger: "div[name='competitor_ids'] .o_field_x2many_list_row_add a",
            content: "Add a competitor",
            run: "click",
        },
        {
            trigger: "div[name='competitor_ids'] .o_selected_row div[name='competitor_id'] input",
            content: "Choose the competitor",
            run: "edit Tour Rival",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Rival')",
            run: "click",
        },
        {
            trigger: "div[name='competitor_ids'] .o_selected_row div[name='threat_level'] select",
            content: "A serious threat",
            run: 'select "high"',
        },
        {
            trigger: "div[name='competitor_ids'] .o_selected_row div[name='competitor_id'] input:value(Tour Rival)",
        },
        {
            trigger: ".o_form_button_save",
            content: "Save the lead",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            trigger: "div[name='competitor_ids'] .o_data_row:not(.o_selected_row):contains('Tour Rival')",
        },
        {
            trigger: ".o_notebook a[name='stakeholders']",
            run: "click",
        },
        {
            trigger: "div[name='stakeholder_ids'] .o_data_row:contains('Tina Tourist'):contains('Economic buyer')",
            content: "The stakeholder is listed with its role",
        },
    ],
});
