import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

// Geometry of the drawing, in SVG pixels.
const NODE_WIDTH = 150;
const NODE_HEIGHT = 56;
const NODE_GAP = 90;
const MARGIN = 20;
const LEVEL_HEIGHT = 30;
const FIRST_LEVEL = 34;
const LABEL_HEIGHT = 20;

/**
 * The process of a sales team, drawn read-only: its stages in sequence order, one arrow per transition rule
 * and from-stage, labelled with the rule's name and requirement count. Clicking an arrow opens its rule.
 * The data is crm.team.get_process_diagram; the layout is computed here, in plain SVG.
 */
export class ProcessDiagram extends Component {
    static template = "lead_qualification_plus.ProcessDiagram";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        const params = this.props.action.params || {};
        this.state = useState({ teams: [], teamId: params.team_id || false, diagram: null });
        onWillStart(async () => {
            this.state.teams = await this.orm.searchRead("crm.team", [], ["name"]);
            if (!this.state.teamId && this.state.teams.length) {
                this.state.teamId = this.state.teams[0].id;
            }
            await this.loadDiagram();
        });
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
        const nodeX = (i) => MARGIN + i * (NODE_WIDTH + NODE_GAP);
        const nodes = diagram.nodes.map((node, i) => ({
            ...node,
            x: nodeX(i),
            y: top,
            slaText: node.slas
                .map((sla) =>
                    sla.warning_days
                        ? _t("Limit %(max)s d, warn %(warn)s d", { max: sla.max_days, warn: sla.warning_days })
                        : _t("Limit %(max)s d", { max: sla.max_days })
                )
                .join(" · "),
        }));
        const edges = [];
        const place = (items, up) => {
            items.forEach((item, level) => {
                const height = FIRST_LEVEL + level * LEVEL_HEIGHT;
                // Leave and enter a node on either side of its centre: arrows in and out do not meet.
                const x1 = nodeX(item.from) + NODE_WIDTH / 2 + (up ? 15 : -15);
                const x2 = nodeX(item.to) + NODE_WIDTH / 2 + (up ? -15 : 15);
                const y = up ? top : top + NODE_HEIGHT;
                const peak = up ? y - height : y + height;
                // A cubic curve reaches 3/4 of its control points' offset: control at height * 4/3.
                const control = up ? y - (height * 4) / 3 : y + (height * 4) / 3;
                const labelWidth = item.edge.label.length * 6.6 + 16;
                edges.push({
                    ...item.edge,
                    key: `${item.edge.rule_id}-${item.edge.from}`,
                    path: `M ${x1} ${y} C ${x1} ${control} ${x2} ${control} ${x2} ${y}`,
                    labelX: (x1 + x2) / 2,
                    labelY: peak,
                    labelWidth,
                });
            });
        };
        place(above, true);
        place(below, false);
        const labelsRight = Math.max(0, ...edges.map((edge) => edge.labelX + edge.labelWidth / 2));
        return {
            nodes,
            edges,
            width: Math.max(nodeX(diagram.nodes.length) - NODE_GAP + MARGIN, labelsRight + MARGIN),
            height: top + NODE_HEIGHT + heightBelow + MARGIN,
            nodeWidth: NODE_WIDTH,
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
