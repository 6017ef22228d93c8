"""Working days as the law counts them: weekends and England and Wales bank holidays excluded.

Bank holidays come from the maintained `holidays` package (`UnitedKingdom(subdiv="ENG")`), which knows
substitute days and one-off holidays such as the 2022 state funeral and the 2023 coronation. Without the
subdivision it would miss Easter Monday and the late summer bank holiday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday(day: date) -> str | None:
    """The name of the England and Wales bank holiday on `day`, or None."""
    return _bank_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return day.weekday() < 5 and bank_holiday(day) is None


def why_not_working(day: date) -> str | None:
    """Why `day` is not a working day (`Saturday`, `Good Friday`), or None when it is one."""
    if day.weekday() >= 5:
        return day.strftime("%A")
    return bank_holiday(day)


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """`day` itself when it is a working day, otherwise the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (before it when `count` is negative); `day` when 0."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after `start` up to and including `end` (0 when `end <= start`)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
