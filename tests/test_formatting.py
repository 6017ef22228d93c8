from datetime import date
from decimal import Decimal

import pytest

from tools.formatting import financial_year, long_date, pounds


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
