"""Rounded money in results: a `Decimal` that is a number in JSON, and amounts as sentences write them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer

from tools.envelope.rounding import round_half_up
from tools.formatting import pounds

POUNDS = {"£": Decimal(1), "£000": Decimal(1000), "£m": Decimal(1_000_000)}
"""How many pounds one of each unit is."""


def _number(value: Decimal) -> int | float:
    # A rounded Decimal's shortest float repr is its own digits, so 1211.23 stays 1211.23 in JSON.
    return int(value) if value == value.to_integral_value() else float(value)


Money = Annotated[Decimal, PlainSerializer(_number, return_type=int | float, when_used="json")]
"""A rounded amount: exact `Decimal` in Python, a number in JSON."""


def figure(value: Decimal | None, places: int) -> str:
    """`20,567` in a table whose heading states the unit; blank for no value."""
    if value is None:
        return ""
    return f"{round_half_up(value, places):,.{places}f}"


def in_words(value: Decimal, unit: str, places: int = 0) -> str:
    """`£1,234` (unit £), `£1,234k` (unit £000) or `£592.2m` (unit £m), for sentences.

    Rounded half up to at most `places` decimals, and no more decimals than the amount needs.
    """
    rounded = round_half_up(Decimal(value), places).normalize()
    places = max(0, -int(rounded.as_tuple().exponent))
    if unit == "£":
        places = 2 if places else 0  # pence come in pairs
        return pounds(value, places=places)
    suffix = "k" if unit == "£000" else "m"
    return f"{pounds(value, places=places)}{suffix}"
