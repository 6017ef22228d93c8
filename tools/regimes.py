"""The procurement regimes, the dates they govern, and the light touch thresholds, as sourced data.

Which regime governs is decided by the date the procurement starts:
- NHS health care services: the 2013 regulations (PCCR) before 1 January 2024, the Provider Selection
  Regime (PSR) from then;
- other public contracts: the Public Contracts Regulations 2015 (PCR) before 24 February 2025, the
  Procurement Act 2023 (PA) from then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from tools.rules import Rule

RegimeId = Literal["pccr2013", "pcr2015", "psr2023", "pa2023"]


@dataclass(frozen=True)
class Regime:
    id: RegimeId
    name: str
    short: str
    rule: Rule


REGIMES: dict[RegimeId, Regime] = {
    "pccr2013": Regime(
        "pccr2013",
        "National Health Service (Procurement, Patient Choice and Competition) (No. 2) Regulations 2013",
        "2013 regulations (PCCR)",
        Rule(
            "regime.pccr2013",
            "NHS health care services procured by a CCG/ICB or NHS England; saved for procedures begun "
            "before "
            "1 January 2024.",
            "S.I. 2013/500; saved by S.I. 2023/1431 reg 5(2)",
            "https://legislation.gov.uk/uksi/2023/1431/regulation/5/made",
            applies_from=date(2013, 4, 1),
            applies_until=date(2023, 12, 31),
        ),
    ),
    "pcr2015": Regime(
        "pcr2015",
        "Public Contracts Regulations 2015",
        "PCR 2015",
        Rule(
            "regime.pcr2015",
            "Public contracts for goods, works and services begun from 26 February 2015 and before "
            "24 February 2025.",
            "S.I. 2015/102",
            "Procurement Portal, 'Do the 2015 Regulations apply?'",
            status="confirmed-2nd",
            applies_from=date(2015, 2, 26),
            applies_until=date(2025, 2, 23),
        ),
    ),
    "psr2023": Regime(
        "psr2023",
        "Health Care Services (Provider Selection Regime) Regulations 2023",
        "Provider Selection Regime (PSR)",
        Rule(
            "regime.psr2023",
            "Relevant health care services procured by NHS bodies and local authorities from 1 January 2024.",
            "S.I. 2023/1348",
            "https://www.legislation.gov.uk/uksi/2023/1348/contents/made",
            applies_from=date(2024, 1, 1),
        ),
    ),
    "pa2023": Regime(
        "pa2023",
        "Procurement Act 2023",
        "Procurement Act 2023",
        Rule(
            "regime.pa2023",
            "Public contracts other than PSR health care services, for procurements begun on or after "
            "24 February 2025.",
            "Procurement Act 2023 (c. 54)",
            "https://www.legislation.gov.uk/ukpga/2023/54/enacted",
            applies_from=date(2025, 2, 24),
        ),
    ),
}

PSR_IN_FORCE = date(2024, 1, 1)
PA_IN_FORCE = date(2025, 2, 24)


def health_regime(start: date) -> Regime:
    """The regime for NHS health care services whose procurement starts on `start`."""
    return REGIMES["psr2023"] if start >= PSR_IN_FORCE else REGIMES["pccr2013"]


def public_contracts_regime(start: date) -> Regime:
    """The general public-contracts regime for a procurement that starts on `start`."""
    return REGIMES["pa2023"] if start >= PA_IN_FORCE else REGIMES["pcr2015"]


@dataclass(frozen=True)
class Threshold:
    amount: Decimal
    vat_inclusive: bool
    rule: Rule


# The light touch regime threshold (social, health and other Schedule 3 services), by the date it applied.
LIGHT_TOUCH_THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(
        Decimal("625050"),
        False,
        Rule(
            "threshold.ltr.2015",
            "Light touch threshold as PCR 2015 was made: EUR 750,000 = £625,050.",
            "PCR 2015 reg 5(1)(d)",
            "Ward Hadaway, 'The Light Touch Regime'; Anthony Collins (January 2016 table)",
            status="confirmed-2nd",
            applies_from=date(2015, 2, 26),
            applies_until=date(2015, 12, 31),
        ),
    ),
    Threshold(
        Decimal("589148"),
        False,
        Rule(
            "threshold.ltr.2016",
            "Light touch threshold from 1 January 2016: £589,148.",
            "PCR 2015 reg 5(1)(d)",
            "Anthony Collins; The CPC (1 December 2015)",
            status="confirmed-2nd",
            applies_from=date(2016, 1, 1),
            applies_until=date(2017, 12, 31),
        ),
    ),
    Threshold(
        Decimal("615278"),
        False,
        Rule(
            "threshold.ltr.2018",
            "Light touch threshold from 1 January 2018: £615,278.",
            "PCR 2015 reg 5(1)(d)",
            "not found in a source",
            status="unconfirmed",
            applies_from=date(2018, 1, 1),
            applies_until=date(2019, 12, 31),
        ),
    ),
    Threshold(
        Decimal("663540"),
        False,
        Rule(
            "threshold.ltr.2020",
            "Light touch threshold £663,540 (the year it took effect, believed 1 January 2020, "
            "is not confirmed).",
            "PCR 2015 reg 5(1)(d)",
            "Sharpe Pritchard; Blake Morgan (PPN 11/23 tables)",
            status="unconfirmed",
            applies_from=date(2020, 1, 1),
            applies_until=date(2021, 12, 31),
        ),
    ),
    Threshold(
        Decimal("663540"),
        True,
        Rule(
            "threshold.ltr.2022",
            "Light touch threshold £663,540 including VAT (thresholds VAT-inclusive from 1 January 2022; "
            "unchanged on 1 January 2024 and under the Procurement Act 2023, including from 1 January 2026).",
            "PCR 2015 reg 5 as amended by S.I. 2021/1221; Procurement Act 2023 Sch 1",
            "https://legislation.gov.uk/uksi/2021/1221/regulation/3/made; PPN 11/23; S.I. 2025/1200",
            applies_from=date(2022, 1, 1),
        ),
    ),
)


def light_touch_threshold(start: date) -> Threshold | None:
    """The light touch threshold in force on `start`, or None before PCR 2015."""
    for threshold in LIGHT_TOUCH_THRESHOLDS:
        if threshold.rule.applies_on(start):
            return threshold
    return None
