"""The timeline tools as an officer or a model calls them: list the routes, plan a timeline, check one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from tools.errors import InputError
from tools.formatting import long_date
from tools.regimes import REGIMES
from tools.timeline import plan as planning
from tools.timeline.check import Checker
from tools.timeline.infer import UNRECOGNISED, infer_route, read_entries, relabel_approvals
from tools.timeline.model import CheckedStage, CheckResult, Finding, Plan, PlanStage, RouteList, RouteSummary
from tools.timeline.reader import read_rows
from tools.timeline.rules import ROUTES, Route, Step, get_route
from tools.types import NOT_FOR_MODELS, Days, IsoDate, Pounds, parse_date, parse_days, parse_pounds


def list_routes() -> RouteList:
    """List the procurement routes and their ids, for plan_timeline and check_timeline.

    Use it to find the `route` id for plan_timeline or check_timeline.

    Returns:
        Each route's id, name, regime, a one-line description and its stages in order.
    """
    return RouteList(
        routes=[
            RouteSummary(
                id=route.id,
                name=route.name,
                regime=REGIMES[route.regime].short,
                description=route.description,
                stages=[step.name for step in route.steps],
            )
            for route in ROUTES.values()
        ]
    )


def plan_timeline(
    route: str,
    start: IsoDate | None = None,
    go_live: IsoDate | None = None,
    value: Pounds | None = None,
    mobilisation: Days | None = None,
    meetings: list[IsoDate] | None = None,
    durations: Annotated[dict[str, Days] | None, Field(json_schema_extra=NOT_FOR_MODELS)] = None,
    today: Annotated[IsoDate | None, Field(json_schema_extra=NOT_FOR_MODELS)] = None,
) -> Plan:
    """Plan a procurement timetable for a route, forward from its start or back from go-live.

    Use it when an officer asks how long a procurement takes, when it must start to meet a go-live
    date, or for a timetable. Statutory periods are never shortened; typical durations are assumptions.

    Args:
        route: an id from list_routes, e.g. pa-open.
        start: the procurement's start (or give go_live).
        go_live: the service's start.
        value: the contract's total value, £.
        mobilisation: days, or e.g. "12 weeks".
        meetings: approval meeting dates.
        durations: days for typical stages by stage id, e.g. {"evaluation": 20}.
        today: the date to treat as today (default: the real date).

    Returns:
        The route, regime, each stage with its start and end dates and the rule behind it, and notes.
    """
    # Dates from 1990 to 2100 and amounts to £1 trillion: beyond them the calendar arithmetic overflows.
    start, go_live, today = (
        None if day is None else parse_date(day, field=name)
        for name, day in (("start", start), ("go_live", go_live), ("today", today))
    )
    meetings = [parse_date(day, field="meetings") for day in meetings or []]
    value = None if value is None else parse_pounds(value, field="value")
    today = today or date.today()
    chosen = get_route(route)
    if (start is None) == (go_live is None):
        raise InputError("start/go_live: give either a start date or a go-live date, not both or neither")
    if go_live is not None and go_live < today:
        raise InputError(
            f"go-live: {long_date(go_live)} is in the past (today is {long_date(today)}); give a "
            "future go-live date, or plan forward from a start date"
        )
    if go_live is not None and not chosen.step("service-start"):
        raise InputError(
            f"go_live: {chosen.id} ends when the framework is concluded, with no service start; "
            "plan it forward from a start date"
        )
    overrides = {
        stage: parse_days(days, field=f"durations: {stage}") for stage, days in (durations or {}).items()
    }
    if mobilisation is not None:
        overrides["mobilisation"] = parse_days(mobilisation, field="mobilisation")
    lengths = planning.stage_lengths(chosen, overrides, value)
    dates = sorted(set(meetings or []))
    notes: list[str] = []
    if go_live is not None:
        begin = planning.latest_start(chosen, go_live, lengths, dates)
        if begin < today:
            begin = chosen.calendar.next_working_day(today)
        rows = planning.schedule(chosen, begin, lengths, dates)
        earliest = planning.service_start(rows)
        if earliest > go_live:
            late = (earliest - go_live).days
            notes.append(
                f"Go-live {long_date(go_live)} cannot be met: starting today the earliest service start "
                f"is {long_date(earliest)}, {late} days late. "
                + planning.binding_constraint(rows, (go_live - today).days, late)
            )
        else:
            spare = planning.fit_to_go_live(chosen, rows, go_live)
            notes.append(
                f"Worked backward from go-live {long_date(go_live)}: start by {long_date(rows[0].start)}."
            )
            if spare > 0:
                notes.append(
                    f"Mobilisation runs {spare} days longer than typical so the service starts on go-live."
                )
    else:
        rows = planning.schedule(chosen, start or today, lengths, dates)
        notes.append(f"Planned forward from {long_date(rows[0].start)}.")
    return _plan(chosen, rows, dates, value, notes)


def _plan(
    route: Route, rows: list[planning.Placed], meetings: list[date], value: Decimal | None, notes: list[str]
) -> Plan:
    begin = rows[0].start
    for row in rows:
        if row.wait:
            notes.append(
                f"{row.step.name} is ready on {long_date(row.start)} but waits {row.wait} days for the "
                f"meeting on {long_date(row.end)}."
            )
        elif row.step.kind == "approval" and meetings and row.meeting is None:
            notes.append(
                f"{row.step.name}: no meeting date given on or after {long_date(row.start)}; "
                f"assumed {row.step.days} days."
            )
    notes.extend(filter(None, [planning.regime_note(route, begin)]))
    notes.extend(planning.value_notes(route, value, begin))
    notes.extend(planning.working_day_notes(route, rows))
    if any(row.step.rule.unconfirmed for row in rows):
        notes.append(
            "Rules marked UNCONFIRMED are assumptions or rest on secondary sources: check them before "
            "relying on the dates."
        )
    stages = [_stage(row) for row in rows]
    rules = list(
        dict.fromkeys(
            f"{row.step.rule.citation()}: {row.step.rule.summary} Source: {row.step.rule.source}"
            for row in rows
        )
    )
    regime = REGIMES[route.regime]
    return Plan(
        route=route.id,
        regime=regime.id,
        stages=stages,
        notes=notes,
        route_name=route.name,
        regime_name=regime.short,
        rules=rules,
    )


def _stage(row: planning.Placed) -> PlanStage:
    step, days = row.step, (row.end - row.start).days
    basis = {
        "minimum": f"statutory minimum {step.days}",
        "typical": "typical, an assumption",
        "approval": f"the meeting on {long_date(row.meeting)}" if row.meeting else "typical, an assumption",
        "standstill": "voluntary, recommended" if step.voluntary else "standstill as the law counts it",
        "deadline": f"notice due within {step.days} days",
    }.get(step.kind)
    unit = "working days" if step.working and step.kind != "deadline" else "days"
    duration = (
        "1 day"
        if step.kind == "milestone"
        else f"{days} days ({basis} {unit})"
        if step.kind == "minimum"
        else f"{days} days ({basis})"
    )
    return PlanStage(
        name=step.name,
        canonical=step.stage,
        start=row.start,
        end=row.end,
        rule=f"{step.rule.citation()}: {step.rule.summary}",
        citation=_short_citation(step),
        duration=duration,
    )


_SHORT_LABEL = {"unconfirmed": "UNCONFIRMED assumption", "confirmed-2nd": "UNCONFIRMED: secondary source"}


def _short_citation(step: Step) -> str:
    label = _SHORT_LABEL.get(step.rule.status)
    return f"{step.rule.regulation} ({label})" if label else step.rule.regulation


def check_timeline(timeline: str, route: str | None = None, value: Pounds | None = None) -> CheckResult:
    """Check a proposed procurement timetable against its route's stages and the law.

    Use it when an officer gives a timetable and asks whether it works or is lawful. Reads stage names
    and dates in officers' words; infers the route when none is given.

    Args:
        timeline: a table (Markdown, CSV or YAML): a stage and its dates a row.
        route: an id from list_routes, if known.
        value: the contract's total value, £.

    Returns:
        The route and regime, each stage as read with its date range, and findings (error, warning or
        info), each with the stage, the rule and its source, and a message with a suggested fix.
    """
    value = None if value is None else parse_pounds(value, field="value")
    findings: list[Finding] = []
    entries = read_entries(read_rows(timeline), findings)
    if not entries:
        raise InputError(
            "timeline: no stage has a date this reader understands; write dates like 1 April 2017"
        )
    chosen = get_route(route) if route else infer_route(entries, findings)
    entries = relabel_approvals(chosen, entries)
    first_day = min(entry.when.start for entry in entries)
    note = planning.regime_note(chosen, first_day)
    if note:
        findings.append(
            Finding(
                severity="warning",
                stage=None,
                rule=REGIMES[chosen.regime].rule.citation(),
                message=note.removeprefix("Warning: "),
            )
        )
    findings.extend(Checker(chosen, [e for e in entries if e.stage != UNRECOGNISED], value).run())
    order = {"error": 0, "warning": 1, "info": 2}
    regime = REGIMES[chosen.regime]
    return CheckResult(
        route=chosen.id,
        regime=regime.id,
        route_name=chosen.name,
        regime_name=regime.short,
        stages=[
            CheckedStage(name=e.name, canonical=e.stage, start=e.when.start, end=e.when.end) for e in entries
        ],
        findings=sorted(findings, key=lambda finding: order[finding.severity]),
    )
