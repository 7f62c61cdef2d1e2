import { Domain } from "@web/core/domain";
import { registry } from "@web/core/registry";
import { DomainField, domainField } from "@web/views/fields/domain/domain_field";

/**
 * A transition rule's condition, counted (and listed) within the scope the rule really has: its teams,
 * its from-stages, the kind of record and its company. "N records" then says how many records the rule
 * applies to, not how many leads of the whole database match the condition alone.
 */
export class RuleDomainField extends DomainField {
    getEvaluatedDomain(props = this.props) {
        const domain = super.getEvaluatedDomain(props);
        if (domain.isInvalid) {
            return domain;
        }
        const data = props.record.data;
        const scope = [];
        const teamIds = data.team_ids?.currentIds || [];
        if (teamIds.length) {
            scope.push([["team_id", "in", teamIds]]);
        }
        const stageIds = data.from_stage_ids?.currentIds || [];
        if (stageIds.length) {
            scope.push([["stage_id", "in", stageIds]]);
        }
        if (data.lead_type && data.lead_type !== "both") {
            scope.push([["type", "=", data.lead_type]]);
        }
        const companyId = data.company_id && (data.company_id.id ?? data.company_id[0]);
        if (companyId) {
            scope.push(["|", ["company_id", "=", false], ["company_id", "=", companyId]]);
        }
        return Domain.and([domain, ...scope]).toList();
    }
}

registry.category("fields").add("lqp_rule_domain", { ...domainField, component: RuleDomainField });
