"""The input vocabulary every tool, model, CLI flag and tool schema shares: money, percentages, dates, days.

Each is one parser and one `Annotated` type built on it, so a tool argument, a field of a YAML input, a CLI
flag and an MCP or LangChain schema accept the same forms and refuse the same things with the same message:

- `Pounds`: 1200000, "£1,200,000", "1.2m", "£1.2 million", "250k", "£2bn"; never negative, NaN, infinite,
  or more than `MAX_POUNDS`. `SignedPounds` allows a negative amount ("-£1,234").
- `Percent`: 7, "7%", "7.5 %"; between 0 and 100 (`SignedPercent`: -100 to 1,000).
- `IsoDate`: "2025-09-03", "3 September 2025", "3 Sep 2025", "03/09/2025" (day first); 1990 to 2100.
- `Days`: 30, "30 days", "6 weeks", "3 months"; 0 to 3,650 (ten years).

Bounds live in the type and reach the JSON schema (`minimum`, `maximum`), so clients can check them too.
A refusal is an `InputError` (a `ValueError`, so pydantic reports it against the field) that says what to
write instead, quoting at most 40 characters of what was given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

from tools.errors import InputError, shown
from tools.formatting import MONTHS

MAX_POUNDS = Decimal(10) ** 12
"""£1,000,000,000,000: far above any public contract, far below an overflow."""
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)
MAX_DAYS = 3650
DAYS_IN_MONTH = Decimal("30.44")

Severity = Literal["error", "warning", "info"]


def _where(field: str | None) -> str:
    return f"{field}: " if field else ""


_MONEY = re.compile(
    r"^\(?(?P<sign>[-−])?\s*£?\s*(?P<sign2>[-−])?\s*(?P<number>\d[\d,]*(?:\.\d+)?|\.\d+)\s*"
    r"(?P<unit>k|m|bn|b|thousand|million|billion)?\)?$",
    re.IGNORECASE,
)
_UNIT = {
    "": 1,
    "k": 1000,
    "thousand": 1000,
    "m": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_MONEY_HINT = "write it like £1,200,000, 1.2m or 250k"


def parse_pounds(value: object, *, field: str | None = None, negative: bool = False) -> Decimal:
    """An amount of money in pounds, as officers and models write it.

    Args:
        value: a number, or text such as "£1,200,000", "1.2m", "£1.2 million" or "250k".
        field: the argument or flag to name in a refusal.
        negative: whether a negative amount is allowed.

    Raises:
        InputError: naming `field`, when it is not an amount, is negative (unless allowed), is not finite
            or is more than `MAX_POUNDS`.
    """
    where = _where(field)
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where}{shown(value)} is not an amount in pounds; {_MONEY_HINT}")
    if isinstance(value, (int, float, Decimal)):
        amount = _decimal(value)
    else:
        match = _MONEY.match(str(value).strip())
        if match is None:
            raise InputError(f"{where}{shown(value)} is not an amount in pounds; {_MONEY_HINT}")
        multiplier = _UNIT[(match.group("unit") or "").lower()]
        number = Decimal(match.group("number").replace(",", ""))
        # Compare magnitudes without arithmetic: a million-digit number would overflow the context.
        amount = number * multiplier if number.adjusted() < 20 else number
        text = str(value).strip()
        if match.group("sign") or match.group("sign2") or (text.startswith("(") and text.endswith(")")):
            amount = -amount
    if amount is None:
        raise InputError(f"{where}{shown(value)} is not a finite amount; {_MONEY_HINT}")
    if amount.is_signed() and amount != 0 and not negative:
        raise InputError(f"{where}{shown(value)} is negative; give an amount of £0 or more")
    if amount.adjusted() > MAX_POUNDS.adjusted() or amount.copy_abs().compare_total(MAX_POUNDS) > 0:
        raise InputError(f"{where}{shown(value)} is more than £1,000,000,000,000; give a real amount")
    return amount


def _decimal(value: int | float | Decimal) -> Decimal | None:
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


_PERCENT = re.compile(r"^(?P<number>[-−]?\s*(?:\d+(?:\.\d+)?|\.\d+))\s*(?:%|per ?cent)?$", re.IGNORECASE)


def parse_percent(
    value: object, *, field: str | None = None, lowest: Decimal = Decimal(0), highest: Decimal = Decimal(100)
) -> Decimal:
    """A percentage as written: 7, "7%", "7.5 %" or "7 per cent" (7, not 0.07).

    Raises:
        InputError: naming `field`, when it is not a percentage or is outside `lowest` to `highest`.
    """
    where = _where(field)
    hint = "write it like 7 or 7.5%"
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where}{shown(value)} is not a percentage; {hint}")
    if isinstance(value, (int, float, Decimal)):
        number = _decimal(value)
    else:
        match = _PERCENT.match(str(value).strip())
        number = Decimal(match.group("number").replace("−", "-").replace(" ", "")) if match else None
    if number is None:
        raise InputError(f"{where}{shown(value)} is not a percentage; {hint}")
    if not lowest <= number <= highest:
        raise InputError(
            f"{where}{shown(value)} is outside {lowest:f}% to {highest:f}%; give a percentage in that range"
        )
    return number


_DMY = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\s*$")
_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_DATE_HINT = "write it like 2025-09-03 or 3 September 2025"


def parse_date(value: object, *, field: str | None = "date") -> date:
    """A date written as `2025-09-03`, `3 September 2025`, `3 Sep 2025` or `03/09/2025` (day first).

    Raises:
        InputError: naming `field`, when it is not a real date or falls outside 1990 to 2100.
    """
    where = _where(field)
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        day = _read_date(str(value).strip() if value is not None else "", value, where)
    if not EARLIEST <= day <= LATEST:
        given = shown(value) if isinstance(value, str) else day.isoformat()
        raise InputError(f"{where}{given} is outside 1990 to 2100; give a date in that range")
    return day


def _read_date(text: str, value: object, where: str) -> date:
    if len(text) > 40:
        raise InputError(f"{where}{shown(value)} is not a date; {_DATE_HINT}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DMY.match(text)
    parts = None
    if match and (month := _month_number(match.group(2))):
        parts = int(match.group(3)), month, int(match.group(1))
    elif match := _SLASHED.match(text):
        parts = int(match.group(3)), int(match.group(2)), int(match.group(1))
    if parts is None:
        raise InputError(f"{where}{shown(value)} is not a date; {_DATE_HINT}")
    try:
        return date(*parts)
    except ValueError:
        raise InputError(f"{where}{shown(value)} is not a real date; {_DATE_HINT}") from None


def _month_number(name: str) -> int | None:
    name = name.lower()
    for number, month in enumerate(MONTHS, start=1):
        if len(name) >= 3 and month.lower().startswith(name):
            return number
    return None


_PRINTED = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:" + "|".join(MONTHS) + r")\s+\d{4}\b")


def printed_date(lines: Iterable[str]) -> tuple[date, int] | None:
    """The first real date written out in full (`9 November 2017`) in `lines`, with its line number.

    A misprint such as `31 February 2017` is passed over, as no date to go by.
    """
    for number, line in enumerate(lines, start=1):
        for match in _PRINTED.finditer(line):
            try:
                return parse_date(match.group(0)), number
            except InputError:
                continue
    return None


_FY = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")


def parse_financial_year(text: object, *, field: str | None = "financial year") -> int:
    """The start year of a financial year written `2015/16`, `2015-16` or `2015/2016`.

    Raises:
        InputError: naming `field`, when it is not a financial year from 1990/91 to 2099/00.
    """
    where = _where(field)
    match = _FY.match(str(text))
    if not match:
        raise InputError(f"{where}{shown(text)} is not a financial year; write it like 2025/26")
    start, end = int(match.group(1)), int(match.group(2))
    if end % 100 != (start + 1) % 100:
        raise InputError(
            f"{where}{shown(text)} is not a financial year; the second year must follow the first"
        )
    if not EARLIEST.year <= start < LATEST.year:
        raise InputError(f"{where}{shown(text)} is outside 1990/91 to 2099/00; give a year in that range")
    return start


_DURATION = re.compile(r"^\s*(\d{1,9})\s*(d|days?|w|wks?|weeks?|m|months?)?\s*$", re.IGNORECASE)


def parse_days(value: object, *, field: str | None = None) -> int:
    """A number of days, written 30, "30 days", "6 weeks", "6w" or "3 months" (a month is 30.44 days).

    Raises:
        InputError: naming `field`, when it is not a duration or is more than 3,650 days.
    """
    where = _where(field)
    hint = "write it like 90 days, 12 weeks or 3 months"
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where}{shown(value)} is not a duration; {hint}")
    if isinstance(value, int):
        days = value
    elif isinstance(value, float) and value.is_integer():
        days = int(value)
    else:
        match = _DURATION.match(str(value))
        if match is None:
            raise InputError(f"{where}{shown(value)} is not a duration; {hint}")
        number, unit = int(match.group(1)), (match.group(2) or "d").lower()[0]
        days = (
            number * 7
            if unit == "w"
            else int(number * DAYS_IN_MONTH + Decimal("0.5"))
            if unit == "m"
            else number
        )
    if not 0 <= days <= MAX_DAYS:
        raise InputError(
            f"{where}{shown(value)} is more than {MAX_DAYS:,} days (ten years) or negative; {hint}"
        )
    return days


NOT_FOR_MODELS_KEY = "x-not-for-models"
NOT_FOR_MODELS: dict[str, Any] = {NOT_FOR_MODELS_KEY: True}
"""In a JSON schema, marks what the lean schema offered to models leaves out (`assistant.lean_schema`), to
keep a small model's context for the papers: an argument for files, flags and careful callers (the date
to treat as today, a table's rounding, a paper's fine detail), as its `Field(json_schema_extra=...)`, or
a form of a value written for people (pounds as "1.2m"). A call that gives it is still accepted."""


def _validator(parse: Any, **options: Any) -> BeforeValidator:
    # Pydantic names the field itself; the message says what is wrong with the value.
    return BeforeValidator(lambda value: parse(value, field=None, **options))


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


_AS_NUMBER = PlainSerializer(_number, return_type=int | float, when_used="json")


def _money_schema(minimum: Decimal) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": float(minimum), "maximum": float(MAX_POUNDS)},
                {
                    "type": "string",
                    "description": "pounds as written: £1,200,000, 1.2m or 250k",
                    **NOT_FOR_MODELS,
                },
            ]
        }
    )


Pounds = Annotated[Decimal, _validator(parse_pounds), _money_schema(Decimal(0)), _AS_NUMBER]
"""An amount in pounds, £0 to £1,000,000,000,000."""
SignedPounds = Annotated[
    Decimal, _validator(parse_pounds, negative=True), _money_schema(-MAX_POUNDS), _AS_NUMBER
]
"""An amount in pounds that may be negative (an overspend, a loss)."""
Percent = Annotated[
    Decimal,
    _validator(parse_percent),
    WithJsonSchema(
        {"anyOf": [{"type": "number", "minimum": 0, "maximum": 100}, {"type": "string", **NOT_FOR_MODELS}]}
    ),
    _AS_NUMBER,
]
"""A percentage from 0 to 100 (7 means 7%)."""
SignedPercent = Annotated[
    Decimal,
    _validator(parse_percent, lowest=Decimal(-100), highest=Decimal(1000)),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": -100, "maximum": 1000}, {"type": "string"}]}),
    _AS_NUMBER,
]
"""A percentage change from -100 to 1,000."""
IsoDate = Annotated[
    date,
    _validator(parse_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": "a date: 2025-09-03 or 3 September 2025, between 1990 and 2100",
        }
    ),
]
"""A date between 1990 and 2100."""
Days = Annotated[
    int,
    _validator(parse_days),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0, "maximum": MAX_DAYS}, {"type": "string"}]}),
]
"""A number of days from 0 to 3,650; "6 weeks" and "3 months" are read too."""


class Finding(BaseModel):
    """Something a reviewer would raise: how serious, about which stage, under which rule, and what."""

    model_config = ConfigDict(extra="forbid")

    severity: Severity
    stage: str | None
    rule: str
    message: str
