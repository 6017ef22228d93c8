"""Time counted as the law counts it: calendar-day periods, and the three standstills.

- PCR 2015 reg 87: the standstill ends at midnight at the end of the 10th day after the award decision
  notice is sent electronically; if that day is not a working day it runs to the end of the next one.
- Procurement Act 2023 s.51(2): 8 working days beginning with the day the contract award notice is
  published, so the publication day (when a working day) is day 1.
- PSR reg 12: the standstill begins on the day after the intention notice is published; representations
  may be made until midnight at the end of the 8th working day after the day the standstill begins.

The contract may be entered into on the first working day after the standstill's last day.
"""

from __future__ import annotations

from datetime import date, timedelta

from tools.regimes import RegimeId
from tools.workdays import add_working_days, next_working_day


def period_end(start: date, days: int, *, working: bool = False) -> date:
    """The end of a period of `days` counted from `start`, moved on to a working day if it falls on none.

    Moving the end later never undercuts a minimum, so a planned deadline is always lawful and workable.
    """
    if working:
        return add_working_days(start, days)
    return next_working_day(start + timedelta(days=days))


def standstill(regime: RegimeId, notice: date) -> tuple[date, date]:
    """The first and last day of the standstill that follows a notice sent or published on `notice`."""
    if regime == "pa2023":
        return notice, add_working_days(next_working_day(notice), 7)
    if regime == "psr2023":
        begins = notice + timedelta(days=1)
        return begins, add_working_days(begins, 8)
    return notice, next_working_day(notice + timedelta(days=10))


def earliest_contract(regime: RegimeId, notice: date) -> date:
    """The first working day on which the contract may be entered into after the standstill."""
    return next_working_day(standstill(regime, notice)[1] + timedelta(days=1))
