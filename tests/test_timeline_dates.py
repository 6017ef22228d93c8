"""Dates as papers write them, stage names as officers write them, and time counted as the law counts it."""

from datetime import date

import pytest

from tools.errors import InputError
from tools.timeline.counting import earliest_contract, standstill
from tools.timeline.fuzzydates import parse_when
from tools.timeline.rules import ROUTES
from tools.timeline.stages import match_stages

D = date


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("late October 2017", (D(2017, 10, 21), D(2017, 10, 31)), (D(2017, 10, 21), D(2017, 10, 31))),
        ("Early November 2017", (D(2017, 11, 1), D(2017, 11, 10)), (D(2017, 11, 1), D(2017, 11, 10))),
        ("mid-May 2018", (D(2018, 5, 11), D(2018, 5, 20)), (D(2018, 5, 11), D(2018, 5, 20))),
        ("late February 2019", (D(2019, 2, 21), D(2019, 2, 28)), (D(2019, 2, 21), D(2019, 2, 28))),
        ("December 17- January 2018", (D(2017, 12, 1), D(2017, 12, 31)), (D(2018, 1, 1), D(2018, 1, 31))),
        ("January-February 2018", (D(2018, 1, 1), D(2018, 1, 31)), (D(2018, 2, 1), D(2018, 2, 28))),
        ("May 2018 – September 2018", (D(2018, 5, 1), D(2018, 5, 31)), (D(2018, 9, 1), D(2018, 9, 30))),
        ("November-February 2018", (D(2017, 11, 1), D(2017, 11, 30)), (D(2018, 2, 1), D(2018, 2, 28))),
        ("w/c 14 March 2022", (D(2022, 3, 14), D(2022, 3, 18)), (D(2022, 3, 14), D(2022, 3, 18))),
        ("1 April 2017", (D(2017, 4, 1), D(2017, 4, 1)), (D(2017, 4, 1), D(2017, 4, 1))),
        ("1st April 2017", (D(2017, 4, 1), D(2017, 4, 1)), (D(2017, 4, 1), D(2017, 4, 1))),
        ("2017-10-01", (D(2017, 10, 1), D(2017, 10, 1)), (D(2017, 10, 1), D(2017, 10, 1))),
        ("01/10/2017", (D(2017, 10, 1), D(2017, 10, 1)), (D(2017, 10, 1), D(2017, 10, 1))),
        ("Q3 2026/27", (D(2026, 10, 1), D(2026, 12, 31)), (D(2026, 10, 1), D(2026, 12, 31))),
        ("Q4 2026/27", (D(2027, 1, 1), D(2027, 3, 31)), (D(2027, 1, 1), D(2027, 3, 31))),
        ("Q1 2025-26", (D(2025, 4, 1), D(2025, 6, 30)), (D(2025, 4, 1), D(2025, 6, 30))),
        ("April 2018", (D(2018, 4, 1), D(2018, 4, 30)), (D(2018, 4, 1), D(2018, 4, 30))),
        ("Dec-17", (D(2017, 12, 1), D(2017, 12, 31)), (D(2017, 12, 1), D(2017, 12, 31))),
        ("14-18 March 2022", (D(2022, 3, 14), D(2022, 3, 14)), (D(2022, 3, 18), D(2022, 3, 18))),
        ("14 March - 20 April 2022", (D(2022, 3, 14), D(2022, 3, 14)), (D(2022, 4, 20), D(2022, 4, 20))),
        ("2017-10-01 to 2017-10-31", (D(2017, 10, 1), D(2017, 10, 1)), (D(2017, 10, 31), D(2017, 10, 31))),
        ("2026/27", (D(2026, 4, 1), D(2027, 3, 31)), (D(2026, 4, 1), D(2027, 3, 31))),
    ],
)
def test_dates_as_papers_write_them(text, first, last):
    when = parse_when(text)
    assert (when.first.start, when.first.end) == first
    assert (when.last.start, when.last.end) == last


def test_a_date_without_a_year_takes_the_year_given():
    when = parse_when("late October", year=2017)
    assert (when.start, when.end) == (D(2017, 10, 21), D(2017, 10, 31))


@pytest.mark.parametrize(
    "text", ["TBC", "", "Spring", "Q3 2026", "late Octember 2017", "31 February 2026", "soon"]
)
def test_unreadable_dates_say_how_to_write_one(text):
    with pytest.raises(InputError, match="date"):
        parse_when(text)


@pytest.mark.parametrize(
    ("name", "stages"),
    [
        ("Executives sign off procurement strategy", ["strategy-approval"]),
        ("Publication of tender", ["contract-notice"]),
        ("Dialog sessions", ["dialogue"]),
        ("Publication of final tender documentation", ["final-tenders"]),
        ("Evaluation and contract award", ["evaluation", "contract-signature"]),
        ("Evaluation and moderation", ["evaluation"]),
        ("Mobilisation", ["mobilisation"]),
        ("Service Commences", ["service-start"]),
        ("Contract award notice", ["contract-award-notice"]),
        ("Notice of intention to award", ["award-decision"]),
        ("Outcome letters and standstill", ["award-decision", "standstill"]),
        ("ITT return", ["tender-period"]),
        ("PQQ", ["participation-period"]),
        ("Go-live", ["service-start"]),
        ("Co-design of the specification", ["co-design"]),
        ("Coffee morning", []),
    ],
)
def test_officers_words_match_canonical_stages(name, stages):
    assert match_stages(name) == stages


