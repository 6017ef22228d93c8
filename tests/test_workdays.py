from datetime import date

import pytest

from tools.workdays import Calendar

ENGLAND = Calendar(("ENG",))
UK = Calendar(("ENG", "WLS", "SCT", "NIR"))
bank_holiday = ENGLAND.bank_holiday
is_working_day = ENGLAND.is_working_day
why_not_working = ENGLAND.why_not_working
add_working_days = ENGLAND.add_working_days
next_working_day = ENGLAND.next_working_day


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 4, 6), "Easter Monday"),  # only present with the ENG subdivision
        (date(2026, 8, 31), "Late Summer Bank Holiday"),
        (date(2026, 12, 28), "Boxing Day (observed)"),  # substitute day
        (date(2022, 9, 19), "State Funeral of Queen Elizabeth II"),  # one-off
        (date(2023, 5, 8), "Coronation of Charles III"),
    ],
)
def test_bank_holidays_include_substitute_and_one_off_days(day, name):
    assert bank_holiday(day) == name
    assert not is_working_day(day)


def test_weekend_is_not_working():
    assert why_not_working(date(2025, 9, 6)) == "Saturday"
    assert why_not_working(date(2025, 9, 3)) is None


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2025, 9, 3), 0, date(2025, 9, 3)),
        (date(2025, 9, 5), 1, date(2025, 9, 8)),  # Friday to Monday
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Good Friday and Easter Monday
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # over Christmas and the substitute Boxing Day
        (date(2026, 4, 7), -1, date(2026, 4, 2)),
    ],
)
def test_add_working_days(start, count, expected):
    assert add_working_days(start, count) == expected


def test_next_working_day():
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 29)
    assert next_working_day(date(2026, 12, 29)) == date(2026, 12, 29)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 3, 17), "Saint Patrick's Day (Northern Ireland)"),
        (date(2026, 7, 13), "Battle of the Boyne (observed) (Northern Ireland)"),  # 12 July is a Sunday
        (date(2026, 1, 2), "New Year Holiday (Scotland)"),
        (date(2026, 8, 3), "Summer Bank Holiday (Scotland)"),  # Scotland's first Monday in August
        (date(2026, 11, 30), "Saint Andrew's Day (Scotland)"),
        (date(2026, 8, 31), "Late Summer Bank Holiday (England and Wales and Northern Ireland)"),
        (date(2026, 12, 25), "Christmas Day"),  # everywhere: no place named
    ],
)
def test_the_uk_calendar_is_the_union_of_every_part(day, name):
    assert UK.bank_holiday(day) == name
    assert not UK.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 3, 17), date(2026, 1, 2), date(2026, 11, 30)])
def test_englands_calendar_works_on_the_other_parts_holidays(day):
    assert ENGLAND.is_working_day(day)


def test_a_calendar_names_real_subdivisions():
    with pytest.raises(ValueError, match="subdivisions"):
        Calendar(("XYZ",))
