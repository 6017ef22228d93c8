"""Working days as each regime counts them: weekends and the bank holidays of the parts of the UK it names.

A `Calendar` is the union of the bank holidays of one or more UK subdivisions (`ENG`, `WLS`, `SCT`, `NIR`)
from the maintained `holidays` package, which knows substitute days and one-off holidays such as the 2022
state funeral and the 2023 coronation. Which regime uses which calendar is data (`tools/regimes.yaml`):
the Procurement Act 2023 counts a bank holiday in any part of the UK, the PSR England's.

Without a subdivision `holidays` would miss Easter Monday and the late summer bank holiday, so a calendar
always names its subdivisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

SUBDIVISIONS = ("ENG", "WLS", "SCT", "NIR")
_PLACE = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}


@lru_cache(maxsize=256)
def _holidays(subdivision: str, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv=subdivision, years=year))


@dataclass(frozen=True)
class Calendar:
    """Working days: Monday to Friday, less the bank holidays of `subdivisions`."""

    subdivisions: tuple[str, ...]

    def __post_init__(self) -> None:
        unknown = set(self.subdivisions) - set(SUBDIVISIONS)
        if unknown or not self.subdivisions:
            raise ValueError(f"calendar subdivisions must be some of {', '.join(SUBDIVISIONS)}")

    def bank_holiday(self, day: date) -> str | None:
        """The bank holiday on `day` ("Saint Patrick's Day (Northern Ireland)"), or None."""
        found = {sub: name for sub in self.subdivisions if (name := _holidays(sub, day.year).get(day))}
        if not found:
            return None
        names = list(dict.fromkeys(part for name in found.values() for part in name.split("; ")))
        if len(found) == len(self.subdivisions) or len(self.subdivisions) == 1:
            return " / ".join(names)
        places = " and ".join(_PLACE[sub] for sub in found)
        return f"{' / '.join(names)} ({places})"

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.bank_holiday(day) is None

    def why_not_working(self, day: date) -> str | None:
        """Why `day` is not a working day (`Saturday`, `Good Friday`), or None when it is one."""
        if day.weekday() >= 5:
            return day.strftime("%A")
        return self.bank_holiday(day)

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def previous_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, otherwise the last working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (before it when `count` is negative); `day` when 0."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after `start` up to and including `end` (0 when `end <= start`)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def holidays_between(self, start: date, end: date) -> Iterable[tuple[date, str]]:
        """The bank holidays from `start` to `end`, inclusive, that fall on weekdays."""
        day = start
        while day <= end:
            if day.weekday() < 5 and (name := self.bank_holiday(day)):
                yield day, name
            day += timedelta(days=1)
