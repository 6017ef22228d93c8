"""Reading the statement's YAML and the envelope and timeline files it points to.

Each linked file may be either the tool's input or its JSON output, and the drafter runs the tool on an
input:

- `envelope_file`: an envelope YAML (`unit`, `base_year`, `lines`, …: `commission envelope template`), or
  the JSON of `commission envelope FILE --format json` (`unit`, `years`, …).
- `timeline_file`: a plan to make, `TimelineRequest` (`route`, with `start` or `go_live`, and optionally
  `value`, `mobilisation`, `meetings`, `durations`), or the JSON of
  `commission timeline plan … --format json` (`route`, `regime`, `stages`, …).

Anything else is refused in one line naming the two shapes. The output models ignore keys beyond the
tools' fixed core (issues 4 and 3), so a field those tools add later does not break a statement; the
core itself is required and checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.envelope.model import PrintedTable
from tools.errors import InputError
from tools.inputs import load_data, load_model, validate
from tools.intent.schema import StatementInput
from tools.types import Days, IsoDate, Pounds

ENVELOPE_SHAPES = (
    "give the envelope tool's YAML input (unit, base_year, lines: see `commission envelope template`) or "
    "its JSON output (`commission envelope FILE --format json`)"
)
TIMELINE_SHAPES = (
    "give a timeline to plan (route, with start or go_live; optionally value, mobilisation, meetings, "
    "durations) or the timeline tool's JSON output (`commission timeline plan ... --format json`)"
)


class _Output(BaseModel):
    model_config = ConfigDict(extra="ignore")


class RingFence(_Output):
    name: str
    amount: Decimal


class EnvelopeYear(_Output):
    year: str
    total: Decimal
    provider_envelope: Decimal
    retained: Decimal
    by_commissioner: dict[str, Decimal] = Field(default_factory=dict)
    by_category: dict[str, Decimal] = Field(default_factory=dict)
    ring_fences: list[RingFence] = Field(default_factory=list)


class Check(_Output):
    severity: str
    message: str


class Envelope(_Output):
    """The envelope tool's JSON: amounts per financial year in a stated unit."""

    unit: Literal["£", "£000", "£m"]
    years: list[EnvelopeYear] = Field(min_length=1)
    checks: list[Check] = Field(default_factory=list)
    rounding: str | None = None
    assumptions: list[str] = Field(default_factory=list)
    table: PrintedTable | None = Field(
        None, description="the table as `commission envelope` prints it; the draft quotes it exactly"
    )


class Stage(_Output):
    name: str
    canonical: str | None = None
    start: date | None = None
    end: date | None = None
    rule: str | None = None


class Timeline(_Output):
    """The timeline tool's JSON: the route, the regime and the dated stages."""

    route: str
    regime: str
    stages: list[Stage] = Field(min_length=1)
    notes: list[str] = Field(default_factory=list)


class TimelineRequest(BaseModel):
    """A timeline to plan, as `timeline_file` may give it: the timeline tool's own arguments.

    `route: psr-competitive` with `start: 2026-09-01` plans forward; `go_live` plans backward from the day
    the service must start. The drafter plans it as `commission timeline plan` would.
    """

    model_config = ConfigDict(extra="forbid")

    route: str = Field(description="the route id, e.g. psr-competitive (commission timeline routes)")
    start: IsoDate | None = Field(None, description="the day the procurement starts")
    go_live: IsoDate | None = Field(None, description="the day the service must start")
    value: Pounds | None = Field(None, description="the contract's total value, to size mobilisation")
    mobilisation: Days | None = Field(None, description="mobilisation if not the typical one")
    meetings: list[IsoDate] = Field(default_factory=list, description="governing body or cabinet meetings")
    durations: dict[str, Days] = Field(default_factory=dict, description="days for typical stages")


@dataclass(frozen=True)
class LoadedStatement:
    statement: StatementInput
    envelope: Envelope | None
    timeline: Timeline | None


def load_statement(path: Path) -> LoadedStatement:
    """A statement YAML with the envelope and timeline files it names (relative to the YAML's folder).

    Raises:
        UnreadableFileError: the YAML or a file it names is missing or does not parse.
        InputError: a field is unknown or invalid, naming the field and the value; or a linked file is
            neither the tool's input nor its output, saying which two it accepts.
    """
    path = Path(path)
    statement = load_model(path, StatementInput)
    folder = path.parent
    envelope = timeline = None
    if statement.envelope_file is not None:
        linked = folder / statement.envelope_file
        envelope = envelope_from(_linked(linked, "envelope_file"), source=f"envelope_file: {linked}")
    if statement.timeline_file is not None:
        linked = folder / statement.timeline_file
        timeline = timeline_from(_linked(linked, "timeline_file"), source=f"timeline_file: {linked}")
    return LoadedStatement(statement, envelope, timeline)


def envelope_from(data: Any, *, source: str) -> Envelope:
    """The envelope tool's JSON output as it is, or its YAML input computed as `commission envelope` does."""
    if isinstance(data, dict) and isinstance(data.get("years"), list):
        return validate(data, Envelope, source=source)
    if isinstance(data, dict) and "lines" in data:
        from tools.envelope.report import compute
        from tools.envelope.schema import spec_from

        result = compute(spec_from(data, source=source))
        return Envelope.model_validate(result.model_dump(mode="json"))
    raise InputError(f"{source}: not an envelope; {ENVELOPE_SHAPES}")


def timeline_from(data: Any, *, source: str) -> Timeline:
    """The timeline tool's JSON output as it is, or a `TimelineRequest` planned as the tool plans it."""
    if isinstance(data, dict) and isinstance(data.get("stages"), list):
        return validate(data, Timeline, source=source)
    if isinstance(data, dict) and "route" in data:
        from tools.timeline import plan_timeline

        request = validate(data, TimelineRequest, source=source)
        try:
            planned = plan_timeline(**request.model_dump())
        except InputError as error:
            raise InputError(f"{source}: {error}") from None
        return Timeline.model_validate(planned.model_dump(mode="json"))
    raise InputError(f"{source}: not a timeline; {TIMELINE_SHAPES}")


def _linked(linked: Path, field: str) -> Any:
    try:
        return load_data(linked)
    except InputError as error:
        raise InputError(f"{field}: {error}") from None
