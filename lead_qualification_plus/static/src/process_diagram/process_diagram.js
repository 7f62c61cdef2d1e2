import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

// Geometry of the drawing, in SVG pixels. Nodes and gaps shrink from their natural size to their minimum so
// that a usual process (six or seven nodes) fits a 1024 px screen as drawn, text at its own size.
const NODE_WIDTH = 150;
const MIN_NODE_WIDTH = 120;
const NODE_HEIGHT = 56;
const NODE_GAP = 90;
const MIN_NODE_GAP = 24;
// Past the minimums the drawing is scaled to its box, down to this factor (labels of 11 px read at 9 px);
// a still wider process scrolls inside its box, never the page.
const MIN_SCALE = 0.8;
// Average widths of a character of the node names (13 px bold), of the time limits and of the arrow
// labels (11 px): what the layout estimates, the browser not being asked to measure text it has not drawn.
const NAME_CHAR_WIDTH = 8;
const SMALL_CHAR_WIDTH = 6.6;
const TEXT_PADDING = 8;
const MARGIN = 20;
const LEVEL_HEIGHT = 30;
const FIRST_LEVEL = 34;
const LABEL_HEIGHT = 20;

/**
 * The width of the nodes and of the gaps between them for ``count`` nodes in a row of ``boxWidth`` pixels
 * (0: not measured yet, natural size): the gaps shrink first, then the nodes, each down to its minimum.
 */
function fitRow(count, boxWidth) {
    const room = boxWidth - 2 * MARGIN;
    if (!boxWidth || count < 2 || count * NODE_WIDTH + (count - 1) * NODE_GAP <= room) {
        return { nodeWidth: NODE_WIDTH, gap: NODE_GAP };
    }
    const gap = Math.max(MIN_NODE_GAP, (room - count * NODE_WIDTH) / (count - 1));
    const nodeWidth = Math.max(MIN_NODE_WIDTH, Math.min(NODE_WIDTH, (room - (count - 1) * gap) / count));
    return { nodeWidth, gap };
}

/**
 * ``text`` cut into at most ``maxLines`` lines of ``width`` pixels at ``charWidth`` pixels a character, at
 * spaces where it can; what does not fit ends the last line with an ellipsis (the full text is the node's
 * tooltip).
 */
function wrapText(text, width, charWidth, maxLines) {
    const perLine = Math.max(4, Math.floor(width / charWidth));
    const lines = [];
    let rest = text.trim();
    while (rest && lines.length < maxLines) {
        if (rest.length <= perLine) {
            lines.push(rest);
            rest = "";
            break;
        }
        const cut = rest.lastIndexOf(" ", perLine);
        const end = cut > 0 ? cut : perLine;
        lines.push(rest.slice(0, end).trim());
        rest = rest.slice(end).trim();
    }
    if (rest) {
        const last = `${lines.pop()} ${rest}`;
        lines.push(`${last.slice(0, perLine - 1).trim()}…`);
    }
    return lines;
}

/**
 * The process of a sales team, drawn read-only: its stages in sequence order, one arrow per transition rule
 * and from-stage, labelled with the rule's name and requirement count. Clicking an arrow opens its rule.
 * The data is crm.team.get_process_diagram; the layout is computed here, in plain SVG, to fit the width of
 * its box (measured, and again when the window is resized).
 */
