"""Planning a procurement timeline forward from a start date or backward from the go-live date.

Stages run in their route's order. Statutory minimums and standstills are counted as the law counts
them (`tools.timeline.counting`) and never shortened; typical durations are defaults the officer can
override; approvals land on the next governing-body or cabinet meeting on or after the paper is ready.
Every date is moved on to a working day, except the go-live the officer set. Backward planning finds the
latest start that still meets go-live, and gives any days left over to mobilisation.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tools.errors import InputError, shown
from tools.formatting import long_date, pounds
from tools.regimes import REGIMES, light_touch_threshold, regime_for
from tools.timeline.counting import deadline, period_end, standstill
from tools.timeline.rules import Route, Step, mobilisation_days


@dataclass
class Placed:
    step: Step
    start: date
    end: date
    meeting: date | None = None  # the meeting an approval lands on

    @property
    def wait(self) -> int:
        """Days an approval waits, once ready, for its meeting."""
        return (self.meeting - self.start).days if self.meeting else 0


def stage_lengths(route: Route, overrides: dict[str, int], value: Decimal | None) -> dict[str, int]:
    """Each stage's length in days: the table's, the value-based mobilisation, then the officer's overrides.

    Raises:
        InputError: an override names a stage the route lacks, a fixed stage, or undercuts a minimum.
    """
    lengths = {step.stage: step.days for step in route.steps}
    if route.step("mobilisation"):
        lengths["mobilisation"] = mobilisation_days(value)
    for stage, days in overrides.items():
        step = route.step(stage)
        if step is None:
            stages = ", ".join(
                step.stage for step in route.steps if step.overridable or step.kind == "minimum"
            )
            raise InputError(f"durations: {route.id} has no stage {shown(stage)}; use one of {stages}")
        if step.kind == "minimum" and days < step.days:
            raise InputError(
                f"durations: {stage} = {days} days undercuts the statutory minimum of {step.days} days "
                f"({step.rule.citation()}); give {step.days} or more"
            )
        if not (step.overridable or step.kind == "minimum") or days <= 0:
            raise InputError(
                f"durations: {stage} = {days!r} cannot be set; only typical durations, approvals "
                "and longer statutory periods can"
            )
        lengths[stage] = days
    return lengths


def _meeting(meetings: list[date], ready: date) -> date | None:
    index = bisect_left(meetings, ready)
    return meetings[index] if index < len(meetings) else None


def schedule(route: Route, begin: date, lengths: dict[str, int], meetings: list[date]) -> list[Placed]:
    """Every stage of `route` placed forward from `begin`."""
    calendar = route.calendar
    cursor = calendar.next_working_day(begin)
    placed: dict[str, Placed] = {}
    for step in route.steps:
        days = lengths[step.stage]
        if step.kind == "deadline":
            anchor = placed[step.measured_from or ""].end
            placed[step.stage] = Placed(step, anchor, deadline(route, step, anchor))
            continue
        meeting = None
        if step.kind == "milestone":
            start = end = cursor
        elif step.kind == "standstill":
            start, end = standstill(route, step, placed[step.measured_from or ""].end)
        elif step.kind == "approval" and meetings and (meeting := _meeting(meetings, cursor)):
            start, end = cursor, meeting
        else:
            anchor_stage = placed.get(step.measured_from or "")
            start = anchor_stage.start if anchor_stage else cursor
            end = period_end(calendar, start, days, working=step.working)
        placed[step.stage] = Placed(step, start, end, meeting)
        cursor = end if step.kind == "milestone" else calendar.next_working_day(end + timedelta(days=1))
    return list(placed.values())


def service_start(rows: list[Placed]) -> date:
    return next(row.end for row in rows if row.step.stage == "service-start")


def latest_start(route: Route, go_live: date, lengths: dict[str, int], meetings: list[date]) -> date:
    """The latest start whose plan has the service starting on or before `go_live` (plans only move later)."""
    low, high = go_live - timedelta(days=3650), go_live
    while low < high:
        middle = low + timedelta(days=(high - low).days // 2 + 1)
        if service_start(schedule(route, middle, lengths, meetings)) <= go_live:
            low = middle
        else:
            high = middle - timedelta(days=1)
    return low


def fit_to_go_live(route: Route, rows: list[Placed], go_live: date) -> int:
    """Move service start to `go_live`, giving the spare days to mobilisation; returns the days given."""
    start = next(row for row in rows if row.step.stage == "service-start")
    spare = (go_live - start.end).days
    start.start = start.end = go_live
    mobilisation = next((row for row in rows if row.step.stage == "mobilisation"), None)
    if mobilisation:
        mobilisation.end = max(
            mobilisation.start, route.calendar.previous_working_day(go_live - timedelta(days=1))
        )
    return spare


def binding_constraint(rows: list[Placed], available: int, shortfall: int) -> str:
    """Which stage stops go-live being met, and whether overriding a typical duration could help."""
    length = {id(row): (row.end - row.start).days for row in rows if row.step.kind != "deadline"}
    flexible = [row for row in rows if row.step.overridable and id(row) in length]
    fixed = [row for row in rows if row.step.kind in ("minimum", "standstill")]
    if flexible and shortfall <= sum(length[id(row)] for row in flexible):
        row = max(flexible, key=lambda row: length[id(row)])
        why = f"a meeting wait of {row.wait} days" if row.wait else "a typical duration you can shorten"
        return (
            f"The binding constraint is {row.step.name.lower()} ({length[id(row)]} days, {why}); shortening "
            f"typical stages by {shortfall} days in all would meet go-live."
        )
    statutory = sum(length[id(row)] for row in fixed)
    row = (
        max(fixed, key=lambda row: length[id(row)])
        if fixed
        else max(rows, key=lambda row: length.get(id(row), 0))
    )
    return (
        f"The binding constraint is the law: statutory periods take {statutory} days of the {available} "
        f"available, the longest being {row.step.name.lower()} ({row.step.rule.citation()})."
    )


def regime_note(route: Route, begin: date) -> str | None:
    """A warning when the route's regime does not govern a procurement begun on `begin`."""
    from tools.timeline.rules import ROUTES

    regime = REGIMES[route.regime]
    if regime.rule.applies_on(begin):
        return None
    right = regime_for(regime.family, begin)
    routes = [other.id for other in ROUTES.values() if other.regime == right.id]
    choose = f"Choose one of its routes: {', '.join(routes)}." if routes else "No route here covers it."
    return (
        f"Warning: {route.name} is under the {regime.short}, which does not govern a procurement begun on "
        f"{long_date(begin)}; the {right.short} does. {choose}"
    )


def value_notes(route: Route, value: Decimal | None, begin: date) -> list[str]:
    if value is None:
        return []
    days = mobilisation_days(value)
    notes = [f"Mobilisation sized for a contract of {pounds(value)}: {days} days (an assumption)."]
    threshold = light_touch_threshold(begin)
    if route.id.endswith("light-touch") and threshold and value < threshold.amount:
        notes.append(
            f"{pounds(value)} is below the light touch threshold of {pounds(threshold.amount)} "
            f"({threshold.rule.citation()}): the regime's advertising rules may not apply."
        )
    return notes


def working_day_notes(route: Route, rows: list[Placed]) -> list[str]:
    notes = []
    for row in rows:
        reason = route.calendar.why_not_working(row.end)
        if reason and row.step.stage == "service-start":
            notes.append(f"Go-live {long_date(row.end)} is a {reason}: kept because you set it.")
    return notes
