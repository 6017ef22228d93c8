"""How officers expect to read money, dates and financial years (reading them in is `tools.types`).

Money in pounds with thousands separators (`£1,234,567`), dates as `3 September 2025`,
financial years (1 April to 31 March) as `2025/26`.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def pounds(amount: Decimal | int | float, *, places: int = 0) -> str:
    """`£1,234,567` (or `-£1,234` for a negative amount), rounded half up to `places` decimals."""
    value = Decimal(str(amount)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.{places}f}"


def long_date(day: date) -> str:
    """`3 September 2025`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def financial_year_start(day: date) -> int:
    """The calendar year in which the financial year containing `day` starts (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year(day_or_start_year: date | int) -> str:
    """`2025/26` for any date from 1 April 2025 to 31 March 2026, or for the start year 2025."""
    start = (
        day_or_start_year if isinstance(day_or_start_year, int) else financial_year_start(day_or_start_year)
    )
    return f"{start}/{(start + 1) % 100:02d}"
