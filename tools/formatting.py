"""How officers expect to read money, dates and financial years.

Money in pounds with thousands separators (`£1,234,567`), dates as `3 September 2025`,
financial years (1 April to 31 March) as `2025/26`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from tools.errors import InputError

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


_MONEY = re.compile(r"^(-?)\s*£?\s*(-?)\s*(\d[\d,]*(?:\.\d+)?|\.\d+)\s*([km]?)$", re.IGNORECASE)


def parse_money(text: str | None, *, field: str) -> Decimal | None:
    """An amount in pounds as officers type it: `£1,200,000`, `1200000`, `1.2m` or `750k`; None for None.

    Raises:
        InputError: naming `field`, when it is not an amount or is negative.
    """
    if text is None:
        return None
    match = _MONEY.match(str(text).strip())
    if match is None:
        raise InputError(f"{field}: {text!r} is not an amount; write it like £1,200,000 or 1.2m")
    if match.group(1) or match.group(2):
        raise InputError(f"{field}: {text.strip()} is negative; give an amount of £0 or more")
    amount = Decimal(match.group(3).replace(",", ""))
    return amount * {"": 1, "k": 1000, "m": 1_000_000}[match.group(4).lower()]


_FY = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")


def parse_financial_year(text: str, *, field: str = "financial year") -> int:
    """The start year of a financial year written `2015/16`, `2015-16` or `2015/2016`."""
    match = _FY.match(str(text))
    if not match:
        raise InputError(f"{field}: {text!r} is not a financial year; write it like 2025/26")
    start, end = int(match.group(1)), int(match.group(2))
    if end % 100 != (start + 1) % 100:
        raise InputError(f"{field}: {text!r} is not a financial year; the second year must follow the first")
    return start


_DMY = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\s*$")
_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def parse_date(value: str | date, *, field: str = "date") -> date:
    """A date written as `2025-09-03`, `3 September 2025`, `3 Sep 2025` or `03/09/2025` (day first).

    Raises:
        InputError: naming `field` and the value, when it is not a date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DMY.match(text)
    if match:
        month = _month_number(match.group(2))
        if month:
            return _checked(field, text, int(match.group(3)), month, int(match.group(1)))
    match = _SLASHED.match(text)
    if match:
        return _checked(field, text, int(match.group(3)), int(match.group(2)), int(match.group(1)))
    raise InputError(f"{field}: {text!r} is not a date; write it like 2025-09-03 or 3 September 2025")


_PRINTED = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:" + "|".join(MONTHS) + r")\s+\d{4}\b")


def printed_date(lines: Iterable[str]) -> tuple[date, int] | None:
    """The first real date written out in full (`9 November 2017`) in `lines`, with its line number.

    A misprint such as `31 February 2017` is passed over, as no date to go by.
    """
    for number, line in enumerate(lines, start=1):
        for match in _PRINTED.finditer(line):
            try:
                return parse_date(match.group(0)), number
            except InputError:
                continue
    return None


def _month_number(name: str) -> int | None:
    name = name.lower()
    for number, month in enumerate(MONTHS, start=1):
        if len(name) >= 3 and month.lower().startswith(name):
            return number
    return None


def _checked(field: str, text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(f"{field}: {text!r} is not a real date") from None
