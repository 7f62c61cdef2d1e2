from . import test_foundation
from . import test_ui
from . import test_stakeholders
from . import test_stakeholder_merge
from . import test_competitors
from . import test_stakeholder_security
