from . import crm_lead_qualify
