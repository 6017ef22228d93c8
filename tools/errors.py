"""Errors the commissioning tools raise for problems a person can fix.

The hierarchy::

    CommissionError            a known problem; the CLI prints its message on one line
    ├── InputError             bad input to a tool: names the field and the value (exit 2)
    │   └── UnreadableFileError  a file that cannot be read at all (exit 2)
    └── (assistant.errors)     configuration, index and model errors live beside the assistant

Every message says what to fix. The CLI (``assistant.cli``) is the one place that turns these into
output; the agent turns an ``InputError`` into a tool message the model can correct.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any


class CommissionError(Exception):
    """A known problem with a message a person can act on."""

    exit_code = 1


class InputError(CommissionError, ValueError):
    """Bad input to a tool.

    Args:
        message: what is wrong and how to fix it, naming the field and the value.
    """

    exit_code = 2


class UnreadableFileError(InputError):
    """A file that cannot be read at all: missing, empty, corrupt or password-protected."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


SHOWN = 40
"""The most characters of a value quoted back in a message."""
LISTED = 10
"""The most problems one message lists; the rest are counted."""
_UNION_BRANCH = frozenset(
    {"none", "bool", "int", "float", "decimal", "str", "bytes", "date", "time", "datetime", "timedelta"}
)
_QUOTING = frozenset({"value_error", "assertion_error"})
_brief = reprlib.Repr()
_brief.maxstring = _brief.maxother = _brief.maxlong = SHOWN
_brief.maxlist = _brief.maxdict = _brief.maxtuple = _brief.maxset = 4
_brief.maxlevel = 2


def describe_validation_error(
    error: Exception, *, source: object, field_name: Callable[[str], str] | None = None
) -> InputError:
    """One line from a pydantic `ValidationError` naming every problem: the field, the value and the fix.

    One problem reads `arguments: start is required`; more read `arguments: 3 problems: start: ...;
    buyer = 'charity': ...; value: ...`. Values are shown as they were given (text in quotes, dates as
    2025-09-03), cut to 40 characters; a union's alternatives are one problem, not one per branch.

    Args:
        error: the `pydantic.ValidationError` raised while validating input.
        source: what was being read (a file name, or "arguments").
        field_name: how to name a field where it was given, e.g. as its flag (`go_live` as `--go-live`).
    """
    problems: list[dict[str, Any]] = getattr(error, "errors", list)()
    prefix = f"{source}: " if source else ""
    if not problems:
        return InputError(f"{prefix}{_one_line(str(error))}")
    by_field: dict[str, list[dict[str, Any]]] = {}
    for problem in problems:
        by_field.setdefault(_field(problem.get("loc", ()), field_name), []).append(problem)
    described = list(dict.fromkeys(_described(field, found) for field, found in by_field.items()))
    if len(described) == 1:
        return InputError(f"{prefix}{described[0]}")
    listed = "; ".join(described[:LISTED])
    more = len(described) - LISTED
    extra = f"; and {more} more" if more > 0 else ""
    return InputError(f"{prefix}{len(described)} problems: {listed}{extra}")


def shown(value: object) -> str:
    """`value` as a message quotes it: text in quotes, dates as 2025-09-03, cut to 40 characters."""
    if isinstance(value, str):
        return repr(_cut(value))
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and value.bit_length() > 120:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    if isinstance(value, Decimal):
        return _cut(str(value))
    try:
        return _cut(_one_line(_brief.repr(value)))
    except Exception:  # a value too strange to print is still named by its kind
        return type(value).__name__


def _described(field: str, problems: list[dict[str, Any]]) -> str:
    first = problems[0]
    kind = first.get("type")
    if kind == "extra_forbidden":
        name = ".".join(str(part) for part in first.get("loc", ()))
        return f"unknown field {shown(name)}; check its spelling"
    if kind == "missing":
        return f"{field} is required"
    message = _message(first)
    for other in problems[1:]:  # the other branches of a union: "a valid decimal or a valid list"
        message += " or " + _message(other).removeprefix("Input should be ")
    value = shown(first.get("input"))
    if kind in _QUOTING and value in message:
        return f"{field}: {message}" if field else message
    return f"{field} = {value}: {message}" if field else f"{value}: {message}"


def _message(problem: dict[str, Any]) -> str:
    text = _one_line(str(problem.get("msg") or "is not valid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        text = text.removeprefix(prefix)
    return text if len(text) <= 300 else text[:299] + "…"


def _field(loc: tuple[Any, ...], field_name: Callable[[str], str] | None = None) -> str:
    """`lines.0.amount`, leaving out the names pydantic gives a union's branches (`decimal`, `list[...]`)."""
    parts = [str(part) for index, part in enumerate(loc) if index == 0 or not _branch(part)]
    if parts and field_name is not None:
        # A flag given several times has no positions to speak of: the value quoted says which one.
        parts = [field_name(parts[0]), *(part for part in parts[1:] if not part.isdigit())]
    return ".".join(part if _plain_name(part) else shown(part) for part in parts)


def _plain_name(part: str) -> bool:
    return len(part) <= SHOWN and part.replace("_", "").replace("-", "").isalnum()


def _branch(part: object) -> bool:
    return isinstance(part, str) and (part in _UNION_BRANCH or "[" in part or part.startswith("constrained-"))


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _one_line(text: str) -> str:
    return " ".join(text.split())
