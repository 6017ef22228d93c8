"""Dates as committee papers write them, read into ranges.

"late October 2017" is 21-31 October (early, mid and late are thirds of the month: 1-10, 11-20, 21-end);
"w/c 14 March 2022" is the working week 14-18 March; "Q3 2026/27" is October-December 2026 (financial
quarters from April); "December 17- January 2018" is December 2017 to January 2018 (a two-digit number
after a month is a year, as in "Dec-17"). A `When` keeps both ends as ranges, so "May 2018 – September
2018" starts some time in May and ends some time in September.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from tools.errors import InputError
from tools.formatting import long_date
from tools.types import parse_date, parse_financial_year, shown

HOW_TO_WRITE = "write it like 1 April 2017, 2017-10-01, late October 2017, w/c 14 March 2022 or Q3 2026/27"

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_PART = {
    "early": (1, 10),
    "beginning of": (1, 10),
    "start of": (1, 10),
    "mid": (11, 20),
    "middle of": (11, 20),
    "late": (21, 31),
    "end of": (21, 31),
}
_PART_RE = "|".join(sorted(_PART, key=len, reverse=True))
_WEEK = r"(?:w/?c|w/?b|week commencing|week beginning|wc|wb)"


@dataclass(frozen=True)
class Span:
    """A stretch of days one end of a stage falls in; `start == end` for an exact day."""

    start: date
    end: date

    @property
    def exact(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True)
class When:
    """When a stage happens: the range its first day falls in and the range its last day falls in."""

    first: Span
    last: Span

    @property
    def start(self) -> date:
        return self.first.start

    @property
    def end(self) -> date:
        return self.last.end

    @property
    def exact(self) -> bool:
        return self.first.exact and self.last.exact

    def describe(self) -> str:
        if self.start == self.end:
            return long_date(self.start)
        return f"{long_date(self.start)} to {long_date(self.end)}"


def _clean(text: str) -> str:
    text = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2012", "-")
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(
        r"\b(approx\.?|approximately|circa|c\.|around|by|on|from|in|during|the|of the)\s+", "", text
    )
    text = re.sub(r"\b(onwards|tbc|tbc\.)$", "", text.strip())
    return " ".join(text.replace(",", " ").split())


def _month_span(year: int, month: int, first: int = 1, last: int = 31) -> Span:
    days = monthrange(year, month)[1]
    return Span(date(year, month, min(first, days)), date(year, month, min(last, days)))


def _year(text: str) -> int:
    number = int(text)
    return 2000 + number if number < 100 else number


def _single(text: str, year: int | None) -> Span | None:
    """One end of a range: a day, week, part-month, month, quarter or year; None when not understood."""
    try:
        day = parse_date(text)
        return Span(day, day)
    except InputError:
        pass
    if match := re.fullmatch(rf"{_WEEK}\s*(.+)", text):
        monday = _single(match.group(1), year)
        return Span(monday.start, monday.start + timedelta(days=4)) if monday and monday.exact else None
    if match := re.fullmatch(r"q([1-4])\s*(\d{4}\s*[/-]\s*\d{2,4})", text):
        start_year = parse_financial_year(match.group(2), field="financial year")
        first_month = (3 * int(match.group(1)) + 1 - 1) % 12 + 1
        quarter_year = start_year + (1 if first_month < 4 else 0)
        return Span(date(quarter_year, first_month, 1), _month_span(quarter_year, first_month + 2).end)
    if match := re.fullmatch(r"(\d{4})\s*([/-])\s*(\d{2})", text):
        if match.group(2) == "-" and int(match.group(3)) != (int(match.group(1)) + 1) % 100:
            return (
                _month_span(int(match.group(1)), int(match.group(3)))
                if 1 <= int(match.group(3)) <= 12
                else None
            )
        start_year = parse_financial_year(text, field="financial year")
        return Span(date(start_year, 4, 1), date(start_year + 1, 3, 31))
    if match := re.fullmatch(r"(\d{4})", text):
        return Span(date(int(text), 1, 1), date(int(text), 12, 31))
    if match := re.fullmatch(rf"(?:({_PART_RE})[\s-]*)?{_MONTH}(?:[\s-]+(\d{{4}}|\d{{2}}))?", text):
        found_year = _year(match.group(3)) if match.group(3) else year
        if found_year is None:
            return None
        first, last = _PART.get(match.group(1) or "", (1, 31))
        return _month_span(found_year, _MONTHS[match.group(2)], first, last)
    if match := re.fullmatch(rf"(\d{{1,2}})\s+{_MONTH}", text):
        return _checked_day(year, _MONTHS[match.group(2)], int(match.group(1))) if year else None
    return None


def _checked_day(year: int, month: int, day: int) -> Span | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return Span(found, found)


_SEPARATORS = (
    r"\s+(?:to|until|till|through|-)\s+",
    r"\s*-\s+|\s+-\s*",
    r"(?<=[a-z])-(?=[a-z\d])",
    r"(?<=\d)-(?=\d{1,2}\s)",
)


def _split(text: str) -> tuple[str, str] | None:
    for separator in _SEPARATORS:
        parts = re.split(separator, text, maxsplit=1)
        if len(parts) == 2 and all(part.strip() for part in parts):
            return parts[0].strip(), parts[1].strip()
    return None


def _range(left: str, right: str, year: int | None) -> When | None:
    last = _single(right, year)
    if last is None:
        return None
    if re.fullmatch(r"\d{1,2}", left):  # "14-18 March 2022": the left end borrows month and year
        first = _checked_day(last.start.year, last.start.month, int(left))
        return When(first, last) if first else None
    first = _single(left, last.start.year)
    if first is None:
        return None
    if first.start > last.start and not re.search(r"\d{4}", left):
        first = _single(left, last.start.year - 1)  # "November-February 2018" starts in 2017
    return When(first, last) if first and first.start <= last.end else None


def parse_when(text: str, *, year: int | None = None) -> When:
    """When a stage happens, read from a date as written in a paper.

    Args:
        text: the date as written: "late October 2017", "December 17- January 2018", "w/c 14 March 2022",
            "1 April 2017", "2017-10-01", "Q3 2026/27", "May 2018 – September 2018".
        year: the year to assume when the text gives none ("late October"), usually the previous stage's.

    Raises:
        InputError: when the text is not a date this reader understands, saying how to write it.
    """
    cleaned = _clean(str(text))
    if not cleaned:
        raise InputError(f"date: no date given; {HOW_TO_WRITE}")
    try:
        single = _single(cleaned, year)
        if single:
            return When(single, single)
        parts = _split(cleaned)
        found = _range(*parts, year) if parts else None
    except InputError:
        found = None
    if found is None:
        raise InputError(
            f"date: {shown(str(text).strip())} is not a date this reader understands; {HOW_TO_WRITE}"
        )
    return found
