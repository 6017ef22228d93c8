from datetime import date
from decimal import Decimal

import pytest

from tools.errors import InputError
from tools.formatting import (
    financial_year,
    long_date,
    parse_date,
    parse_financial_year,
    parse_money,
    pounds,
    printed_date,
)


@pytest.mark.parametrize(
    ("amount", "places", "expected"),
    [
        (Decimal("69236000"), 0, "£69,236,000"),
        (Decimal("1234.5"), 0, "£1,235"),
        (Decimal("1234.5"), 2, "£1,234.50"),
        (Decimal("-4000"), 0, "-£4,000"),
        (0, 0, "£0"),
    ],
)
def test_pounds(amount, places, expected):
    assert pounds(amount, places=places) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2025, 9, 3), "3 September 2025"), (date(2017, 11, 9), "9 November 2017")],
)
def test_long_date(day, expected):
    assert long_date(day) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2025, 4, 1), "2025/26"),
        (date(2026, 3, 31), "2025/26"),
        (date(2000, 1, 1), "1999/00"),
        (2015, "2015/16"),
    ],
)
def test_financial_year(value, expected):
    assert financial_year(value) == expected


@pytest.mark.parametrize(("text", "start"), [("2015/16", 2015), ("2015-16", 2015), ("2099/2100", 2099)])
def test_parse_financial_year(text, start):
    assert parse_financial_year(text) == start


@pytest.mark.parametrize("text", ["2015/17", "15/16", "next year"])
def test_parse_financial_year_rejects(text):
    with pytest.raises(InputError, match="base_year"):
        parse_financial_year(text, field="base_year")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-03", date(2025, 9, 3)),
        ("3 September 2025", date(2025, 9, 3)),
        ("3rd Sept 2025", date(2025, 9, 3)),
        ("03/09/2025", date(2025, 9, 3)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2025", "soon", "2025-13-01", "3 Smarch 2025"])
def test_parse_date_rejects_with_field_name(text):
    with pytest.raises(InputError, match="--start"):
        parse_date(text, field="--start")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,200,000", Decimal("1200000")),
        ("1200000", Decimal("1200000")),
        ("1.2m", Decimal("1200000.0")),
        ("750K", Decimal("750000")),
        ("£ 663,540", Decimal("663540")),
        (".5m", Decimal("500000.0")),
        (None, None),
    ],
)
def test_parse_money(text, expected):
    assert parse_money(text, field="--value") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lots", "--value: 'lots' is not an amount"),
        ("NaN", "--value: 'NaN' is not an amount"),
        ("Infinity", "--value: 'Infinity' is not an amount"),
        ("1e6", "--value: '1e6' is not an amount"),
        ("-5", "--value: -5 is negative"),
        ("-£5,000", "--value: -£5,000 is negative"),
        ("£-5", "--value: £-5 is negative"),
    ],
)
def test_parse_money_rejects_with_field_name(text, message):
    with pytest.raises(InputError, match=message):
        parse_money(text, field="--value")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Community Contract Procurement Update", "9 November 2017"], (date(2017, 11, 9), 2)),
        (["Meeting held on the 3rd September 2015 at 2pm"], (date(2015, 9, 3), 1)),
        (["Minutes of 31 February 2017", "Corrected: 28 February 2017"], (date(2017, 2, 28), 2)),
        (["Dated November 2017", "no day given"], None),
        ([], None),
    ],
    ids=["heading-then-date", "ordinal-in-prose", "misprint-passed-over", "month-only", "empty"],
)
def test_printed_date(lines, expected):
    assert printed_date(lines) == expected
