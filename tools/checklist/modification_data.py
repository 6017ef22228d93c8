"""The contract modification rules as data: `modification.yaml` validated once, at import.

Each entry of the YAML is a rule (`tools.rules.Rule`) and the figures it sets; the models here name every
entry the check uses, so a missing, misspelt or surplus key fails at import, naming the file and the key.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.regimes import REGIMES, RegimeId
from tools.rules import Rule, load_table

ModificationRegime = Literal["psr2023", "pa2023", "pcr2015"]
MODIFICATION_REGIMES: tuple[str, ...] = get_args(ModificationRegime)


class Entry(BaseModel):
    """A rule of `modification.yaml` that sets no figure."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Rule


class Limit(Entry):
    """A rule and its limit as a share of the value or term before the change (0.25 is 25%)."""

    share: Decimal = Field(gt=0, le=1)
    works_share: Decimal | None = Field(None, gt=0, le=1)

    def for_contract(self, works: bool) -> Decimal:
        """The share for a works contract (where it differs) or for goods and services."""
        return self.works_share if works and self.works_share is not None else self.share


class ValueLimit(Limit):
    """A limit in pounds as well as a share."""

    amount: Decimal = Field(gt=0)


class Notice(Entry):
    """A notice a rule requires, and the size of change from which it does (where it has one)."""

    notice: str = Field(min_length=1)
    amount: Decimal | None = Field(None, gt=0)


class AmountNotice(Notice):
    amount: Decimal = Field(gt=0)


class PsrRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value_ground: ValueLimit
    other_grounds: Entry
    direct_award_ab: Entry
    notice: AmountNotice
    either_way: Entry
    term: Entry


class PaRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    grounds: Entry
    light_touch: Entry
    light_touch_notice: Entry
    substantial_term: Limit
    below_threshold: Limit
    unforeseeable: Limit
    provided_or_urgent: Entry
    notice: Notice
    notice_code: Notice
    value_exemption: Limit
    term_exemption: Limit
    both_limbs: Entry
    splitting: Entry


class PcrRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    de_minimis: Limit
    additional_or_unforeseen: Limit
    notice: Notice
    other_grounds: Entry
    light_touch_threshold: Entry


class ModificationTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    psr2023: PsrRules
    pa2023: PaRules
    pcr2015: PcrRules

    @model_validator(mode="before")
    @classmethod
    def _ids(cls, data: Any) -> Any:
        """Each rule given the id `modification.<regime>.<key>`, its regime and the regime's dates.

        `data` is left unchanged: the parsed YAML is cached and shared.
        """
        if not isinstance(data, dict):
            return data
        return {
            regime: {key: _with_id(entry, regime, key) for key, entry in entries.items()}
            if isinstance(entries, dict) and regime in REGIMES
            else entries
            for regime, entries in data.items()
        }


def _with_id(entry: Any, regime: RegimeId, key: str) -> Any:
    if not (isinstance(entry, dict) and isinstance(entry.get("rule"), dict)):
        return entry
    dates = REGIMES[regime].rule
    given = {"regime": regime, "applies_from": dates.applies_from, "applies_until": dates.applies_until}
    return {**entry, "rule": {"id": f"modification.{regime}.{key}", **given, **entry["rule"]}}


TABLE = load_table(__package__ or "tools.checklist", "modification.yaml", ModificationTable)

RULES: dict[str, Rule] = {
    entry.rule.id: entry.rule
    for regime in (TABLE.psr2023, TABLE.pa2023, TABLE.pcr2015)
    for entry in dict(regime).values()
}
"""Every rule of the table by id, for `commission rules` (`tools.ruleset`)."""
