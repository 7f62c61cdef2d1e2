from . import test_foundation
from . import test_ui
from . import test_qualify
from . import test_qualify_performance
from . import test_qualify_wizard
from . import test_order_qualification
