"""The timetable as a committee reads it: stage, dates and duration, one footnote for the assumptions.

The timeline tool's rules, sources, route id and planning notes stay out of the table; the appendix "How
this timetable was built" carries them, reworded for a reader (no bracketed labels).
"""

from __future__ import annotations

from datetime import date

from tools.formatting import long_date
from tools.intent.inputs import Stage, Timeline
from tools.rules import SECONDARY_LABEL, UNCONFIRMED_LABEL

ASSUMED = "*"
FOOTNOTE = (
    f"{ASSUMED} A typical duration assumed for planning, not a period the law sets: confirm it before "
    "relying on the dates that follow it."
)
# The timeline tool's note explaining its labels, which the appendix rewords instead.
_LABEL_NOTE = "Rules marked UNCONFIRMED"


def dates(start: date, end: date) -> str:
    """`3 September 2025`, `1 to 29 September 2026`, `30 September to 11 November 2026`, or across years."""
    if start == end:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {long_date(end)}"
    if start.year == end.year:
        return f"{start.day} {long_date(start).split()[1]} to {long_date(end)}"
    return f"{long_date(start)} to {long_date(end)}"


def duration(start: date, end: date) -> str:
    """`1 day` for a one-day stage (a notice, a signature), whole weeks when it is whole weeks, else days."""
    days = (end - start).days
    if days == 0:
        return "1 day"
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks > 1 else ''}"
    return f"{days} days"


def assumed(stage: Stage) -> bool:
    """Whether the stage's length is an assumption the officer should confirm (not the law's)."""
    return UNCONFIRMED_LABEL in (stage.rule or "")


def basis(rule: str) -> str:
    """A rule as the timeline tool gives it, with its bracketed labels put in words."""
    rule = rule.replace(f" [{UNCONFIRMED_LABEL}]", " (an assumption to confirm)")
    return rule.replace(f" [{SECONDARY_LABEL}]", " (from a secondary source; check it against the statute)")


def planning_notes(timeline: Timeline) -> list[str]:
    """The timeline's notes, less the one that explains labels the appendix no longer shows."""
    return [note for note in timeline.notes if not note.startswith(_LABEL_NOTE)]
