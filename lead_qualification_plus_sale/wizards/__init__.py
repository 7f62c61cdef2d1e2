from . import crm_lead_qualify
from . import crm_qualification_settings
