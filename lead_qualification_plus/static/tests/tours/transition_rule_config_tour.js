import { registry } from "@web/core/registry";
import { openCrmConfigurationSteps } from "./crm_tour_steps";

const pick = (selector, text) => [
    {
        trigger: `${selector} input`,
        run: `edit ${text}`,
    },
    {
        // The field's own dropdown: another field's may still be open.
        trigger: `${selector} .o-autocomplete--dropdown-item:contains('${text}')`,
        run: "click",
    },
];

registry.category("web_tour.tours").add("lqp_transition_rule_config", {
    url: "/odoo",
    steps: () => [
        ...openCrmConfigurationSteps(
            "lead_qualification_plus.crm_transition_rule_menu",
            "Open the transition rules"
        ),
        {
            trigger: ".o_list_button_add",
            content: "Create a rule",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='name'] input",
            content: "Name the transition",
            run: "edit Confirm the buyer",
        },
        {
            trigger: ".o_form_view .o_lqp_rule_from_any_stage:contains('created directly')",
            content: "A rule from any stage warns that it also checks the records created in its stage",
        },
        ...pick(".o_field_widget[name='from_stage_ids']", "LQP Contacted"),
        {
            trigger: ".o_field_widget[name='from_stage_ids'] .o_tag:contains('LQP Contacted')",
        },
        {
            trigger: ".o_form_view:not(:has(.o_lqp_rule_from_any_stage))",
        },
        ...pick(".o_field_widget[name='to_stage_id']", "LQP Qualified"),
        ...pick(".o_field_widget[name='team_ids']", "Qualification Team"),
        {
            // The condition is counted within the rule's team and from-stage, not over every lead.
            trigger: ".o_field_widget[name='lead_domain'] .o_domain_show_selection_button:contains('3 record(s)')",
            content: "The rule applies to the three records of its team in its from-stage",
        },
        {
            trigger: "div[name='requirement_ids'] .o_field_x2many_list_row_add a",
            content: "Add a requirement",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='name'] input",
            content: "Say what the salesperson must do",
            run: "edit Job position known",
        },
        ...pick(".modal .o_field_widget[name='field_id']", "Job Position"),
        {
            trigger: ".modal .o_field_widget[name='field_id'] input:value(Job Position)",
        },
        {
            trigger: ".modal .o_form_button_save",
            content: "Keep the requirement",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: "div[name='requirement_ids'] .o_data_row:contains('Job position known')",
        },
        {
            trigger: ".o_form_button_save",
            content: "Save the rule",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            trigger: ".oe_stat_button:contains('Would Block')",
            content: "The impact preview is shown",
        },
    ],
});
