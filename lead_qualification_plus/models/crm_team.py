from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmTeam(models.Model):
    _inherit = "crm.team"

    transition_policy = fields.Selection(
        selection=[
            ("open", "Any move unless a rule refuses it"),
            ("defined", "Only moves a stage rule defines"),
        ],
        string="Stage Moves",
        default="open",
        required=True,
        help="Any move: a record may move to any stage unless a transition rule asks for work first. "
        "Only defined moves: a record of this team may move to a stage only when an active stage rule "
        "defines that move (its from-stages hold the current stage or are empty, its to-stage is the target, "
        "and it applies to the record). Won, lost and the addon's own moves (reactivation, orders) are "
        "always allowed.",
    )
    allow_backward_moves = fields.Boolean(
        string="Allow Moving Back",
        default=True,
        help="With only defined moves: a record may still move back to a stage of lower sequence without a "
        "rule.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_team_of_rule_or_profile(self):
        # A rule or a profile without teams applies to every team: losing its last team would widen it.
        widened = self.env["crm.transition.rule"]._names_widened_without(
            "team_ids", self, ("crm.transition.rule", "crm.qualification.profile")
        )
        if widened:
            raise UserError(
                self.env._(
                    "These sales teams are the only ones of the transition rules or qualification profiles "
                    "%(records)s: deleted, those would apply to every team. Change or delete them first.",
                    records=widened,
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_process_diagram(self):
        """Open the drawing of this team's process (``get_process_diagram``)."""
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "lqp_process_diagram",
            "name": self.env._("Process of %(team)s", team=self.name),
            "params": {"team_id": self.id},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def get_process_diagram(self):
        """Return the process of this team as drawable data, read with the caller's rights.

        ``{"team": {"id", "name"}, "nodes": [...], "edges": [...]}``. Nodes, in drawing order: "any" (when a
        rule applies from any stage), the team's stages by sequence (``{"id": "stage_<id>", "stage_id",
        "name", "is_won", "slas": [{"id", "name", "max_days", "warning_days"}]}``), then "qualified" (when a
        qualify rule applies). Edges: one per active rule of the team and from-stage, ``{"rule_id", "name",
        "requirement_count", "from", "to", "label"}``. Only the rules, stages and time limits the caller may
        read count, and only the rules of the team's company or of every company.
        """
        if len(self) != 1:
            raise UserError(self.env._("The process diagram draws one sales team at a time: give one id."))
        self.check_access("read")
        stages = self.env["crm.stage"].search(["|", ("team_id", "=", False), ("team_id", "=", self.id)])
        nodes = [
            {
                "id": f"stage_{stage.id}",
                "stage_id": stage.id,
                "name": stage.name,
                "is_won": stage.is_won,
                "slas": [],
            }
            for stage in stages
        ]
        node_by_stage = {node["stage_id"]: node for node in nodes}
        for sla in self._get_process_slas(stages):
            node_by_stage[sla.stage_id.id]["slas"].append(
                {"id": sla.id, "name": sla.name, "max_days": sla.max_days, "warning_days": sla.warning_days}
            )
        edges = []
        for rule in self._get_process_rules():
            if rule.target == "qualify":
                to_node = "qualified"
            elif rule.to_stage_id.id in node_by_stage:
                to_node = f"stage_{rule.to_stage_id.id}"
            else:
                # A rule of every team into a stage of another team: not part of this team's drawing.
                continue
            if rule.from_stage_ids:
                from_nodes = [
                    f"stage_{stage_id}" for stage_id in rule.from_stage_ids.ids if stage_id in node_by_stage
                ]
            else:
                from_nodes = ["any"]
            count = len(rule.requirement_ids)
            label = self.env._("%(rule)s (%(count)s requirements)", rule=rule.name, count=count)
            if count == 1:
                label = self.env._("%(rule)s (1 requirement)", rule=rule.name)
            edges += [
                {
                    "rule_id": rule.id,
                    "name": rule.name,
                    "requirement_count": count,
                    "from": from_node,
                    "to": to_node,
                    "label": label,
                }
                for from_node in from_nodes
            ]
        used = {edge["from"] for edge in edges} | {edge["to"] for edge in edges}
        if "any" in used:
            nodes.insert(0, {"id": "any", "stage_id": False, "name": self.env._("Any stage"), "slas": []})
        if "qualified" in used:
            nodes.append({"id": "qualified", "stage_id": False, "name": self.env._("Qualified"), "slas": []})
        return {"team": {"id": self.id, "name": self.name}, "nodes": nodes, "edges": edges}

    def _get_process_rules(self):
        """The active rules of this team the caller may read: the team's own and those of every team."""
        domain = ["|", ("team_ids", "=", False), ("team_ids", "in", self.ids)]
        if self.company_id:
            domain += [("company_id", "in", [False, self.company_id.id])]
        return self.env["crm.transition.rule"].search(domain)

    def _get_process_slas(self, stages):
        """The active time limits of this team on ``stages`` the caller may read."""
        # The time limits come with another part of the addon: the drawing shows them once it is there.
        if "crm.stage.sla" not in self.env:
            return []
        return self.env["crm.stage.sla"].search(
            [("stage_id", "in", stages.ids), "|", ("team_ids", "=", False), ("team_ids", "in", self.ids)]
        )
