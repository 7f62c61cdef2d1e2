import { registry } from "@web/core/registry";

const LEAD = "Tour lead to nurture";

registry.category("web_tour.tours").add("lqp_disqualify_reactivate", {
    url: "/odoo/action-crm.crm_lead_all_leads",
    steps: () => [
        {
            trigger: `.o_list_view .o_data_row td[name='name']:contains('${LEAD}')`,
            content: "Open the lead",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Disqualify')",
            content: "Disqualify it",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='reason_id'] input",
            content: "Choose a reason",
            run: "edit Lost",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Lost')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='note'] textarea",
            content: "The reason requires a note",
            run: "edit Bought from a competitor last month",
        },
        {
            trigger: ".modal footer button[name='action_disqualify']",
            content: "Confirm",
            run: "click",
        },
        {
            trigger: ".o_form_view .ribbon:contains('Disqualified')",
            content: "The lead is disqualified",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='lost_reason_id']:contains('Lost')",
            content: "The form says why the lead was disqualified",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name='disqualify_note']:contains('Bought from a competitor last month')",
            content: "... with the note written when disqualifying",
        },
        {
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            content: "Back to the leads",
            run: "click",
        },
        {
            trigger: ".o_control_panel_actions .o_searchview_dropdown_toggler",
            content: "Open the filters",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o_menu_item:contains('Disqualified')",
            content: "Show the disqualified leads",
            run: "click",
        },
        {
            trigger: ".o_control_panel_actions .o_searchview_dropdown_toggler",
            content: "Close the filters",
            run: "click",
        },
        {
            trigger: `.o_list_view .o_data_row td[name='name']:contains('${LEAD}')`,
            content: "The disqualified lead is found",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Reactivate')",
            content: "Reactivate it",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='note'] textarea",
            content: "Say why",
            run: "edit They called back",
        },
        {
            trigger: ".modal footer button[name='action_reactivate']",
            content: "Confirm",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Disqualify')",
            content: "The lead is open again",
        },
        {
            trigger: ".o_breadcrumb li.breadcrumb-item a",
            content: "Back to the leads",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:contains('Disqualified') .o_facet_remove",
            content: "Show the open leads again",
            run: "click",
        },
        {
            trigger: `.o_list_view .o_data_row:contains('${LEAD}') td[name='stage_id']:contains('LQP Contacted')`,
            content: "The lead is back in its stage",
        },
    ],
});
