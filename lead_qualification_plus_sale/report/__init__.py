from . import crm_qualification_report
