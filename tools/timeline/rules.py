"""The procurement routes as data: each route's stages in order, with the rule or assumption behind each.

The table itself is `routes.yaml` beside this module, so a reviewer can check or edit a value (an
UNCONFIRMED one especially) without reading code. This module validates it once, at import, into pydantic
models (`RouteTable`): an unknown key, a misspelt kind, status or stage, a rule, notice or group that does
not exist, or a standstill without its counting, fails there, naming the file and the key. A rule tied to a
regime applies between that regime's dates; a route counts working days on its regime's calendar.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tools.errors import InputError
from tools.regimes import REGIMES, RegimeId
from tools.rules import Rule, Status, load_table
from tools.timeline.stages import STAGE_TYPES
from tools.types import Severity
from tools.workdays import Calendar

Kind = Literal["approval", "milestone", "minimum", "typical", "standstill", "deadline"]
Begins = Literal["notice-day", "day-after-notice"]
Counting = Literal["beginning-with", "after"]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class RuleEntry(BaseModel):
    """A rule as the YAML writes it: the rule's fields, and the regime whose dates it applies between."""

    model_config = _STRICT

    summary: str
    regulation: str
    source: str
    status: Status
    quote: str | None = None
    regime: RegimeId | None = None


class NoticeEntry(BaseModel):
    model_config = _STRICT

    name: str
    regime: RegimeId


class StepEntry(BaseModel):
    """One step as the YAML writes it (see the key in routes.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    stage: str
    kind: Kind
    rule: str
    name: str | None = None
    days: int = Field(0, ge=0, le=3650)
    working: bool = False
    begins: Begins | None = None
    counting: Counting | None = None
    voluntary: bool = False
    measured_from: str | None = Field(None, alias="from")
    after: tuple[str, ...] = ()
    missing: Literal["error", "warning", "info", "none"] = "warning"
    notice: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> StepEntry:
        if self.stage not in STAGE_TYPES:
            raise ValueError(f"stage {self.stage!r} is not a stage of tools/timeline/stages.py")
        if self.kind == "standstill" and not (
            self.begins and self.counting and self.days and self.measured_from
        ):
            raise ValueError("a standstill needs days, begins, counting and from")
        if self.kind != "standstill" and (self.begins or self.voluntary):
            raise ValueError("begins and voluntary are for standstills only")
        if self.kind == "deadline" and not (self.days and self.measured_from):
            raise ValueError("a deadline needs days and from")
        if self.kind == "minimum" and not self.days:
            raise ValueError("a minimum needs days")
        return self


class RouteEntry(BaseModel):
    model_config = _STRICT

    name: str
    regime: RegimeId
    description: str
    steps: tuple[StepEntry | str, ...] = Field(min_length=1)


class RouteTable(BaseModel):
    """The whole of routes.yaml, cross-checked: every name a step uses exists."""

    model_config = _STRICT

    mobilisation: tuple[tuple[Decimal, int], ...] = Field(min_length=1)
    default_mobilisation: int = Field(gt=0)
    notices: dict[str, NoticeEntry]
    rules: dict[str, RuleEntry]
    groups: dict[str, tuple[StepEntry | str, ...]]
    routes: dict[str, RouteEntry]

    @model_validator(mode="after")
    def _references(self) -> RouteTable:
        for key, entry in self.rules.items():
            try:
                Rule(id=key, **entry.model_dump())
            except ValidationError as error:
                raise ValueError(f"rules.{key}: {error.errors()[0]['msg']}") from None
        for where, steps, regime in [
            *((f"groups.{name}", steps, None) for name, steps in self.groups.items()),
            *((f"routes.{name}.steps", route.steps, route.regime) for name, route in self.routes.items()),
        ]:
            for number, step in enumerate(steps):
                _check_step(self, f"{where}.{number}", step, regime)
        return self


def _check_step(table: RouteTable, where: str, step: StepEntry | str, regime: RegimeId | None) -> None:
    if isinstance(step, str):
        if step not in table.groups:
            raise ValueError(f"{where}: {step!r} is not a group")
        return
    if step.rule not in table.rules:
        raise ValueError(f"{where}.rule: {step.rule!r} is not a rule")
    if step.notice is not None and step.notice not in table.notices:
        raise ValueError(f"{where}.notice: {step.notice!r} is not a notice")
    rule_regime = table.rules[step.rule].regime
    if regime and rule_regime and rule_regime != regime:
        raise ValueError(f"{where}.rule: {step.rule!r} is a {rule_regime} rule in a {regime} route")


class Step(BaseModel):
    """One stage of a route, its rule resolved.

    Attributes:
        stage: the canonical stage id (`tools.timeline.stages.STAGE_TYPES`).
        kind: `minimum` (a statutory minimum period), `typical` (a default the officer may override),
            `approval` (lands on a meeting date), `milestone` (one day), `standstill`, or `deadline` (a
            notice due within `days` of `measured_from`, running alongside the stages that follow).
        rule: the rule or assumption behind it.
        days: the minimum, typical, standstill or deadline length.
        working: whether `days` are working days rather than calendar days.
        begins, counting: how a standstill or deadline is counted (see routes.yaml).
        voluntary: a standstill the law does not require.
        measured_from: the stage a period is counted from (tenders from the contract notice).
        after: stages that must have ended before this one starts.
        missing: how serious it is when a timeline leaves the stage out (None: not worth a finding).
        notice: the Procurement Act notice code (UK6), if the stage is one.
        name: the stage's name in this route.
    """

    model_config = ConfigDict(frozen=True)

    stage: str
    kind: Kind
    rule: Rule
    name: str
    days: int = 0
    working: bool = False
    begins: Begins | None = None
    counting: Counting = "after"
    voluntary: bool = False
    measured_from: str | None = None
    after: tuple[str, ...] = ()
    missing: Severity | None = "warning"
    notice: str | None = None

    @property
    def overridable(self) -> bool:
        """Whether the officer may change the duration: typical stages and approvals."""
        return self.kind in ("typical", "approval")


class Route(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    description: str
    regime: RegimeId
    steps: tuple[Step, ...]

    @property
    def calendar(self) -> Calendar:
        """The working days of the route's regime."""
        return REGIMES[self.regime].days

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {step.stage: number for number, step in reversed(list(enumerate(self.steps)))}

    @cached_property
    def _by_stage(self) -> dict[str, Step]:
        return {step.stage: step for step in reversed(self.steps)}

    def step(self, stage: str) -> Step | None:
        return self._by_stage.get(stage)

    def index(self, stage: str) -> int:
        """The stage's position in the route (-1 when the route lacks it)."""
        return self._positions.get(stage, -1)


