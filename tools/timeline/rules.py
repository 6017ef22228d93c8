"""The procurement routes as data: each route's stages in order, with the rule or assumption behind each.

The table itself is `routes.yaml` beside this module, so a reviewer can check or edit a value (an
UNCONFIRMED one especially) without reading code. This module loads it into typed `Route`s and `Step`s,
each step carrying its `tools.rules.Rule`. A rule tied to a regime applies between that regime's dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from importlib import resources
from typing import Any, Literal, cast

import yaml

from tools.errors import InputError
from tools.regimes import REGIMES, RegimeId
from tools.rules import Rule

Kind = Literal["approval", "milestone", "minimum", "typical", "standstill", "deadline"]
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Step:
    """One stage of a route.

    Attributes:
        stage: the canonical stage id (`tools.timeline.stages.STAGE_TYPES`).
        kind: `minimum` (a statutory minimum period), `typical` (a default the officer may override),
            `approval` (lands on a meeting date), `milestone` (one day), `standstill`, or `deadline` (a
            notice due within `days` of `measured_from`, running alongside the stages that follow).
        rule: the rule or assumption behind it.
        days: the minimum, typical or deadline length.
        working: whether `days` are working days rather than calendar days.
        measured_from: the stage a period is counted from (tenders from the contract notice).
        after: stages that must have ended before this one starts.
        missing: how serious it is when a timeline leaves the stage out (None: not worth a finding).
        name: the stage's name in this route.
    """

    stage: str
    kind: Kind
    rule: Rule
    name: str
    days: int = 0
    working: bool = False
    measured_from: str | None = None
    after: tuple[str, ...] = ()
    missing: Severity | None = "warning"

    @property
    def overridable(self) -> bool:
        """Whether the officer may change the duration: typical stages and approvals."""
        return self.kind in ("typical", "approval")


@dataclass(frozen=True)
class Route:
    id: str
    name: str
    description: str
    regime: RegimeId
    steps: tuple[Step, ...]

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


def _load() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("routes.yaml").read_text(encoding="utf-8")
    return cast(dict[str, Any], yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


_DATA = _load()


def _rule(id: str, entry: dict[str, Any]) -> Rule:
    regime = REGIMES[entry["regime"]].rule if "regime" in entry else None
    return Rule(
        id,
        entry["summary"],
        entry["regulation"],
        entry["source"],
        entry["status"],
        regime.applies_from if regime else None,
        regime.applies_until if regime else None,
    )


RULES: dict[str, Rule] = {id: _rule(id, entry) for id, entry in _DATA["rules"].items()}


def _steps(entries: list[Any]) -> list[Step]:
    from tools.timeline.stages import STAGE_TYPES

    steps: list[Step] = []
    for entry in entries:
        if isinstance(entry, str):
            steps.extend(_steps(_DATA["groups"][entry]))
            continue
        missing = entry.get("missing", "warning")
        steps.append(
            Step(
                stage=STAGE_TYPES[entry["stage"]].id,
                kind=entry["kind"],
                rule=RULES[entry["rule"]],
                name=entry.get("name") or STAGE_TYPES[entry["stage"]].name,
                days=entry.get("days", 0),
                working=entry.get("working", False),
                measured_from=entry.get("from"),
                after=tuple(entry.get("after", ())),
                missing=None if missing == "none" else missing,
            )
        )
    return steps


ROUTES: dict[str, Route] = {
    id: Route(id, entry["name"], entry["description"], entry["regime"], tuple(_steps(entry["steps"])))
    for id, entry in _DATA["routes"].items()
}

MOBILISATION_RULE = RULES["typical.mobilisation"]
_BANDS = [(Decimal(str(floor)), days) for floor, days in _DATA["mobilisation"]]


def mobilisation_days(value: Decimal | None) -> int:
    """The typical mobilisation for a contract of `value` (the default when the value is not known)."""
    if value is None:
        return int(_DATA["default_mobilisation"])
    return next((days for floor, days in _BANDS if value >= floor), _BANDS[-1][1])


def get_route(route: str) -> Route:
    """The route with id `route` (case and spacing forgiven).

    Raises:
        InputError: naming the route given and listing the ones there are.
    """
    key = "-".join(str(route).strip().lower().replace("_", "-").split())
    if key in ROUTES:
        return ROUTES[key]
    raise InputError(
        f"route: {route!r} is not a route; use one of {', '.join(ROUTES)} (see `commission timeline routes`)"
    )
