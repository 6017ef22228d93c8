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


def describe_validation_error(error: Exception, *, source: object) -> InputError:
    """One line from a pydantic `ValidationError`: the first bad field, the value given and the fix.

    Args:
        error: the `pydantic.ValidationError` raised while validating input.
        source: what was being read (a file name, or "arguments").
    """
    problems: list[dict[str, Any]] = getattr(error, "errors", list)()
    if not problems:
        return InputError(f"{source}: {error}")
    first = problems[0]
    field = ".".join(str(part) for part in first.get("loc", ())) or "input"
    if first.get("type") == "extra_forbidden":
        message = f"{source}: unknown field {field!r}; check its spelling against the template"
    elif first.get("type") == "missing":
        message = f"{source}: {field} is required"
    else:
        message = f"{source}: {field} = {first.get('input')!r}: {first.get('msg', 'is not valid')}"
    more = len(problems) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return InputError(message)
