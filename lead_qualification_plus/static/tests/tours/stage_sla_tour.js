import { registry } from "@web/core/registry";

const card = (name) => `.o_opportunity_kanban .o_kanban_record:contains('${name}')`;

registry.category("web_tour.tours").add("lqp_stage_sla_kanban", {
    url: "/odoo/action-crm.crm_lead_action_pipeline",
    steps: () => [
        {
            trigger: card("SLA tour overdue"),
            content: "The pipeline shows the cards",
        },
        {
            trigger: `${card("SLA tour overdue")} .o_lqp_sla_overdue:contains('Time limit exceeded')`,
            content: "A card past its stage's time limit shows it",
        },
        {
            // The title names the deadline, in a format string the translations replace whole.
            trigger: `${card("SLA tour overdue")} .o_lqp_sla_overdue[title^='Time limit: '][title*='/']`,
            content: "Its title says until when it had",
        },
        {
            trigger: `${card("SLA tour warning")} .o_lqp_sla_warning:contains('Close to time limit')`,
            content: "A card close to its limit shows it too",
        },
        {
            trigger: `${card("SLA tour on track")}:not(:has(.o_lqp_sla_badge))`,
            content: "A card on track shows nothing",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o-dropdown-item:contains('SLA overdue')",
            content: "Filter the pipeline on what is late",
            run: "click",
        },
        {
            trigger:
                ".o_opportunity_kanban:not(:has(.o_kanban_record:contains('SLA tour warning')))" +
                ":has(.o_kanban_record:contains('SLA tour overdue'))",
            content: "Only the late card is left",
        },
    ],
});
