"""Which regime or regimes govern a procurement, from its start date, the buyer and the kind of service.

The regimes, their dates and the light touch thresholds are the table in `tools.regimes`; this module adds
who each regime binds (buyers and services), the light touch test on the value, and mixed contracts.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Literal, get_args

from tools.checklist.model import RegimeEntry, RegimeResult
from tools.errors import InputError
from tools.formatting import long_date, parse_date, pounds
from tools.regimes import PA_IN_FORCE, PSR_IN_FORCE, Regime, health_regime, light_touch_threshold
from tools.regimes import public_contracts_regime as _public_regime
from tools.rules import Rule

Buyer = Literal["nhs", "council", "joint"]
Service = Literal["health", "social-care", "other"]
BUYERS: tuple[str, ...] = get_args(Buyer)
SERVICES: tuple[str, ...] = get_args(Service)
LIGHT_TOUCH_SERVICES = ("health", "social-care")
PCCR_IN_FORCE = date(2013, 4, 1)
PCR_IN_FORCE = date(2015, 2, 26)
ONE_DAY = timedelta(days=1)

LA_NOT_BOUND = Rule(
    "pccr2013.local-authorities",
    "Local authorities were not bound by the 2013 regulations; where a council jointly commissioned an "
    "NHS health care service with a relevant body (a CCG or NHS England) it might need to take them into "
    "account.",
    "S.I. 2013/500 (relevant bodies)",
    "DAC Beachcroft, 'Monitor's Substantive Guidance on the PPCC (No.2) Regulations 2013' (6 February 2014)",
    status="confirmed-2nd",
)
PCCR_ANY_VALUE = Rule(
    "pccr2013.value",
    "Unlike PCR 2015, the 2013 regulations applied whatever the contract value.",
    "no value threshold",
    "Local Government Lawyer (R. Auton), 'Procuring health care services for the NHS'",
    status="confirmed-2nd",
)
PSR_SCOPE = Rule(
    "psr2023.scope",
    "The PSR took health care services out of PCR 2015, and they are outside the Procurement Act 2023. "
    "Relevant authorities include NHS England, ICBs, NHS trusts and foundation trusts, and local "
    "authorities. There is no value threshold; scope is set by the CPV codes in Schedule 1.",
    "PSR 2023 reg 2 and Schedule 1",
    "NHS England PSR statutory guidance (April 2025); NHS SBS",
    status="confirmed-2nd",
)
MIXED = Rule(
    "psr2023.mixed",
    "Mixed procurements: the PSR applies where the main subject-matter is relevant health care services and "
    "the authority considers the other goods or services could not reasonably be supplied under a separate "
    "contract. Otherwise the Procurement Act 2023 applies (PCR 2015 for procurements begun before "
    "24 February 2025).",
    "PSR 2023 (mixed procurement)",
    "Bevan Brittan, 'Navigating the puzzle of which procurement regulations apply' (2 June 2025)",
    status="confirmed-2nd",
    applies_from=PSR_IN_FORCE,
)
LIGHT_TOUCH = Rule(
    "light-touch.services",
    "Health, social and other Schedule 3 services are procured under the light touch regime at or above its "
    "threshold (PCR 2015 regs 74 to 76; light touch contracts are kept under the Procurement Act 2023).",
    "PCR 2015 regs 74-76 and Schedule 3; Procurement Act 2023 (light touch contracts)",
    "Ward Hadaway, 'The Light Touch Regime'; Mondaq, Procurement Act 'changing landscape' issue 5",
    status="confirmed-2nd",
)


def check_choice(value: str, allowed: tuple[str, ...], field: str) -> str:
    """`value` when it is one of `allowed`, else an `InputError` naming the field and the choices."""
    if value not in allowed:
        raise InputError(f"{field}: {value!r} is not one of {', '.join(allowed)}; use one of those")
    return value


def which_regime(start: date, buyer: Buyer, service: Service, value: Decimal | None = None) -> RegimeResult:
    """The regime or regimes that govern a procurement, with the reasons and sources.

    Decides between the 2013 regulations with PCR 2015 (NHS health care before 1 January 2024), the
    Provider Selection Regime (health care from 1 January 2024), PCR 2015 (other contracts begun before
    24 February 2025) and the Procurement Act 2023 (from then), and whether the light touch regime applies
    at the value given. Use it before choosing a procurement route or checking a paper against a regime.

    Args:
        start: the date the procurement (the contract award procedure) starts, e.g. 2025-09-03.
        buyer: who buys: "nhs" (ICB, CCG, NHS England, trust), "council", or "joint" (both together).
        service: "health" (health care services), "social-care", or "other" (goods, works, other services).
        value: the estimated contract value in pounds (including VAT from 2022), or null when not known.

    Returns:
        The regimes (id, name, light_touch, reason), the light touch threshold on the date, and notes on
        mixed health and non-health contracts and on who each regime binds.
    """
    day = parse_date(start, field="start")
    check_choice(buyer, BUYERS, "buyer")
    check_choice(service, SERVICES, "service")
    amount = None if value is None else Decimal(str(value))
    if amount is not None and amount < 0:
        raise InputError(f"value: {value} is negative; give the estimated contract value in pounds")
    if day < PCCR_IN_FORCE:
        raise InputError(
            f"start: {long_date(day)} is before 1 April 2013; this check covers procurements from then"
        )
    entries: list[RegimeEntry] = []
    notes: list[str] = []
    if service == "health":
        entries += _health_entries(day, buyer, notes)
    if not (service == "health" and day >= PSR_IN_FORCE):
        public = _public_entry(day, service, amount, notes)
        if public is not None:
            entries.append(public)
        if service != "health":
            notes.append(_not_health_note(service, day))
    if day >= PSR_IN_FORCE:
        notes.append(f"{MIXED.summary} ({MIXED.citation()}; {MIXED.source})")
    result = RegimeResult(start=day, buyer=buyer, service=service, value=amount, regimes=entries, notes=notes)
    return _with_threshold(result, service, amount)


def _entry(
    regime: Regime, reason: str, *, light_touch: bool = False, rule: Rule | None = None
) -> RegimeEntry:
    extra_regulation = f"; {rule.citation()}" if rule else ""
    extra_source = f"; {rule.source}" if rule else ""
    return RegimeEntry(
        id=regime.id,
        name=regime.name,
        light_touch=light_touch,
        reason=reason,
        regulation=regime.rule.citation() + extra_regulation,
        source=regime.rule.source + extra_source,
    )


def _health_entries(day: date, buyer: str, notes: list[str]) -> list[RegimeEntry]:
    regime = health_regime(day)
    if regime.id == "psr2023":
        who = {
            "nhs": "NHS bodies",
            "council": "local authorities",
            "joint": "NHS bodies and local authorities",
        }
        reason = (
            f"Health care services procured from {long_date(PSR_IN_FORCE)} fall under the PSR, which binds "
            f"{who[buyer]}. {PSR_SCOPE.summary}"
        )
        return [_entry(regime, reason, rule=PSR_SCOPE)]
    if buyer == "council":
        notes.append(f"{LA_NOT_BOUND.summary} ({LA_NOT_BOUND.citation()}; {LA_NOT_BOUND.source})")
        return []
    reason = (
        "NHS health care services procured by a CCG or NHS England before 1 January 2024 (procedures begun "
        f"then stay under them). {PCCR_ANY_VALUE.summary}"
    )
    if buyer == "joint":
        reason += f" For the council's side: {LA_NOT_BOUND.summary}"
    return [_entry(regime, reason, rule=PCCR_ANY_VALUE)]


def _public_entry(day: date, service: str, value: Decimal | None, notes: list[str]) -> RegimeEntry | None:
    if day < PCR_IN_FORCE:
        notes.append(
            "The Public Contracts Regulations 2006 governed public contracts begun before 26 February 2015; "
            "they are not covered here."
        )
        return None
    regime = _public_regime(day)
    light_touch = service in LIGHT_TOUCH_SERVICES and _at_or_above_threshold(day, value)
    if regime.id == "pa2023":
        reason = (
            f"Public contracts begun on or after {long_date(PA_IN_FORCE)} fall under the Procurement Act."
        )
    else:
        last_day = long_date(PA_IN_FORCE - ONE_DAY)
        reason = f"Public contracts begun from 26 February 2015 to {last_day} fall under PCR 2015."
    if service in LIGHT_TOUCH_SERVICES:
        reason += f" {LIGHT_TOUCH.summary}"
        return _entry(regime, reason, light_touch=light_touch, rule=LIGHT_TOUCH)
    return _entry(
        regime, reason + " The standard thresholds for goods and services apply (not checked here)."
    )


def _at_or_above_threshold(day: date, value: Decimal | None) -> bool:
    threshold = light_touch_threshold(day)
    return value is None or threshold is None or value >= threshold.amount


def _not_health_note(service: str, day: date) -> str:
    kind = "Social care services are" if service == "social-care" else "Goods, works and other services are"
    if day >= PSR_IN_FORCE:
        return (
            f"{kind} not relevant health care services, so the PSR does not apply ({PSR_SCOPE.citation()})."
        )
    return f"{kind} not NHS health care services, so the 2013 regulations do not apply to them."


def _with_threshold(result: RegimeResult, service: str, value: Decimal | None) -> RegimeResult:
    threshold = light_touch_threshold(result.start)
    public = [entry for entry in result.regimes if entry.id in ("pcr2015", "pa2023")]
    if threshold is None or not public or service not in LIGHT_TOUCH_SERVICES:
        if value is not None and any(entry.id in ("psr2023", "pccr2013") for entry in result.regimes):
            result.threshold_note = "The health care regime applies whatever the value: it has no threshold."
        return result
    vat = "including VAT" if threshold.vat_inclusive else "excluding VAT"
    note = f"{pounds(threshold.amount)} ({vat}) on {long_date(result.start)} ({threshold.rule.citation()})."
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
