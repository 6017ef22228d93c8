"""Reading a proposed timeline's rows into stages, and inferring the route when the officer gives none.

The route is the one whose stages best fit the timeline's, preferring routes whose regime governs the
timeline's first date; a route's own wording ("Notice of intention to award") settles a tie.
"""

from __future__ import annotations

import math

from tools.errors import InputError
from tools.formatting import long_date
from tools.regimes import REGIMES
from tools.timeline.check import Entry
from tools.timeline.fuzzydates import When, parse_when
from tools.timeline.model import Finding
from tools.timeline.reader import Row
from tools.timeline.rules import ROUTES, Route
from tools.timeline.stages import STAGE_TYPES, match_stages, normalise

UNRECOGNISED = "unrecognised"
READER = "Timeline reader"


def read_entries(rows: list[Row], findings: list[Finding]) -> list[Entry]:
    """Each row's stages and dates; a date or name that cannot be read becomes a finding, not a failure."""
    entries: list[Entry] = []
    year: int | None = None
    for number, row in enumerate(rows):
        try:
            when = parse_when(row.when, year=year)
            if row.until:
                when = When(when.first, parse_when(row.until, year=when.start.year).last)
        except InputError as error:
            findings.append(
                Finding(
                    severity="warning",
                    stage=row.name,
                    rule=READER,
                    message=f"Could not read the date of '{row.name}': {str(error).removeprefix('date: ')}.",
                )
            )
            continue
        year = when.end.year
        stages = match_stages(row.name)
        if not stages:
            names = ", ".join(stage.name.lower() for stage in STAGE_TYPES.values())
            findings.append(
                Finding(
                    severity="warning",
                    stage=row.name,
                    rule=READER,
                    message=f"'{row.name}' is not a stage this checker recognises, so it was not "
                    f"checked. Fix: name it as one of: {names}.",
                )
            )
        entries.extend(Entry(row.name, stage, when, number) for stage in stages or [UNRECOGNISED])
    return entries


def infer_route(entries: list[Entry], findings: list[Finding]) -> Route:
    """The route whose stages best fit the timeline's, preferring routes in force on its first date."""
    stages = {entry.stage for entry in entries if entry.stage != UNRECOGNISED}
    first_day = min(entry.when.start for entry in entries)
    names = {normalise(entry.name) for entry in entries}

    def score(route: Route) -> float:
        own = {step.stage for step in route.steps}
        in_force = REGIMES[route.regime].rule.applies_on(first_day)
        wording = sum(normalise(step.name) in names for step in route.steps) / 100
        return len(stages & own) - len(stages - own) - (0 if in_force else 2) + wording

    scores = {route.id: score(route) for route in ROUTES.values()}
    best = ROUTES[max(scores, key=lambda id: scores[id])]
    regime = REGIMES[best.regime]
    # Routes with the same stages (open and light touch, say) tie apart from wording: name the others.
    also = [
        id
        for id, value in scores.items()
        if id != best.id and math.floor(scores[best.id]) == math.floor(value)
    ]
    telling = sorted(stages - {s for s in stages if all(ROUTES[r].step(s) for r in ROUTES)})
    fits = (
        f"its stages ({', '.join(STAGE_TYPES[s].name.lower() for s in telling)}) fit it"
        if telling
        else "its stages fit it as well as any"
    )
    findings.append(
        Finding(
            severity="info",
            stage=None,
            rule="Route and regime inferred from the timeline",
            message=f"No route was given, so it was inferred: {best.name} ({best.id}), because "
            f"{fits}, under the {regime.short}, which governs procurements begun on "
            f"{long_date(first_day)}. "
            + (f"These routes fit as well: {', '.join(also)}. " if also else "")
            + "If that is wrong, check again giving the route (--route).",
        )
    )
    return best


def relabel_approvals(route: Route, entries: list[Entry]) -> list[Entry]:
    """Relabel an approval that comes before the procurement starts as the strategy approval."""
    if not route.step("strategy-approval") or any(e.stage == "strategy-approval" for e in entries):
        return entries
    approvals = [e for e in entries if e.stage == "award-approval"]
    others = [e.when.start for e in entries if e.stage not in ("award-approval", UNRECOGNISED)]
    if approvals and others and approvals[0].when.end <= min(others):
        first = approvals[0]
        return [Entry(e.name, "strategy-approval", e.when, e.row) if e is first else e for e in entries]
    return entries
