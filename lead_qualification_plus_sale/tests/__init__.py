from . import test_qualify
from . import test_qualify_wizard
from . import test_qualification_guard
from . import test_qualification_report
from . import test_qualification_settings
from . import test_security_review
from . import test_undo_qualification
from . import test_ui
