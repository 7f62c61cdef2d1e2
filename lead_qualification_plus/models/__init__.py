from . import crm_lead
from . import crm_qualification_event
from . import crm_lost_reason
