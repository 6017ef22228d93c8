"""The shared input vocabulary: the forms each type accepts, what it refuses, and the message shape.

Each parser is tested directly (with a field name, as the CLI uses it) and through a pydantic model (as tool
schemas, YAML inputs and MCP arguments use it), so every surface accepts and refuses the same things.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from tools.errors import InputError
from tools.types import (
    Days,
    IsoDate,
    Percent,
    Pounds,
    SignedPounds,
    parse_date,
    parse_days,
    parse_financial_year,
    parse_percent,
    parse_pounds,
    printed_date,
)


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        (1200000, Decimal(1200000)),
        ("1200000", Decimal(1200000)),
        ("£1,200,000", Decimal(1200000)),
        ("1.2m", Decimal(1200000)),
        ("£1.2 million", Decimal(1200000)),
        ("250k", Decimal(250000)),
        ("750K", Decimal(750000)),
        ("£ 663,540", Decimal(663540)),
        (".5m", Decimal(500000)),
        ("£2bn", Decimal(2_000_000_000)),
        ("2,500,000", Decimal(2500000)),
        (Decimal("1234.56"), Decimal("1234.56")),
        (1234.5, Decimal("1234.5")),
    ],
)
def test_pounds_are_read_as_officers_and_models_write_them(given_value, expected):
    assert parse_pounds(given_value, field="--value") == expected


@pytest.mark.parametrize(
    ("given_value", "message"),
    [
        ("lots", "--value: 'lots' is not an amount in pounds; write it like £1,200,000, 1.2m or 250k"),
        ("NaN", "--value: 'NaN' is not an amount in pounds"),
        ("Infinity", "--value: 'Infinity' is not an amount in pounds"),
        ("1e999", "--value: '1e999' is not an amount in pounds"),
        (float("nan"), "--value: nan is not a finite amount"),
        (float("inf"), "--value: inf is not a finite amount"),
        (10**30, "--value: 1000000000000000000000000000000 is more than £1,000,000,000,000"),
        ("-5", "--value: '-5' is negative; give an amount of £0 or more"),
        ("-£5,000", "--value: '-£5,000' is negative"),
        ("£-5", "--value: '£-5' is negative"),
        (True, "--value: true is not an amount in pounds"),
        ("x" * 10_000, "--value: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' is not an amount"),
    ],
    ids=["words", "nan-text", "inf-text", "overflow-text", "nan", "inf", "too-big", "negative",
         "negative-pounds", "pound-negative", "bool", "huge-string"],
)  # fmt: skip
def test_pounds_refusals_name_the_field_and_quote_a_short_prefix(given_value, message):
    with pytest.raises(InputError) as raised:
        parse_pounds(given_value, field="--value")
    assert str(raised.value).startswith(message)
    assert len(str(raised.value)) < 200


def test_signed_pounds_allow_a_loss():
    assert parse_pounds("-£5,000", negative=True) == Decimal(-5000)
    assert parse_pounds("(1,234)", negative=True) == Decimal(-1234)


@pytest.mark.parametrize(
    ("given_value", "expected"), [(7, 7), ("7%", 7), ("7.5 %", Decimal("7.5")), ("10 per cent", 10)]
)
def test_percent(given_value, expected):
    assert parse_percent(given_value) == Decimal(expected)


@pytest.mark.parametrize("given_value", ["101", "-1", "lots", "nan", float("inf")])
def test_percent_refusals(given_value):
    with pytest.raises(InputError, match="reduction"):
        parse_percent(given_value, field="reduction")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-03", date(2025, 9, 3)),
        ("3 September 2025", date(2025, 9, 3)),
        ("3rd Sept 2025", date(2025, 9, 3)),
        ("03/09/2025", date(2025, 9, 3)),
        (date(2025, 9, 3), date(2025, 9, 3)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2025", "--start: '31/02/2025' is not a real date"),
        ("soon", "--start: 'soon' is not a date; write it like 2025-09-03 or 3 September 2025"),
        ("2025-13-01", "--start: '2025-13-01' is not a date"),
        ("3 Smarch 2025", "--start: '3 Smarch 2025' is not a date"),
        ("9999-12-31", "--start: '9999-12-31' is outside 1990 to 2100"),
        (date(1900, 1, 1), "--start: 1900-01-01 is outside 1990 to 2100"),
    ],
)
def test_date_refusals_name_the_field(text, message):
    with pytest.raises(InputError) as raised:
        parse_date(text, field="--start")
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("text", "days"), [(30, 30), ("30 days", 30), ("6 weeks", 42), ("6w", 42), ("3 months", 91)]
)
def test_days(text, days):
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["999999999", "99999999 months", "-3", "soon", 1.5])
def test_days_refusals(text):
    with pytest.raises(InputError, match="mobilisation: "):
        parse_days(text, field="mobilisation")


@pytest.mark.parametrize(("text", "start"), [("2015/16", 2015), ("2015-16", 2015), ("2099/2100", 2099)])
def test_parse_financial_year(text, start):
    assert parse_financial_year(text) == start


@pytest.mark.parametrize("text", ["2015/17", "15/16", "next year", "9998/99"])
def test_parse_financial_year_rejects(text):
    with pytest.raises(InputError, match="base_year"):
        parse_financial_year(text, field="base_year")


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


class Inputs(BaseModel):
    value: Pounds
    loss: SignedPounds = Decimal(0)
    reduction: Percent = Decimal(0)
    start: IsoDate = date(2026, 1, 1)
    mobilisation: Days = 0


def test_the_types_work_inside_models_and_serialise_as_numbers():
    inputs = Inputs.model_validate(
        {
            "value": "£2.5m",
            "loss": "-£1,000",
            "reduction": "7%",
            "start": "3 September 2025",
            "mobilisation": "6 weeks",
        }
    )
    assert (inputs.value, inputs.loss, inputs.reduction) == (Decimal(2500000), Decimal(-1000), Decimal(7))
    assert (inputs.start, inputs.mobilisation) == (date(2025, 9, 3), 42)
    assert inputs.model_dump(mode="json")["value"] == 2500000


def test_the_bounds_reach_the_json_schema():
    schema = Inputs.model_json_schema()["properties"]
    money = next(option for option in schema["value"]["anyOf"] if option["type"] == "number")
    assert money["minimum"] == 0 and money["maximum"] == 1e12
    assert next(o for o in schema["reduction"]["anyOf"] if o["type"] == "number")["maximum"] == 100
    assert next(o for o in schema["mobilisation"]["anyOf"] if o["type"] == "integer")["maximum"] == 3650
    assert schema["start"]["format"] == "date"


def test_a_model_reports_the_field_and_the_same_message():
    with pytest.raises(ValidationError) as raised:
        Inputs.model_validate({"value": "1e30"})
    problem = raised.value.errors()[0]
    assert problem["loc"] == ("value",)
    assert "'1e30' is not an amount in pounds" in problem["msg"]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(), st.text(max_size=60)))
def test_any_value_is_an_amount_or_an_input_error(value):
    try:
        amount = parse_pounds(value, field="value")
    except InputError as error:
        assert str(error).startswith("value: ") and "\n" not in str(error)
    else:
        assert amount.is_finite() and 0 <= amount <= Decimal(10) ** 12


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=40), st.dates()))
def test_any_value_is_a_date_or_an_input_error(value):
    try:
        day = parse_date(value, field="start")
    except InputError as error:
        assert str(error).startswith("start: ")
    else:
        assert date(1990, 1, 1) <= day <= date(2100, 12, 31)
