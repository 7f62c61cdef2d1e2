import { registry } from "@web/core/registry";
import { openCrmConfigurationSteps } from "./crm_tour_steps";

/** Whether ``element`` is wider than its box, i.e. scrolls sideways. */
const scrollsSideways = (element) => element.scrollWidth > element.clientWidth + 1;

// The drawing may be scaled to its box, never below this (its 11 px labels then read at 9 px).
const MIN_SCALE = 0.8;

const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Fails unless the whole process shows in its box at this screen size: every node and every arrow's label
 * inside the box, nothing to scroll, the drawing at a readable scale, no two nodes or labels on each other. */
function assertWholeProcessShown() {
    const canvas = document.querySelector(".o_lqp_process_canvas");
    const box = canvas.getBoundingClientRect();
    const size = `at ${window.innerWidth}x${window.innerHeight}`;
    if (scrollsSideways(canvas)) {
        throw new Error(`The diagram scrolls inside its box ${size}`);
    }
    const nodes = [...document.querySelectorAll(".o_lqp_process_node")].map((node) => ({
        name: node.textContent.trim(),
        rect: node.querySelector("rect").getBoundingClientRect(),
    }));
    const labels = [...document.querySelectorAll(".o_lqp_process_edge")].map((edge) => ({
        name: edge.querySelector(".o_lqp_edge_label").textContent.trim(),
        rect: edge.querySelector(".o_lqp_edge_label_box").getBoundingClientRect(),
    }));
    if (nodes.length < 6) {
        throw new Error(`Only ${nodes.length} nodes drawn`);
    }
    for (const { name, rect } of [...nodes, ...labels]) {
        if (rect.left < box.left || rect.right > box.right || rect.top < box.top || rect.bottom > box.bottom) {
            throw new Error(`"${name}" lies outside the diagram's box ${size}`);
        }
    }
    for (const items of [nodes, labels]) {
        items.forEach((item, i) =>
            items.slice(i + 1).forEach((other) => {
                if (overlap(item.rect, other.rect)) {
                    throw new Error(`"${item.name}" and "${other.name}" overlap ${size}`);
                }
            })
        );
    }
    const svg = canvas.querySelector("svg");
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    if (scale < MIN_SCALE - 0.01) {
        throw new Error(`The diagram is drawn at ${Math.round(scale * 100)}% ${size}: too small to read`);
    }
    const text = document.querySelector(".o_lqp_process_node .o_lqp_node_name");
    if (!text.textContent.trim() || text.getComputedTextLength() === 0) {
        throw new Error("The node names are not drawn");
    }
}

registry.category("web_tour.tours").add("lqp_process_diagram", {
    url: "/odoo",
    steps: () => [
        ...openCrmConfigurationSteps(
            "lead_qualification_plus.crm_team_process_diagram_menu",
            "Open the process diagram"
        ),
        {
            trigger: "select.o_lqp_process_team",
            content: "Choose the team",
            run() {
                const select = document.querySelector("select.o_lqp_process_team");
                const option = [...select.options].find((opt) => opt.text === "Qualification Team");
                select.value = option.value;
                select.dispatchEvent(new Event("change"));
            },
        },
        {
            trigger: ".o_lqp_process_node[data-node='any'] .o_lqp_node_name:contains('Any stage')",
            content: "A rule from any stage starts at the 'Any stage' node",
        },
        {
            trigger: ".o_lqp_process_node .o_lqp_node_name:contains('LQP Contacted')",
            content: "The team's stages are drawn",
        },
        {
            trigger: ".o_lqp_process_node_qualified .o_lqp_node_name:contains('Qualified')",
            content: "The qualify rule ends at the 'Qualified' node",
        },
        {
            trigger: ".o_lqp_process_edge .o_lqp_edge_label:contains('Budget known (1 requirement)')",
            content: "The qualify rule's arrow is labelled",
        },
        {
            trigger: ".o_lqp_process_edge .o_lqp_edge_label:contains('Log first call (2 requirements)')",
            content: "The arrow is labelled with the rule's name and requirement count",
            run() {
                // Neither the page nor the diagram's box scrolls sideways: the whole process shows.
                const content = document.querySelector(".o_lqp_process_diagram .o_content");
                for (const element of [document.documentElement, content]) {
                    if (scrollsSideways(element)) {
                        throw new Error(`${element.className || element.tagName} scrolls sideways`);
                    }
                }
                assertWholeProcessShown();
            },
        },
        {
            trigger: ".o_lqp_process_edge:has(.o_lqp_edge_label:contains('Log first call')) .o_lqp_edge_label_box",
            content: "Open the rule from its arrow",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name'] input:value(Log first call)",
            content: "The rule's form is open",
        },
    ],
});
