"""How each kind of result is written in each format: Markdown for people and models, JSON for programs,
and the exports a kind has (csv, ics, mermaid, xlsx, docx).

Results are pure data; each tool package's render module lists its own writers in `RENDERERS` (result
type to format to function), and this module finds them. JSON is the same for every result: the model's
own JSON contract.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import import_module
from typing import Any

from pydantic import BaseModel

Writer = Callable[[Any], str | bytes]

RENDER_MODULES = (
    "tools.timeline.render",
    "tools.envelope.render",
    "tools.checklist.render",
    "tools.intent.render",
    "tools.ruleset",
)


@cache
def _writers() -> dict[type, dict[str, Writer]]:
    found: dict[type, dict[str, Writer]] = {}
    for name in RENDER_MODULES:
        for kind, writers in import_module(name).RENDERERS.items():
            found[kind] = {**found.get(kind, {}), **writers}
    return found


def _for(result: Any) -> dict[str, Writer]:
    for kind in type(result).__mro__:
        if kind in _writers():
            return _writers()[kind]
    return {}


def formats(result: Any) -> list[str]:
    """The formats `result` can be written in: Markdown and JSON, then its own exports."""
    return list(dict.fromkeys(["md", "json", *_for(result)]))


def render(result: Any, format: str) -> str | bytes:
    """`result` written in `format` ("md", "json", or one of its exports)."""
    if format == "json":
        return json.dumps(data(result), indent=2, ensure_ascii=False) + "\n"
    writer = _for(result).get(format)
    if writer is not None:
        return writer(result)
    if format == "md":
        return markdown(result)
    raise ValueError(f"{type(result).__name__} has no {format} writer")


def markdown(result: Any) -> str:
    """`result` as readable Markdown: its writer, a list's items in turn, or its JSON in a code block."""
    writer = _for(result).get("md")
    if writer is not None:
        return str(writer(result))
    to_markdown = getattr(result, "to_markdown", None)  # results of the assistant's own (paper passages)
    if callable(to_markdown):
        return str(to_markdown())
    if isinstance(result, list):
        return "\n\n".join(markdown(item) for item in result) or "(nothing found)"
    return json.dumps(data(result), indent=2, ensure_ascii=False)


def data(result: Any) -> Any:
    """A result as JSON-ready data."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    if isinstance(result, list):
        return [data(item) for item in result]
    return result
