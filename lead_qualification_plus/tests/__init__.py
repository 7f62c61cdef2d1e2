from . import test_foundation
from . import test_ui
from . import test_qualification_report
from . import test_transition_block_report
from . import test_qualify
from . import test_qualify_performance
from . import test_qualify_wizard
