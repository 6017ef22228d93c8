"""The one rounding rule: half up to a stated number of places, with lines that add to the rounded total.

Money shown to people (tables and sentences in papers, the statement of intent, every export) is rounded to
`display_places`: whole units of £ and £000, tenths of £m, with the unit in the table's heading. JSON keeps
the figures to 2 places.

Each line is rounded down, and the units still needed to reach the rounded total go, one each, to the lines
with the largest remainders (the largest-remainder, or Hamilton, method). Every line stays within one unit
of its exact value, and the printed lines add to the printed total.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cache


@cache
def step(places: int) -> Decimal:
    """The smallest printed amount: `Decimal("0.01")` for two places."""
    return Decimal(1).scaleb(-places)


def display_places(unit: str) -> int:
    """Places for money people read: whole units, except tenths for £m as papers print them (£96.4m)."""
    return 1 if unit == "£m" else 0


def round_half_up(value: Decimal, places: int) -> Decimal:
    """`value` rounded half up (away from zero at .5) to `places` decimals."""
    return value.quantize(step(places), rounding=ROUND_HALF_UP)


def allocate(values: Sequence[Decimal], places: int, *, total: Decimal | None = None) -> list[Decimal]:
    """`values` rounded so that they add to `total` (by default, their exact sum rounded half up).

    Args:
        values: the exact amounts.
        places: decimal places to round to.
        total: the rounded total the lines must add to; it must lie within a unit per line of their sum.
    """
    unit = step(places)
    target = round_half_up(sum(values, Decimal(0)), places) if total is None else total
    floors = [value.quantize(unit, rounding=ROUND_FLOOR) for value in values]
    missing = int((target - sum(floors, Decimal(0))) / unit)
    # Largest remainder first; ties go to the earlier line so the result does not depend on luck.
    order = sorted(range(len(values)), key=lambda index: (-(values[index] - floors[index]), index))
    for index in order[:missing]:
        floors[index] += unit
    return floors


def adjustment(values: Sequence[Decimal], places: int) -> Decimal:
    """How far the lines rounded one by one would miss their rounded total (what `allocate` puts right)."""
    one_by_one = sum((round_half_up(value, places) for value in values), Decimal(0))
    return round_half_up(sum(values, Decimal(0)), places) - one_by_one


def rule(unit: str, places: int) -> str:
    """The rounding rule in words, for the foot of a table."""
    if unit == "£" and places in (0, 2):
        precision = "the nearest pound" if places == 0 else "the nearest penny"
    elif places == 0:
        precision = f"the nearest {unit}"
    else:
        smallest = Decimal({"£000": 1000, "£m": 1_000_000}.get(unit, 1)).scaleb(-places)
        nearest = {Decimal("0.01"): "penny", Decimal("0.1"): "10p"}.get(smallest, f"£{smallest:,.0f}")
        precision = f"{places} decimal place{'s' if places > 1 else ''} of {unit} (the nearest {nearest})"
    return (
        f"Amounts are calculated exactly and rounded half up to {precision}; lines are rounded by the "
        "largest-remainder method so that they add to the rounded total, each within one unit of its exact "
        "value."
    )
