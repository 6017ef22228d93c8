"""Reading the statement's YAML and the envelope and timeline files it points to.

The envelope and timeline files are the JSON the `commission envelope` and `commission timeline` tools
print (issues 4 and 3 fix their shape). Their models ignore keys beyond that fixed core, so a field
those tools add later does not break a statement; the core itself is required and checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from tools.errors import InputError
from tools.inputs import load_data, load_model, validate
from tools.intent.schema import StatementInput

M = TypeVar("M", bound=BaseModel)


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


@dataclass(frozen=True)
class LoadedStatement:
    statement: StatementInput
    envelope: Envelope | None
    timeline: Timeline | None


def load_statement(path: Path) -> LoadedStatement:
    """A statement YAML with the envelope and timeline files it names (relative to the YAML's folder).

    Raises:
        UnreadableFileError: the YAML or a file it names is missing or does not parse.
        InputError: a field is unknown or invalid, naming the field and the value.
    """
    path = Path(path)
    statement = load_model(path, StatementInput)
    folder = path.parent
    envelope = _load_linked(folder, statement.envelope_file, "envelope_file", Envelope)
    timeline = _load_linked(folder, statement.timeline_file, "timeline_file", Timeline)
    return LoadedStatement(statement, envelope, timeline)


def _load_linked(folder: Path, name: str | None, field: str, model: type[M]) -> M | None:
    if name is None:
        return None
    linked = folder / name
    try:
        data = load_data(linked)
    except InputError as error:
        raise InputError(f"{field}: {error}") from None
    if not isinstance(data, dict):
        raise InputError(f"{field}: {linked} is not the JSON the tool prints (expected an object)")
    return validate(data, model, source=f"{field}: {linked}")
