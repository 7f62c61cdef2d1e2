import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("lqp_undo_qualification", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Undo Qualification')",
            content: "Undo the qualification of the opportunity",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='explanation']:contains('before qualifying')",
            content: "The dialog says what undoing does",
        },
        {
            trigger: ".modal footer button[name='action_undo']",
            content: "Undoing without a reason is refused",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='reason'].o_field_invalid",
            content: "The reason is required",
        },
        {
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            content: "Say why",
            run: "edit Qualified the wrong lead",
        },
        {
            trigger: ".modal footer button[name='action_undo']",
            content: "Confirm",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "The dialog closes",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button.o_lqp_qualify_button",
            content: "The record is an open lead again: it can be qualified",
        },
        {
            trigger: ".o-mail-Message:contains('Qualified the wrong lead')",
            content: "The chatter says who undid it and why",
        },
    ],
});
