"""Which regime or regimes govern a procurement, from its start date, the buyer and the kind of service.

The regimes, their dates and the light touch thresholds are the table in `tools.regimes`; who each regime
binds, the transitional rules and what the light touch regimes ask are the rules in `regime.yaml` beside
this module. This module only decides which of them apply and says why.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, model_validator

from tools.checklist.model import RegimeEntry, RegimeResult
from tools.errors import InputError
from tools.formatting import long_date, pounds
from tools.regimes import (
    PA_IN_FORCE,
    PCCR_IN_FORCE,
    PCR_IN_FORCE,
    PSR_IN_FORCE,
    REGIMES,
    Regime,
    health_regime,
    light_touch_threshold,
    public_contracts_regime,
)
from tools.rules import Rule, load_table
from tools.types import IsoDate, Pounds, parse_date, parse_pounds, shown

Buyer = Literal["nhs", "nhs-trust", "council", "joint"]
Service = Literal["health", "social-care", "other"]
BUYERS: tuple[str, ...] = get_args(Buyer)
SERVICES: tuple[str, ...] = get_args(Service)
LIGHT_TOUCH_SERVICES = ("health", "social-care")
# Buyers that are, or include, a relevant body of the 2013 regulations (a CCG or ICB, or NHS England).
RELEVANT_BODY_BUYERS = ("nhs", "joint")
ONE_DAY = timedelta(days=1)


class RuleTable(BaseModel):
    """A file of rules keyed by id; the id's first part (`pcr2015.light-touch`) is the rule's regime."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: dict[str, Rule]

    @model_validator(mode="before")
    @classmethod
    def _ids(cls, data: Any) -> Any:
        if not (isinstance(data, dict) and isinstance(data.get("rules"), dict)):
            return data
        rules = {
            key: {"id": key, "regime": key.split(".")[0], **value} if isinstance(value, dict) else value
            for key, value in data["rules"].items()
        }
        return {**data, "rules": rules}


RULES: dict[str, Rule] = load_table(__package__ or "tools.checklist", "regime.yaml", RuleTable).rules

RELEVANT_BODIES = RULES["pccr2013.relevant-bodies"]
ICBS = RULES["pccr2013.icbs"]
LA_NOT_BOUND = RULES["pccr2013.local-authorities"]
PCCR_ANY_VALUE = RULES["pccr2013.value"]
PART_B_SERVICES = RULES["pcr2006.part-b-services"]
PART_B = RULES["pcr2006.part-b"]
NHS_EXEMPTION = RULES["pcr2015.nhs-exemption"]
NHS_UNDER_2006 = RULES["pcr2006.nhs-health-care"]
LIGHT_TOUCH = RULES["pcr2015.light-touch"]
LIGHT_TOUCH_ADVERTISING = RULES["pcr2015.light-touch-advertising"]
NHS_TRUSTS = RULES["pcr2015.nhs-trusts"]
CALL_OFFS = RULES["pa2023.framework-call-offs"]
ACT_LIGHT_TOUCH = (
    RULES["pa2023.light-touch"],
    RULES["pa2023.light-touch-award-notice"],
    RULES["pa2023.light-touch-changes"],
)
PSR_SCOPE = RULES["psr2023.scope"]
MIXED = RULES["psr2023.mixed"]


def cited(rule: Rule) -> str:
    """The rule's summary followed by its citation and source, as a note prints it."""
    return f"{rule.summary} ({rule.citation()}; {rule.source})"


def check_choice(value: str, allowed: tuple[str, ...], field: str) -> str:
    """`value` when it is one of `allowed`, else an `InputError` naming the field and the choices."""
    if value not in allowed:
        raise InputError(f"{field}: {shown(value)} is not one of {', '.join(allowed)}; use one of those")
    return value


