from . import crm_qualification_settings
