from . import test_foundation
from . import test_ui
from . import test_disqualify
from . import test_reactivate
from . import test_ui_disqualify
from . import test_lost