def which_regime(
    start: IsoDate,
    buyer: Buyer,
    service: Service,
    value: Pounds | None = None,
    *,
    framework_awarded: IsoDate | None = None,
) -> RegimeResult:
    """Which procurement regime governs a contract, by buyer, service and start date.

    Use it before choosing a procurement route or checking a paper against a regime: it decides between
    the 2013 NHS regulations, the Provider Selection Regime, PCR 2015 (or 2006) and the Procurement Act
    2023, and whether the light touch regime applies at the value given.

    Args:
        start: when the procurement (or call-off) starts.
        buyer: nhs: an ICB, CCG or NHS England; nhs-trust: an NHS trust or foundation trust; joint: nhs
            with a council.
        service: health: health care services.
        value: estimated value, £ (with VAT from 2022).
        framework_awarded: for a call-off, when its framework was awarded.

    Returns:
        The regimes (id, name, light_touch, reason, regulation, source), the light touch threshold on the
        date, and notes on mixed health and non-health contracts and on who each regime binds.
    """
    day = parse_date(start, field="start")
    check_choice(buyer, BUYERS, "buyer")
    check_choice(service, SERVICES, "service")
    amount = _amount(value)
    framework = _framework_date(framework_awarded, day)
    if day < PCCR_IN_FORCE:
        raise InputError(
            f"start: {long_date(day)} is before {long_date(PCCR_IN_FORCE)}; this check covers procurements "
            "from then"
        )
    entries: list[RegimeEntry] = []
    notes: list[str] = []
    basis = day
    if service == "health":
        entries += _health_entries(day, buyer, notes)
    if service == "health" and day >= PSR_IN_FORCE:
        if framework is not None and framework < PSR_IN_FORCE:
            notes.append(
                "Whether a call-off from a framework awarded before the PSR stays under the earlier rules is "
                "not decided here; check the PSR's transitional provisions."
            )
    else:
        regime, basis = _public_regime(day, buyer, service, framework, notes)
        entries.append(_public_entry(regime, day, buyer, service, amount, basis))
        if service != "health":
            notes.append(_not_health_note(service, day))
    if MIXED.applies_on(day):
        notes.append(cited(MIXED))
    result = RegimeResult(
        start=day,
        buyer=buyer,
        service=service,
        value=amount,
        framework_awarded=framework,
        regimes=entries,
        notes=notes,
    )
    return _with_threshold(result, service, amount, basis)


def _amount(value: Decimal | None) -> Decimal | None:
    return None if value is None else parse_pounds(value, field="value")


def _framework_date(framework_awarded: date | str | None, day: date) -> date | None:
    if framework_awarded is None:
        return None
    awarded = parse_date(framework_awarded, field="framework_awarded")
    if awarded > day:
        raise InputError(
            f"framework_awarded: {long_date(awarded)} is after the call-off's start, {long_date(day)}; a "
            "call-off starts after its framework is awarded"
        )
    return awarded


def _entry(regime: Regime, reason: str, rules: list[Rule], *, light_touch: bool = False) -> RegimeEntry:
    sources = list(dict.fromkeys([regime.rule.source, *(rule.source for rule in rules)]))
    return RegimeEntry(
        id=regime.id,
        name=regime.name,
        light_touch=light_touch,
        reason=reason,
        regulation="; ".join([regime.rule.citation(), *(rule.citation() for rule in rules)]),
        source="; ".join(sources),
    )


def _health_entries(day: date, buyer: str, notes: list[str]) -> list[RegimeEntry]:
    regime = health_regime(day)
    if regime.id == "psr2023":
        who = {
            "nhs": "NHS England and ICBs",
            "nhs-trust": "NHS trusts and foundation trusts",
            "council": "local authorities",
            "joint": "NHS bodies and local authorities",
        }
        reason = (
            f"Health care services procured from {long_date(PSR_IN_FORCE)} fall under the PSR, which binds "
            f"{who[buyer]}. {PSR_SCOPE.summary}"
        )
        return [_entry(regime, reason, [PSR_SCOPE])]
    if buyer == "council":
        notes.append(cited(LA_NOT_BOUND))
        return []
    if buyer == "nhs-trust":
        notes.append(cited(RELEVANT_BODIES))
        return []
    rules = [RELEVANT_BODIES, *([ICBS] if ICBS.applies_on(day) else []), PCCR_ANY_VALUE]
    reason = (
        "NHS health care services procured by a relevant body, in procedures begun before "
        f"{long_date(PSR_IN_FORCE)}. {' '.join(rule.summary for rule in rules)}"
    )
    if buyer == "joint":
        reason += f" For the council's side: {LA_NOT_BOUND.summary}"
        rules.append(LA_NOT_BOUND)
    return [_entry(regime, reason, rules)]


def _public_regime(
    day: date, buyer: str, service: str, framework: date | None, notes: list[str]
) -> tuple[Regime, date]:
    """The public contracts regime, and the date whose threshold applies (a call-off's: its framework's)."""
    regime = public_contracts_regime(day)
    if service == "health" and buyer in RELEVANT_BODY_BUYERS and NHS_EXEMPTION.applies_on(day):
        return REGIMES["pcr2006"], day
    if framework is None:
        return regime, day
    awarded_under = public_contracts_regime(framework)
    if awarded_under.id == "pcr2015" and regime.id == "pa2023":
        return awarded_under, framework
    if awarded_under.id != regime.id:
        notes.append(
            f"A call-off from a framework awarded under the {awarded_under.name} is not decided here; check "
            "the transitional provisions of the regulations that replaced them."
        )
    return regime, day


