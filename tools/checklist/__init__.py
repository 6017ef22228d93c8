"""Regulation checklists: the Monitor questions (2013 regulations), which regime applies, and the PSR route.

- `check_monitor_questions`: a paper against the seven Monitor questions and the wider 2013 checks.
- `which_regime`: the regime(s) for a start date, buyer and service, with the light touch threshold.
- `psr_route`: the Provider Selection Regime process, the notices and standstill, and the key criteria.
- `check_modification`: whether a change of a contract's value or term is permitted, and the notice it needs.
"""

from tools.checklist.model import CheckResult, MonitorResult, PsrResult, RegimeResult
from tools.checklist.modification import check_modification
from tools.checklist.modification_model import ModificationResult
from tools.checklist.monitor import MonitorAnswers, check_monitor_questions
from tools.checklist.psr import PsrAnswers, decide_psr, psr_route
from tools.checklist.regime import which_regime

AGENT_TOOLS = [check_monitor_questions, which_regime, psr_route, check_modification]

__all__ = [
    "AGENT_TOOLS",
    "CheckResult",
    "ModificationResult",
    "MonitorAnswers",
    "MonitorResult",
    "PsrAnswers",
    "PsrResult",
    "RegimeResult",
    "check_modification",
    "check_monitor_questions",
    "decide_psr",
    "psr_route",
    "which_regime",
]
