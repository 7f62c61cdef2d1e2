from . import test_foundation
from . import test_ui
from . import test_transition_rules
from . import test_transition_wizard