@pytest.mark.parametrize(
    ("regime", "notice", "first", "last"),
    [
        # PCR reg 87: 10 days; a last day that is not a working day runs to the next working day.
        ("pcr2015", D(2022, 1, 24), D(2022, 1, 24), D(2022, 2, 3)),  # York carers: 24 Jan - 3 Feb 2022
        ("pcr2015", D(2026, 3, 25), D(2026, 3, 25), D(2026, 4, 7)),  # Sat 4 Apr, Easter Monday 6 Apr
        (
            "pcr2015",
            D(2022, 12, 16),
            D(2022, 12, 16),
            D(2022, 12, 28),
        ),  # Boxing Day, then the substitute 27 Dec
        (
            "pcr2015",
            D(2026, 12, 16),
            D(2026, 12, 16),
            D(2026, 12, 29),
        ),  # Sat 26 Dec, substitute Boxing Day 28 Dec
        # Procurement Act s.51: 8 working days beginning with the publication day.
        ("pa2023", D(2026, 4, 2), D(2026, 4, 2), D(2026, 4, 15)),  # over Good Friday and Easter Monday
        # Working days exclude a bank holiday in any part of the UK (s.123): Scotland's 2 January counts.
        # Fri 19 Dec 2025 is day 1; 22, 23, 24 Dec are 2-4; 25, 26 Dec, 1 and 2 Jan are holidays;
        # 29, 30, 31 Dec are 5-7; Mon 5 Jan 2026 is day 8.
        ("pa2023", D(2025, 12, 19), D(2025, 12, 19), D(2026, 1, 5)),
        # Wed 21 Dec 2022 is day 1; 22, 23 are 2-3; 26 Dec, the 27 Dec substitute, the 2 Jan 2023 substitute
        # and Scotland's 3 Jan substitute are holidays; 28, 29, 30 Dec are 4-6; 4 Jan 7; Thu 5 Jan 8.
        ("pa2023", D(2022, 12, 21), D(2022, 12, 21), D(2023, 1, 5)),
        # Published Sat 7 Mar 2026: Mon 9 is day 1; 10-13 are 2-5; 16 is 6; 17 Mar is St Patrick's Day
        # (Northern Ireland); 18 is 7, Thu 19 Mar is day 8.
        ("pa2023", D(2026, 3, 7), D(2026, 3, 7), D(2026, 3, 19)),
        # The case: Tue 10 Mar 2026 is day 1; 11, 12, 13, 16 are 2-5; 17 Mar is skipped; 18, 19, 20
        # are 6-8. The standstill runs to the end of Fri 20 March.
        ("pa2023", D(2026, 3, 10), D(2026, 3, 10), D(2026, 3, 20)),
        # Mon 29 Dec 2025 is day 1; 30, 31 Dec are 2-3; 1 Jan and Scotland's 2 Jan are holidays; 5-9 Jan are
        # 4-8. The standstill runs to the end of Fri 9 January 2026.
        ("pa2023", D(2025, 12, 29), D(2025, 12, 29), D(2026, 1, 9)),
        # PSR reg 12: begins the day after the notice; 8th working day after the day it begins.
        ("psr2023", D(2026, 4, 1), D(2026, 4, 2), D(2026, 4, 16)),  # Easter
        ("psr2023", D(2026, 12, 21), D(2026, 12, 22), D(2027, 1, 6)),  # Christmas and the 28 Dec substitute
        ("psr2023", D(2026, 3, 6), D(2026, 3, 7), D(2026, 3, 18)),  # Friday notice: begins on Saturday
    ],
    ids=lambda value: str(value),
)
def test_standstills_are_counted_as_the_law_counts_them(regime, notice, first, last):
    route = _route_of(regime)
    assert standstill(route, _standstill_step(route), notice) == (first, last)


def _route_of(regime: str):
    return next(route for route in ROUTES.values() if route.regime == regime and route.step("standstill"))


def _standstill_step(route):
    step = route.step("standstill")
    assert step is not None
    return step


@pytest.mark.parametrize(
    ("regime", "notice", "contract"),
    [
        ("pcr2015", D(2022, 1, 24), D(2022, 2, 4)),
        ("pa2023", D(2025, 12, 19), D(2026, 1, 6)),
        # The two cases: the first lawful day to sign is Mon 23 March, and 12 January 2026.
        ("pa2023", D(2026, 3, 10), D(2026, 3, 23)),
        ("pa2023", D(2025, 12, 29), D(2026, 1, 12)),
        ("psr2023", D(2026, 4, 1), D(2026, 4, 17)),
    ],
)
def test_the_contract_may_follow_on_the_next_working_day(regime, notice, contract):
    route = _route_of(regime)
    assert earliest_contract(route, _standstill_step(route), notice) == contract


def test_the_psr_counts_englands_bank_holidays_only():
    # Notice Mon 16 Mar 2026: the standstill begins Tue 17 Mar (a working day in England, though St Patrick's
    # Day in Northern Ireland); 18, 19, 20, 23, 24, 25, 26, 27 Mar are the 8 working days after it.
    route = ROUTES["psr-competitive"]
    assert standstill(route, _standstill_step(route), D(2026, 3, 16)) == (D(2026, 3, 17), D(2026, 3, 27))
