"""Every rule the tools apply, in one list an officer or a lawyer can check: `commission rules`.

Each data module named in `RULE_MODULES` exposes `RULES`, a mapping of rule id to `tools.rules.Rule`,
loaded from its YAML table. This module gathers them; it adds no rule of its own.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module

from pydantic import BaseModel, ConfigDict

from tools.errors import InputError
from tools.formatting import long_date
from tools.regimes import REGIMES
from tools.rules import Rule

RULE_MODULES = (
    "tools.regimes",
    "tools.timeline.rules",
    "tools.checklist.regime",
    "tools.checklist.psr_data",
    "tools.checklist.monitor_data",
    "tools.checklist.modification",
)

_STATUS = {
    "confirmed": "confirmed (statute quoted)",
    "confirmed-2nd": "UNCONFIRMED (secondary source)",
    "unconfirmed": "UNCONFIRMED (assumption)",
    "officer": "set by the officer",
}


def every_rule() -> list[Rule]:
    """Every rule of every table, each once, in the tables' order."""
    found: dict[str, Rule] = {}
    for name in RULE_MODULES:
        for rule in import_module(name).RULES.values():
            found.setdefault(rule.id, rule)
    return list(found.values())


def applies(start: date | None, end: date | None) -> str:
    """The dates a rule applies between, in words."""
    if start and end:
        return f"{long_date(start)} to {long_date(end)}"
    if start:
        return f"from {long_date(start)}"
    return f"until {long_date(end)}" if end else "no dates: a practice or planning rule"


class RuleRow(BaseModel):
    """One rule as listed: what it says, the provision, where to check it, how firmly it is known."""

    model_config = ConfigDict(extra="forbid")

    id: str
    regime: str | None
    regulation: str
    summary: str
    source: str
    status: str
    quote: str | None
    applies_from: date | None
    applies_until: date | None


class RuleList(BaseModel):
    """Every rule the tools apply (or those of one regime)."""

    model_config = ConfigDict(extra="forbid")

    regime: str | None
    rules: list[RuleRow]


def rules_markdown(result: RuleList) -> str:
    """The rules as a readable list: each provision, what it says, its status, dates, source and words."""
    regime = REGIMES.get(result.regime) if result.regime else None  # type: ignore[call-overload]
    title = f"Rules: {regime.name}" if regime else "Rules the tools apply"
    lines = [f"# {title}", ""]
    counts = {status: sum(row.status == status for row in result.rules) for status in _STATUS}
    lines.append(
        f"{len(result.rules)} rules: {counts['confirmed']} confirmed from the statute's own words, "
        f"{counts['confirmed-2nd']} from secondary sources and {counts['unconfirmed']} assumptions "
        "(both labelled UNCONFIRMED wherever the tools use them)."
    )
    for row in result.rules:
        lines += ["", f"## {row.regulation}", "", row.summary, ""]
        lines.append(f"- Status: {_STATUS[row.status]}")
        lines.append(f"- Applies: {applies(row.applies_from, row.applies_until)}")
        lines.append(f"- Source: {row.source}")
        if row.quote:
            lines.append(f'- The statute: "{row.quote}"')
        lines.append(f"- Rule id: `{row.id}`")
    return "\n".join(lines)


RENDERERS = {RuleList: {"md": rules_markdown}}


def list_rules(regime: str | None = None) -> RuleList:
    """Every rule the tools apply, with its regulation, source, status and dates; or one regime's rules.

    Args:
        regime: a regime id (pcr2006, pcr2015, pa2023, pccr2013, psr2023) to list only its rules.

    Raises:
        InputError: `regime` is not a regime id.
    """
    if regime is not None and regime not in REGIMES:
        raise InputError(f"--regime: {str(regime)[:40]!r} is not a regime; use one of {', '.join(REGIMES)}")
    rules = [rule for rule in every_rule() if regime is None or rule.regime == regime]
    return RuleList(
        regime=regime,
        rules=[RuleRow.model_validate(rule.model_dump()) for rule in rules],
    )
