"""Procurement timelines: plan one for any route, and check a proposed one against its stages and the law.

`list_routes`, `plan_timeline` and `check_timeline` are plain functions (the CLI's `commission timeline`
commands and the agent both call them); `AGENT_TOOLS` is what the registry gives the agent. The route
table is data (`routes.yaml`, loaded by `rules.py`); dates are counted by `counting.py`, papers' dates
read by `fuzzydates.py`, tables read by `reader.py`, and results rendered by `render.py`.
"""

from __future__ import annotations

from tools.timeline.api import check_timeline, list_routes, plan_timeline
from tools.timeline.model import CheckedStage, CheckResult, Finding, Plan, PlanStage, RouteList, RouteSummary
from tools.timeline.reader import read_timeline_file

AGENT_TOOLS = [list_routes, plan_timeline, check_timeline]

__all__ = [
    "AGENT_TOOLS",
    "CheckResult",
    "CheckedStage",
    "Finding",
    "Plan",
    "PlanStage",
    "RouteList",
    "RouteSummary",
    "check_timeline",
    "list_routes",
    "plan_timeline",
    "read_timeline_file",
]
