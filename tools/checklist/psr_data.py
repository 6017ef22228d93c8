"""The Provider Selection Regime decision as data: `psr.yaml` beside this module, validated once at import.

The YAML holds the rules (keyed by id), the questions, the rule each step of the route cites, the
considerable change threshold's figures, the notices, the standstill and the key criteria. Sections name
rules by id; loading puts the rule itself in their place, and refuses an id that is not under `rules`, or
a figure, Schedule, deadline or notice name that the rule's own words do not state. The working days the
standstill counts are the PSR calendar of `tools/regimes.yaml`.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.checklist.model import ProcessId
from tools.formatting import pounds
from tools.regimes import CALENDARS, REGIMES, RegimeId
from tools.rules import Rule, load_table

REGIME: RegimeId = "psr2023"
"""The regime every rule here belongs to: its dates are the rules' dates, its calendar the standstill's."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _states(rules: tuple[Rule, ...] | Rule, *phrases: str) -> None:
    """Refuse a figure or name the rules' summaries do not state, so the words and the data agree."""
    text = " ".join(rule.summary for rule in (rules if isinstance(rules, tuple) else (rules,))).lower()
    missing = [phrase for phrase in phrases if phrase.lower() not in text]
    if missing:
        raise ValueError(f"the rule's summary does not state {', '.join(map(repr, missing))}")


def _ordinal(number: int) -> str:
    """`8th`, `21st`, `12th`: as the Regulations write a day's place in a count."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


class Route(_Data):
    """The rule each step of the reg 6 route cites."""

    framework: Rule
    direct_award_a: Rule
    direct_award_b: Rule
    direct_award_c: Rule
    most_suitable_or_competitive: Rule


class Character(_Data):
    rule: Rule


class ValueLimb(_Data):
    """The considerable change threshold's rise in lifetime value, in pounds."""

    amount: Decimal = Field(gt=0)
    rule: Rule

    @property
    def shown(self) -> str:
        return pounds(self.amount)

    @model_validator(mode="after")
    def _stated(self) -> ValueLimb:
        _states(self.rule, self.shown)
        return self


class PercentLimb(_Data):
    """The considerable change threshold's rise in lifetime value, as a percentage of the existing value."""

    percent: Decimal = Field(gt=0)
    rule: Rule

    @property
    def shown(self) -> str:
        return f"{self.percent.normalize():f}%"

    @property
    def fraction(self) -> Decimal:
        return self.percent / 100

    @model_validator(mode="after")
    def _stated(self) -> PercentLimb:
        _states(self.rule, self.shown)
        return self


class ConsiderableChange(_Data):
    character: Character
    value: ValueLimb
    percent: PercentLimb


class Notice(_Data):
    """A notice the authority publishes: its name in the PSR, who publishes it, its Schedules and deadline."""

    name: str
    processes: tuple[ProcessId, ...] = Field(min_length=1)
    schedules: tuple[int, ...] = ()
    deadline_days: int | None = Field(None, gt=0)
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _stated(self) -> Notice:
        deadline = () if self.deadline_days is None else (f"within {self.deadline_days} days",)
        _states(self.rules, self.name, *(f"Schedule {number}" for number in self.schedules), *deadline)
        return self


class Standstill(_Data):
    """Reg 12: which processes stand still, the working days for representations, and the wait after them."""

    processes: tuple[ProcessId, ...] = Field(min_length=1)
    representation_days: int = Field(gt=0)
    wait_days: int = Field(gt=0)
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _stated(self) -> Standstill:
        _states(
            self.rules, f"{_ordinal(self.representation_days)} working day", f"{self.wait_days} working days"
        )
        return self

    @property
    def working_day_rule(self) -> Rule:
        """The rule that says which days are working days for the PSR."""
        return CALENDARS[REGIMES[REGIME].calendar].rule


class KeyCriteria(_Data):
    rule: Rule
    criteria: tuple[str, ...] = Field(min_length=5, max_length=5)


class PsrTable(_Data):
    rules: dict[str, Rule]
    questions: dict[str, str]
    route: Route
    considerable_change: ConsiderableChange
    notices: dict[str, Notice]
    standstill: Standstill
    key_criteria: KeyCriteria

    @model_validator(mode="before")
    @classmethod
    def _resolve(cls, data: Any) -> Any:
        """Give each rule its key as id and the PSR's dates, and put it wherever a section names it."""
        if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
            return data
        data = copy.deepcopy(data)  # the parsed YAML is cached and shared
        dates = REGIMES[REGIME].rule
        psr = {"regime": REGIME, "applies_from": dates.applies_from, "applies_until": dates.applies_until}
        rules = {
            key: {"id": key, **psr, **body} if isinstance(body, dict) else body
            for key, body in data["rules"].items()
        }
        data["rules"] = rules
        if isinstance(data.get("route"), dict):
            data["route"] = {step: _rule(rules, f"route.{step}", key) for step, key in data["route"].items()}
        for where, entry in _entries(data):
            if "rule" in entry:
                entry["rule"] = _rule(rules, f"{where}.rule", entry["rule"])
            if isinstance(entry.get("rules"), list):
                entry["rules"] = [_rule(rules, f"{where}.rules", key) for key in entry["rules"]]
        return data


def _entries(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The sections that name rules by id (`rule:` or `rules:`), with where each is in the YAML."""
    found = [(key, data.get(key)) for key in ("standstill", "key_criteria")]
    for section in ("considerable_change", "notices"):
        entries = data.get(section)
        if isinstance(entries, dict):
            found += [(f"{section}.{name}", entry) for name, entry in entries.items()]
    return [(where, entry) for where, entry in found if isinstance(entry, dict)]


def _rule(rules: dict[str, Any], where: str, key: Any) -> Any:
    """The rule named `key` at `where`; anything not a string is left for the model to refuse."""
    if isinstance(key, str) and key not in rules:
        raise ValueError(f"{where}: {key!r} is not a rule under `rules`")
    return rules[key] if isinstance(key, str) else key


TABLE = load_table(__package__ or "tools.checklist", "psr.yaml", PsrTable)

RULES: dict[str, Rule] = TABLE.rules
QUESTIONS: dict[str, str] = TABLE.questions
ROUTE: Route = TABLE.route
CONSIDERABLE_CHANGE: ConsiderableChange = TABLE.considerable_change
NOTICES: dict[str, Notice] = TABLE.notices
STANDSTILL: Standstill = TABLE.standstill
KEY_CRITERIA: KeyCriteria = TABLE.key_criteria


def all_rules() -> list[Rule]:
    """Every rule the PSR decision cites: its own, and the working days its standstill counts."""
    return [*RULES.values(), STANDSTILL.working_day_rule]
