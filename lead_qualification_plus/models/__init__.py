from . import crm_lead
from . import crm_qualification_event
from . import crm_transition_rule
from . import crm_transition_requirement
