from . import crm_lead
from . import crm_qualification_profile
from . import res_company
from . import res_config_settings
from . import sale_order
from . import crm_qualification_event