TABLE = load_table(__package__ or "tools.timeline", "routes.yaml", RouteTable)


def build_rules(table: RouteTable) -> dict[str, Rule]:
    """Each rule of `table`, with the dates of the regime it belongs to."""
    rules = {}
    for id, entry in table.rules.items():
        dates = REGIMES[entry.regime].rule if entry.regime else None
        rules[id] = Rule(
            id=id,
            **entry.model_dump(),
            applies_from=dates.applies_from if dates else None,
            applies_until=dates.applies_until if dates else None,
        )
    return rules


def build_routes(table: RouteTable) -> dict[str, Route]:
    """Every route of `table`, its groups expanded and its rules resolved."""
    rules = build_rules(table)

    def steps(entries: tuple[StepEntry | str, ...]) -> list[Step]:
        found: list[Step] = []
        for entry in entries:
            if isinstance(entry, str):
                found.extend(steps(table.groups[entry]))
                continue
            fields: dict[str, Any] = entry.model_dump(exclude={"rule", "name", "missing", "counting"})
            found.append(
                Step(
                    **fields,
                    rule=rules[entry.rule],
                    name=_name(table, entry),
                    counting=entry.counting or "after",
                    missing=None if entry.missing == "none" else entry.missing,
                )
            )
        return found

    return {
        id: Route(
            id=id,
            name=entry.name,
            description=entry.description,
            regime=entry.regime,
            steps=tuple(steps(entry.steps)),
        )
        for id, entry in table.routes.items()
    }


def _name(table: RouteTable, entry: StepEntry) -> str:
    if entry.name:
        return entry.name
    if entry.notice:
        return f"{table.notices[entry.notice].name} ({entry.notice})"
    return STAGE_TYPES[entry.stage].name


RULES: dict[str, Rule] = build_rules(TABLE)
ROUTES: dict[str, Route] = build_routes(TABLE)
MOBILISATION_RULE = RULES["typical.mobilisation"]


def mobilisation_days(value: Decimal | None) -> int:
    """The typical mobilisation for a contract of `value` (the default when the value is not known)."""
    if value is None:
        return TABLE.default_mobilisation
    return next((days for floor, days in TABLE.mobilisation if value >= floor), TABLE.mobilisation[-1][1])


def get_route(route: str) -> Route:
    """The route with id `route` (case and spacing forgiven).

    Raises:
        InputError: naming the route given and listing the ones there are.
    """
    key = "-".join(str(route).strip().lower().replace("_", "-").split())
    if key in ROUTES:
        return ROUTES[key]
    shown = str(route)[:40]
    raise InputError(f"route: {shown!r} is not a route; use one of {', '.join(ROUTES)}")
