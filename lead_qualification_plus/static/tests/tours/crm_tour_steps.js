import { stepUtils } from "@web_tour/tour_service/tour_utils";

/** Steps opening the CRM app from the home menu, done once its pipeline is loaded. */
export function openCrmSteps() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            content: "Open the CRM app",
            run: "click",
        },
        {
            // The app's menus render again once its first view is loaded, closing an open dropdown.
            trigger: ".o_opportunity_kanban",
            content: "The pipeline is shown",
        },
    ];
}

/** Steps opening CRM > Leads from the home menu. */
export function openLeadsSteps() {
    return [
        ...openCrmSteps(),
        {
            trigger: ".o_main_navbar [data-menu-xmlid='crm.crm_menu_leads']",
            content: "Open the Leads menu",
            run: "click",
        },
    ];
}

/** Steps opening the CRM configuration menu ``menuXmlid`` (e.g. the transition rules) from the home menu. */
export function openCrmConfigurationSteps(menuXmlid, content) {
    return [
        ...openCrmSteps(),
        {
            trigger: ".o_main_navbar button:contains('Configuration')",
            content: "Open the configuration menu",
            run: "click",
        },
        {
            trigger: `.dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            content,
            run: "click",
        },
    ];
}
