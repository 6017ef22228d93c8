"""Dates as papers write them, stage names as officers write them, and time counted as the law counts it."""

from datetime import date

import pytest

from tools.errors import InputError
from tools.timeline.counting import earliest_contract, standstill
from tools.timeline.fuzzydates import parse_when
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
        ("pa2023", D(2025, 12, 19), D(2025, 12, 19), D(2026, 1, 2)),  # over Christmas and New Year
        ("pa2023", D(2022, 12, 21), D(2022, 12, 21), D(2023, 1, 4)),  # two substitute days (27 Dec, 2 Jan)
        ("pa2023", D(2026, 3, 7), D(2026, 3, 7), D(2026, 3, 18)),  # published on a Saturday: Monday is day 1
        # PSR reg 12: begins the day after the notice; 8th working day after the day it begins.
        ("psr2023", D(2026, 4, 1), D(2026, 4, 2), D(2026, 4, 16)),  # Easter
        ("psr2023", D(2026, 12, 21), D(2026, 12, 22), D(2027, 1, 6)),  # Christmas and the 28 Dec substitute
        ("psr2023", D(2026, 3, 6), D(2026, 3, 7), D(2026, 3, 18)),  # Friday notice: begins on Saturday
    ],
    ids=lambda value: str(value),
)
def test_standstills_are_counted_as_the_law_counts_them(regime, notice, first, last):
    assert standstill(regime, notice) == (first, last)


@pytest.mark.parametrize(
    ("regime", "notice", "contract"),
    [
        ("pcr2015", D(2022, 1, 24), D(2022, 2, 4)),
        ("pa2023", D(2025, 12, 19), D(2026, 1, 5)),
        ("psr2023", D(2026, 4, 1), D(2026, 4, 17)),
    ],
)
def test_the_contract_may_follow_on_the_next_working_day(regime, notice, contract):
    assert earliest_contract(regime, notice) == contract