export class ProcessDiagram extends Component {
    static template = "lead_qualification_plus.ProcessDiagram";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        const params = this.props.action.params || {};
        this.state = useState({
            teams: [],
            teamId: params.team_id || false,
            diagram: null,
            // The inner width of the diagram's box, measured: the drawing is laid out to fit it.
            boxWidth: 0,
        });
        this.bodyRef = useRef("body");
        const observer = new ResizeObserver(() => this.measureBox());
        onMounted(() => observer.observe(this.bodyRef.el));
        onWillUnmount(() => observer.disconnect());
        onWillStart(async () => {
            this.state.teams = await this.orm.searchRead("crm.team", [], ["name"]);
            if (!this.state.teamId && this.state.teams.length) {
                this.state.teamId = this.state.teams[0].id;
            }
            await this.loadDiagram();
        });
    }

    measureBox() {
        const body = this.bodyRef.el;
        const style = getComputedStyle(body);
        // The box's border (1 px a side) is inside the body's padding.
        const width = body.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 2;
        this.state.boxWidth = Math.max(0, Math.floor(width));
    }

    async loadDiagram() {
        this.state.diagram = this.state.teamId
            ? await this.orm.call("crm.team", "get_process_diagram", [[this.state.teamId]])
            : null;
    }

    async onTeamChange(ev) {
        this.state.teamId = parseInt(ev.target.value);
        await this.loadDiagram();
    }

    /** Positions of the nodes and of the arrows: forward arrows arc above the row, backward ones below,
     * each at its own height so that no two labels overlap. */
    get drawing() {
        const diagram = this.state.diagram;
        if (!diagram) {
            return null;
        }
        const index = Object.fromEntries(diagram.nodes.map((node, i) => [node.id, i]));
        const spans = diagram.edges.map((edge) => ({
            edge,
            from: index[edge.from],
            to: index[edge.to],
            span: Math.abs(index[edge.to] - index[edge.from]),
        }));
        // Short arrows nearest to the row: they cross fewer others.
        spans.sort((a, b) => a.span - b.span || a.from - b.from);
        const above = spans.filter((item) => item.to > item.from);
        const below = spans.filter((item) => item.to < item.from);
        const heightAbove = FIRST_LEVEL + above.length * LEVEL_HEIGHT + LABEL_HEIGHT;
        const heightBelow = below.length ? FIRST_LEVEL + below.length * LEVEL_HEIGHT + LABEL_HEIGHT : 0;
        const top = MARGIN + (above.length ? heightAbove : 0);
        const { nodeWidth, gap } = fitRow(diagram.nodes.length, this.state.boxWidth);
        const nodeX = (i) => MARGIN + i * (nodeWidth + gap);
        const width = nodeX(diagram.nodes.length) - gap + MARGIN;
        const nodes = diagram.nodes.map((node, i) => {
            const slaText = node.slas
                .map((sla) =>
                    sla.warning_days
                        ? _t("Limit %(max)s d, warn %(warn)s d", { max: sla.max_days, warn: sla.warning_days })
                        : _t("Limit %(max)s d", { max: sla.max_days })
                )
                .join(" · ");
            const nameLines = wrapText(node.name, nodeWidth - 2 * TEXT_PADDING, NAME_CHAR_WIDTH, 2);
            // Name and limits centred together in the node, one line apart.
            const lineCount = nameLines.length + (slaText ? 1 : 0);
            const firstLineY = NODE_HEIGHT / 2 - ((lineCount - 1) * 15) / 2 + 4;
            return {
                ...node,
                x: nodeX(i),
                y: top,
                title: slaText ? `${node.name} (${slaText})` : node.name,
                nameLines: nameLines.map((text, line) => ({ text, y: top + firstLineY + line * 15 })),
                slaText: slaText
                    ? wrapText(slaText, nodeWidth - 2 * TEXT_PADDING, SMALL_CHAR_WIDTH, 1)[0]
                    : "",
                slaY: top + firstLineY + nameLines.length * 15,
            };
        });
        const edges = [];
        const place = (items, up) => {
            items.forEach((item, level) => {
                const height = FIRST_LEVEL + level * LEVEL_HEIGHT;
                // Leave and enter a node on either side of its centre: arrows in and out do not meet.
                const x1 = nodeX(item.from) + nodeWidth / 2 + (up ? 15 : -15);
                const x2 = nodeX(item.to) + nodeWidth / 2 + (up ? -15 : 15);
                const y = up ? top : top + NODE_HEIGHT;
                const peak = up ? y - height : y + height;
                // A cubic curve reaches 3/4 of its control points' offset: control at height * 4/3.
                const control = up ? y - (height * 4) / 3 : y + (height * 4) / 3;
                const labelWidth = item.edge.label.length * SMALL_CHAR_WIDTH + 2 * TEXT_PADDING;
                // A label wider than its arrow stays inside the drawing: every arrow has its own height,
                // so labels moved sideways still never overlap.
                const labelX = Math.min(
                    Math.max((x1 + x2) / 2, MARGIN + labelWidth / 2),
                    width - MARGIN - labelWidth / 2
                );
                edges.push({
                    ...item.edge,
                    key: `${item.edge.rule_id}-${item.edge.from}`,
                    path: `M ${x1} ${y} C ${x1} ${control} ${x2} ${control} ${x2} ${y}`,
                    labelX,
                    labelY: peak,
                    labelWidth,
                });
            });
        };
        place(above, true);
        place(below, false);
        const labelsRight = Math.max(0, ...edges.map((edge) => edge.labelX + edge.labelWidth / 2));
        const drawingWidth = Math.max(width, labelsRight + MARGIN);
        const height = top + NODE_HEIGHT + heightBelow + MARGIN;
        const boxWidth = this.state.boxWidth;
        const scale = boxWidth && drawingWidth > boxWidth ? Math.max(MIN_SCALE, boxWidth / drawingWidth) : 1;
        return {
            nodes,
            edges,
            width: drawingWidth,
            height,
            displayWidth: Math.floor(drawingWidth * scale),
            displayHeight: Math.ceil(height * scale),
            nodeWidth,
            nodeHeight: NODE_HEIGHT,
        };
    }

    openRule(edge) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "crm.transition.rule",
            res_id: edge.rule_id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

registry.category("actions").add("lqp_process_diagram", ProcessDiagram);
