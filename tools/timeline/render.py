"""Plans and check results as officers open them: Markdown, CSV for Excel, JSON, .ics for Outlook, Mermaid.

Pure functions of the result models, listed by format in `RENDERERS` (`assistant.render` finds them);
writing files is the caller's job (`assistant.emit`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

from tools.formatting import long_date
from tools.timeline.model import CheckResult, Plan, RouteList

_SEVERITY = {"error": "Error", "warning": "Warning", "info": "Info"}


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def plan_markdown(plan: Plan) -> str:
    """The plan as a Markdown table (which the checker reads back), then notes and the rules relied on."""
    lines = [
        f"## Procurement timeline: {plan.route_name or plan.route}",
        "",
        f"Regime: {plan.regime_name or plan.regime}.",
        "",
        "| Stage | Start | End | Duration | Rule or assumption |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {_cell(s.name)} | {long_date(s.start)} | {long_date(s.end)} | {s.duration} | "
        f"{_cell(s.citation or s.rule)} |"
        for s in plan.stages
    ]
    if plan.notes:
        lines += ["", "### Notes", "", *(f"- {note}" for note in plan.notes)]
    if plan.rules:
        lines += ["", "### Rules and assumptions", "", *(f"- {rule}" for rule in plan.rules)]
    return "\n".join(lines) + "\n"


def plan_csv(plan: Plan) -> str:
    """CSV with a UTF-8 byte-order mark so Excel shows £ and dashes correctly; ISO dates sort properly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Stage", "Canonical", "Start", "End", "Duration", "Rule or assumption"])
    for s in plan.stages:
        writer.writerow([s.name, s.canonical, s.start.isoformat(), s.end.isoformat(), s.duration, s.rule])
    return "\ufeff" + buffer.getvalue()


def plan_json(plan: Plan) -> str:
    return json.dumps(plan.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def plan_ics(plan: Plan, *, stamp: datetime | None = None) -> bytes:
    """An iCalendar file with one all-day event per stage, for Outlook or any calendar."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//commission//procurement timeline//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Procurement timeline: {plan.route_name or plan.route}")
    stamp = stamp or datetime.now(UTC)
    for number, s in enumerate(plan.stages):
        event = Event()
        event.add("uid", f"{plan.route}-{number:02d}-{s.canonical}-{s.start.isoformat()}@commission")
        event.add("dtstamp", stamp)
        event.add("summary", s.name)
        event.add("dtstart", s.start)
        event.add("dtend", s.end + timedelta(days=1))  # all-day events end the day after
        event.add("description", f"{s.duration}\n{s.rule}".strip())
        event.add("categories", [plan.regime_name or plan.regime])
        calendar.add_component(event)
    return calendar.to_ical()


def plan_mermaid(plan: Plan) -> str:
    """A Mermaid Gantt chart (paste into GitHub, Confluence or mermaid.live)."""
    title = re.sub(r"[:#;]", " ", f"Procurement timeline {plan.route_name or plan.route}")
    lines = ["gantt", f"    title {title}", "    dateFormat YYYY-MM-DD", "    axisFormat %d %b %y"]
    for number, s in enumerate(plan.stages):
        name = re.sub(r"[:#;]", " ", s.name)
        if s.start == s.end:
            lines.append(f"    {name} :milestone, s{number}, {s.start.isoformat()}, 0d")
        else:
            lines.append(
                f"    {name} :s{number}, {s.start.isoformat()}, {(s.end + timedelta(days=1)).isoformat()}"
            )
    return "\n".join(lines) + "\n"


def check_markdown(result: CheckResult) -> str:
    """The stages as read and the findings, errors first."""
    errors = sum(f.severity == "error" for f in result.findings)
    warnings = sum(f.severity == "warning" for f in result.findings)
    lines = [
        f"## Timeline check: {result.route_name or result.route}",
        "",
        f"Regime: {result.regime_name or result.regime}. "
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')}.",
        "",
        "| Stage as written | Read as | From | To |",
        "|---|---|---|---|",
        *(
            f"| {_cell(s.name)} | {s.canonical} | {long_date(s.start)} | {long_date(s.end)} |"
            for s in result.stages
        ),
        "",
        "### Findings",
        "",
    ]
    for f in result.findings or []:
        where = f" ({f.stage})" if f.stage else ""
        lines.append(f"- **{_SEVERITY[f.severity]}**{where}: {f.message} _Rule: {f.rule}_")
    if not result.findings:
        lines.append("- None.")
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def routes_markdown(routes: RouteList) -> str:
    lines = ["| Route | Name | Regime | Description |", "|---|---|---|---|"]
    lines += [f"| `{r.id}` | {r.name} | {r.regime} | {_cell(r.description)} |" for r in routes.routes]
    return "\n".join(lines) + "\n"


RENDERERS = {
    Plan: {"md": plan_markdown, "csv": plan_csv, "json": plan_json, "ics": plan_ics, "mermaid": plan_mermaid},
    CheckResult: {"md": check_markdown},
    RouteList: {"md": routes_markdown},
}
