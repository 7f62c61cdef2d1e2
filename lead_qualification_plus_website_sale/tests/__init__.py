from . import test_web_order_qualification
from . import test_ui
from . import test_order_qualification
from . import test_order_comeback
from . import test_order_faults
from . import test_qualification_settings
