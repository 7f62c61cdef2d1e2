from . import crm_lead_disqualify
from . import crm_lead_reactivate
from . import crm_lead_lost
