from . import crm_lead
from . import crm_qualification_event
from . import crm_stakeholder_role
from . import crm_lead_stakeholder
from . import crm_competitor
from . import crm_lead_competitor
from . import res_partner
