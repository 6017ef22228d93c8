"""Does an answer rest on what the turn saw? A deterministic check of its figures and dates.

An answer's pound amounts, percentages, dates and years are looked for in the evidence of its turn: the
question, every tool result and every passage put in front of the model. One found nowhere there is
*unsupported*, and the answer then carries a visible note. It is pattern matching, not understanding:
"£44m" matches 44,213,000 (to the precision stated), "1 April 2027" matches 2027-04-01, and a figure the
model worked out correctly from the evidence is still reported, which is the safe side to err on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_MONEY = re.compile(r"£\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(bn|billion|m|million|k|thousand)\b)?", re.IGNORECASE)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|per\s?cent\b)", re.IGNORECASE)
_LONG_DATE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s?(bn|billion|m|million|k|thousand)\b)?", re.IGNORECASE)
_CITATION = re.compile(r"\[[^\[\]\n]{1,200}\]")

NOTE = "_Note: {claims} not found in the papers or tools: check {them}._"


def unsupported_claims(answer: str, evidence: Iterable[str]) -> list[str]:
    """The figures and dates in `answer` that appear nowhere in `evidence`, in the order they occur.

    Citations in square brackets are left out: they are checked against the sources elsewhere.
    """
    text = _CITATION.sub(" ", answer)
    seen = "\n".join(evidence)
    numbers, dates = _numbers(seen), _dates(seen)
    claims: list[str] = []
    for match in _MONEY.finditer(text):
        value, tolerance = _value(match.group(1), match.group(2))
        if not any(abs(number - value) <= tolerance for number in numbers):
            claims.append(match.group(0).strip())
    for match in _PERCENT.finditer(text):
        value, tolerance = _value(match.group(1), None)
        if not any(abs(number - value) <= tolerance for number in numbers):
            claims.append(match.group(0).strip())
    for match in _LONG_DATE.finditer(text):
        if _date_of(match) not in dates:
            claims.append(match.group(0))
    for match in _YEAR.finditer(_LONG_DATE.sub(" ", _MONEY.sub(" ", text))):
        if match.group(1) not in seen:
            claims.append(match.group(1))
    return list(dict.fromkeys(claims))


def note_for(claims: list[str]) -> str:
    """The visible note for an answer with unsupported claims."""
    shown = ", ".join(claims[:6]) + (f" and {len(claims) - 6} more" if len(claims) > 6 else "")
    return NOTE.format(claims=shown, them="them" if len(claims) > 1 else "it")


def _value(digits: str, scale: str | None) -> tuple[float, float]:
    """The number written and how far from it a number may be and still be the same, rounded as written."""
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    multiplier = _SCALE[scale.lower()] if scale else 1.0
    return float(digits.replace(",", "")) * multiplier, 0.5 * 10**-decimals * multiplier


def _numbers(text: str) -> list[float]:
    numbers = []
    for match in _NUMBER.finditer(text):
        try:
            number = float(match.group(1).replace(",", ""))
        except ValueError:
            continue
        numbers.append(number)
        if match.group(2):
            numbers.append(number * _SCALE[match.group(2).lower()])
        if 0 < number <= 1:  # a share given as a fraction, stated as a percentage
            numbers.append(number * 100)
    return numbers


def _dates(text: str) -> set[tuple[int, int, int]]:
    found = {_date_of(match) for match in _LONG_DATE.finditer(text)}
    found |= {(int(m.group(1)), int(m.group(2)), int(m.group(3))) for m in _ISO_DATE.finditer(text)}
    return found


def _date_of(match: re.Match[str]) -> tuple[int, int, int]:
    return int(match.group(3)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(1))
