from . import test_web_order_qualification
from . import test_ui