def _public_entry(
    regime: Regime, day: date, buyer: str, service: str, value: Decimal | None, basis: date
) -> RegimeEntry:
    if regime.id == "pcr2006":
        return _pcr2006_entry(regime, day, buyer, service)
    if regime.id == "pa2023":
        reason = f"Public contracts begun on or after {long_date(PA_IN_FORCE)} fall under the {regime.short}."
        rules: list[Rule] = []
        light_rules: tuple[Rule, ...] = ACT_LIGHT_TOUCH
    else:
        reason, rules = _pcr2015_reason(regime, day, buyer, service, basis)
        light_rules = (LIGHT_TOUCH, LIGHT_TOUCH_ADVERTISING)
    if buyer == "nhs-trust":
        reason += f" {NHS_TRUSTS.summary}"
        rules.append(NHS_TRUSTS)
    if service not in LIGHT_TOUCH_SERVICES:
        reason += " The standard thresholds for goods, works and services apply (not checked here)."
        return _entry(regime, reason, rules)
    reason += " " + " ".join(rule.summary for rule in light_rules)
    light_touch = _at_or_above_threshold(basis, value)
    return _entry(regime, reason, [*rules, *light_rules], light_touch=light_touch)


def _pcr2015_reason(
    regime: Regime, day: date, buyer: str, service: str, basis: date
) -> tuple[str, list[Rule]]:
    if basis != day:
        return f"{CALL_OFFS.summary} The framework was awarded on {long_date(basis)}.", [CALL_OFFS]
    last_day = long_date(PA_IN_FORCE - ONE_DAY)
    reason = f"Public contracts begun from {long_date(PCR_IN_FORCE)} to {last_day} fall under {regime.short}."
    exemption_end = NHS_EXEMPTION.applies_until
    if service == "health" and buyer in RELEVANT_BODY_BUYERS and exemption_end and day > exemption_end:
        reason += (
            f" Procedures for NHS health care begun before {long_date(exemption_end + ONE_DAY)} were exempt; "
            f"from then {regime.short} applied alongside the 2013 regulations."
        )
        return reason, [NHS_EXEMPTION]
    return reason, []


def _pcr2006_entry(regime: Regime, day: date, buyer: str, service: str) -> RegimeEntry:
    if service == "health" and buyer in RELEVANT_BODY_BUYERS and NHS_EXEMPTION.applies_on(day):
        rules = [NHS_EXEMPTION, NHS_UNDER_2006, PART_B]
        return _entry(regime, " ".join(rule.summary for rule in rules), rules)
    reason = f"Public contracts begun before {long_date(PCR_IN_FORCE)} fall under the {regime.name}."
    if service not in LIGHT_TOUCH_SERVICES:
        reason += " The standard thresholds for goods, works and services apply (not checked here)."
        return _entry(regime, reason, [])
    rules = [PART_B_SERVICES, PART_B]
    return _entry(regime, f"{reason} {' '.join(rule.summary for rule in rules)}", rules)


def _at_or_above_threshold(day: date, value: Decimal | None) -> bool:
    threshold = light_touch_threshold(day)
    return value is None or threshold is None or value >= threshold.amount


def _not_health_note(service: str, day: date) -> str:
    kind = "Social care services are" if service == "social-care" else "Goods, works and other services are"
    if day >= PSR_IN_FORCE:
        return f"{kind} not relevant health care services, the PSR does not apply ({PSR_SCOPE.citation()})."
    return f"{kind} not NHS health care services, so the 2013 regulations do not apply to them."


def _with_threshold(result: RegimeResult, service: str, value: Decimal | None, basis: date) -> RegimeResult:
    threshold = light_touch_threshold(basis)
    public = [entry for entry in result.regimes if entry.id in ("pcr2015", "pa2023")]
    if threshold is None or not public or service not in LIGHT_TOUCH_SERVICES:
        if value is not None and any(entry.id in ("psr2023", "pccr2013") for entry in result.regimes):
            result.threshold_note = "The health care regime applies whatever the value: it has no threshold."
        return result
    vat = "including VAT" if threshold.vat_inclusive else "excluding VAT"
    when = long_date(basis) + (" (the date the framework was awarded)" if basis != result.start else "")
    note = f"{pounds(threshold.amount)} ({vat}) on {when} ({threshold.rule.citation()})."
    if value is None:
        note += " Give the value to check whether the light touch regime applies."
    elif value >= threshold.amount:
        note += f" The value {pounds(value)} is at or above it, so the light touch regime applies."
    else:
        note += (
            f" The value {pounds(value)} is below it, so the light touch regime's rules do not apply; the "
            "organisation's own contract procedure rules set the route."
        )
    result.light_touch_threshold = threshold.amount
    result.threshold_note = note
    return result
