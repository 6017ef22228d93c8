"""Other tools' figures as the statement prints them: money in the envelope's unit, regimes by name.

Every figure is carried through exactly: no rounding beyond the places the envelope gives, no totalling.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tools.checklist import which_regime
from tools.checklist.regime import Buyer, Service
from tools.errors import InputError
from tools.formatting import pounds
from tools.intent.inputs import EnvelopeYear
from tools.regimes import REGIMES

UNITS = {
    "£": ("pounds", ""),
    "£000": ("thousands of pounds (£000)", "k"),
    "£m": ("millions of pounds (£m)", "m"),
}


def money(amount: Decimal, unit: str) -> str:
    """The amount exactly as given, in the envelope's unit: `£1,234.50`, `£20,567k`, `£96.4m`."""
    exponent = amount.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    places = 2 if unit != "£m" and decimals == 1 else decimals  # pence and £10s: two places, as data has
    return pounds(amount, places=places) + UNITS[unit][1]


def envelope_rows(years: list[EnvelopeYear], unit: str) -> list[list[str]]:
    """One row per measure, one column per year; a blank cell where a year does not have the line."""
    by_label: dict[str, dict[str, Decimal]] = {}
    for y in years:
        lines = [("Total", y.total), ("Provider envelope", y.provider_envelope)]
        lines.append(("Retained by commissioners", y.retained))
        lines += [(f"Commissioner: {name}", amount) for name, amount in y.by_commissioner.items()]
        lines += [(f"Category: {name}", amount) for name, amount in y.by_category.items()]
        lines += [(f"Ring-fence: {fence.name}", fence.amount) for fence in y.ring_fences]
        for label, amount in lines:
            by_label.setdefault(label, {})[y.year] = amount
    return [
        [label, *(money(amounts[y.year], unit) if y.year in amounts else "" for y in years)]
        for label, amounts in by_label.items()
    ]


def regime_sentences(start: date, buyer: Buyer, service: Service) -> list[str]:
    """Each regime the regime check finds on the date, with its regulation and reason; [] if it cannot say."""
    try:
        found = which_regime(start, buyer, service).regimes
    except InputError:  # a date before the regimes the check knows: a gap, not a failed draft
        return []
    return [f"{entry.name} ({entry.regulation}): {entry.reason}" for entry in found]


def regime_name(regime: str) -> str:
    """The regime's full name for a regime id the timeline tool gives (`psr2023`); other text as given."""
    return next((known.name for known in REGIMES.values() if known.id == regime), regime)
