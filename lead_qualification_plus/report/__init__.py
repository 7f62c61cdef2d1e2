from . import crm_sql_report
from . import crm_qualification_report
from . import crm_stage_sla_report
