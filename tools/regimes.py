"""The procurement regimes, the dates they govern, their working-day calendars and the light touch thresholds.

The table is `regimes.yaml` beside this module; this module validates it once and answers questions of
it. Which regime governs is decided by the date the procurement starts, within a family:
- `health` (NHS health care services): the 2013 regulations (PCCR), then the Provider Selection Regime;
- `public` (other public contracts): PCR 2006, PCR 2015, then the Procurement Act 2023.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.rules import Rule, load_table
from tools.workdays import Calendar

RegimeId = Literal["pcr2006", "pccr2013", "pcr2015", "psr2023", "pa2023"]
Family = Literal["health", "public"]


def _with_ids(entries: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Each entry's inline `rule` given the id `prefix.key`, so the YAML need not repeat it."""
    for key, entry in entries.items():
        if isinstance(entry, dict) and isinstance(entry.get("rule"), dict):
            entry["rule"] = {"id": f"{prefix}.{key}", **entry["rule"]}
    return entries


class CalendarEntry(BaseModel):
    """A working-day calendar: which parts of the UK's bank holidays it skips, and the rule that says so."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    subdivisions: tuple[Literal["ENG", "WLS", "SCT", "NIR"], ...] = Field(min_length=1)
    rule: Rule

    @cached_property
    def days(self) -> Calendar:
        return Calendar(self.subdivisions)


class Regime(BaseModel):
    """One regime: its names, family, calendar, predecessor, and the rule that gives its dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: RegimeId
    name: str
    short: str
    family: Family
    calendar: str
    succeeds: RegimeId | None = None
    rule: Rule

    @property
    def days(self) -> Calendar:
        """The working days this regime counts by."""
        return CALENDARS[self.calendar].days


class Threshold(BaseModel):
    """A threshold amount in pounds and the dates it applied between (in its rule)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Decimal = Field(gt=0)
    vat_inclusive: bool
    rule: Rule


class RegimeTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    calendars: dict[str, CalendarEntry]
    regimes: dict[RegimeId, Regime]
    thresholds: dict[Literal["light-touch"], tuple[Threshold, ...]]

    @model_validator(mode="before")
    @classmethod
    def _ids(cls, data: dict[str, Any]) -> dict[str, Any]:
        _with_ids(data.get("calendars", {}), "calendar")
        for key, entry in data.get("regimes", {}).items():
            if isinstance(entry, dict):
                entry.setdefault("id", key)
        _with_ids(data.get("regimes", {}), "regime")
        for key, entry in data.get("regimes", {}).items():
            if isinstance(entry, dict) and isinstance(entry.get("rule"), dict):
                entry["rule"].setdefault("regime", key)
        for name, items in data.get("thresholds", {}).items():
            for number, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict) and isinstance(item.get("rule"), dict):
                    item["rule"] = {"id": f"threshold.{name}.{number + 1}", **item["rule"]}
        return data

    @model_validator(mode="after")
    def _references(self) -> RegimeTable:
        for key, regime in self.regimes.items():
            if regime.id != key:
                raise ValueError(f"regimes.{key}: id {regime.id!r} differs from its key")
            if regime.calendar not in self.calendars:
                raise ValueError(f"regimes.{key}.calendar: {regime.calendar!r} is not a calendar")
            if regime.succeeds and regime.succeeds not in self.regimes:
                raise ValueError(f"regimes.{key}.succeeds: {regime.succeeds!r} is not a regime")
        return self


_TABLE = load_table(__package__ or "tools", "regimes.yaml", RegimeTable)

CALENDARS: dict[str, CalendarEntry] = _TABLE.calendars
REGIMES: dict[RegimeId, Regime] = _TABLE.regimes
LIGHT_TOUCH_THRESHOLDS: tuple[Threshold, ...] = _TABLE.thresholds["light-touch"]


def _in_force(regime: RegimeId) -> date:
    start = REGIMES[regime].rule.applies_from
    assert start is not None, f"{regime} has no start date"
    return start


PSR_IN_FORCE = _in_force("psr2023")
PA_IN_FORCE = _in_force("pa2023")
PCR_IN_FORCE = _in_force("pcr2015")
PCCR_IN_FORCE = _in_force("pccr2013")


def regime_for(family: Family, start: date) -> Regime:
    """The regime of `family` governing a procurement begun on `start` (the earliest one before any)."""
    members = sorted(
        (regime for regime in REGIMES.values() if regime.family == family),
        key=lambda regime: regime.rule.applies_from or date.min,
    )
    return next((regime for regime in reversed(members) if regime.rule.applies_on(start)), members[0])


def health_regime(start: date) -> Regime:
    """The regime for NHS health care services whose procurement starts on `start`."""
    return regime_for("health", start)


def public_contracts_regime(start: date) -> Regime:
    """The general public-contracts regime for a procurement that starts on `start`."""
    return regime_for("public", start)


def light_touch_threshold(start: date) -> Threshold | None:
    """The light touch threshold in force on `start`, or None before PCR 2015."""
    return next((item for item in LIGHT_TOUCH_THRESHOLDS if item.rule.applies_on(start)), None)


def all_rules() -> list[Rule]:
    """Every rule in this table: calendars, regimes and thresholds."""
    return [
        *(entry.rule for entry in CALENDARS.values()),
        *(regime.rule for regime in REGIMES.values()),
        *(threshold.rule for threshold in LIGHT_TOUCH_THRESHOLDS),
    ]


RULES: dict[str, Rule] = {rule.id: rule for rule in all_rules()}
