from . import crm_lead_disqualify_mixin
from . import crm_lead_lost
from . import crm_lead_transition
from . import crm_lead_transition_line
from . import crm_lead_qualify
from . import crm_lead_disqualify
from . import crm_lead_reactivate
from . import crm_qualification_settings
