"""Time counted as the law counts it: periods, deadlines and standstills, from each step's data.

How a standstill is counted is data on its step (routes.yaml), and the working days are the route's
regime's calendar (regimes.yaml):
- `begins`: the standstill begins on the notice day (PCR 2015 reg 87; Procurement Act 2023 s.51(2)) or the
  day after it (PSR reg 12(2)).
- `counting`: `beginning-with` makes the first day day 1 ("eight working days beginning with the day on
  which a contract award notice is published", s.51(2)); `after` starts at the next day ("the 8th working
  day after the day the standstill period begins", PSR reg 12(3); "the 10th day after", PCR reg 87).
- A calendar-day period that ends on a day that is not a working day runs to the end of the next one.

The contract may be entered into on the first working day after the standstill's last day.
"""

from __future__ import annotations

from datetime import date, timedelta

from tools.timeline.rules import Counting, Route, Step
from tools.workdays import Calendar

ONE_DAY = timedelta(days=1)


def count(calendar: Calendar, start: date, days: int, *, working: bool, counting: Counting) -> date:
    """The last day of a period of `days` counted from `start`.

    Args:
        calendar: the working days the period is counted in.
        start: the day counting starts from (day 1 itself when `counting` is `beginning-with`).
        days: the period's length.
        working: whether `days` are working days; calendar-day periods ending on a non-working day run on
            to the next working day.
        counting: `beginning-with` (`start` is day 1) or `after` (the day after `start` is day 1).
    """
    if counting == "beginning-with":
        start -= ONE_DAY
    if working:
        return calendar.add_working_days(start, days)
    return calendar.next_working_day(start + timedelta(days=days))


def period_end(calendar: Calendar, start: date, days: int, *, working: bool = False) -> date:
    """The end of a minimum or typical period of `days` from `start`, moved on to a working day.

    Moving the end later never undercuts a minimum, so a planned deadline is always lawful and workable.
    """
    return count(calendar, start, days, working=working, counting="after")


def standstill(route: Route, step: Step, notice: date) -> tuple[date, date]:
    """The first and last day of the standstill `step` that follows a notice sent or published on `notice`."""
    begins = notice + ONE_DAY if step.begins == "day-after-notice" else notice
    end = count(route.calendar, begins, step.days, working=step.working, counting=step.counting)
    return begins, end


def earliest_contract(route: Route, step: Step, notice: date) -> date:
    """The first working day on which the contract may be entered into after the standstill."""
    return route.calendar.next_working_day(standstill(route, step, notice)[1] + ONE_DAY)


def deadline(route: Route, step: Step, anchor: date) -> date:
    """The last day a notice due within `step.days` of `anchor` may be published (a working day in plans)."""
    return route.calendar.previous_working_day(deadline_limit(step, anchor))


def deadline_limit(step: Step, anchor: date) -> date:
    """The last lawful day for a notice due within `step.days` of `anchor`, as the law counts it."""
    return anchor + timedelta(days=step.days - (1 if step.counting == "beginning-with" else 0))
