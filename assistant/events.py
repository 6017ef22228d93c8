"""What one turn of the agent produces, as it happens: the events the chat shows, and the result.

Plain dataclasses with no langchain import, so the chat and the CLI can use them cheaply::

    ToolStarted -> ToolFinished   each tool call, with its arguments and a one-line summary of its result
    AnswerDelta                   a piece of the answer as it streams in
    Notice                        something the officer should know (the tool-round limit was reached)
    TurnFinished                  the end: the answer with its Sources, the sources and the tools called
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from assistant.citations import Source


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]


@dataclass
class TurnResult:
    """One finished turn: the answer (ending with its sources), the sources and the tools called."""

    question: str
    answer: str
    sources: list[Source] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The `commission ask --json` shape."""
        return {
            "answer": self.answer,
            "sources": [source.citation | {"label": source.label} for source in self.sources],
            "tool_calls": [{"name": call.name, "arguments": call.arguments} for call in self.tool_calls],
        }


@dataclass(frozen=True)
class ToolStarted:
    name: str
    arguments: dict[str, Any]

    def brief(self, width: int = 48) -> str:
        """`plan_timeline(route='pcr-open', go_live='2027-04-01')`, each value cut to fit."""
        shown = ", ".join(f"{key}={short(value, width)}" for key, value in self.arguments.items())
        return f"{self.name}({shown})"


@dataclass(frozen=True)
class ToolFinished:
    name: str
    summary: str
    ok: bool


@dataclass(frozen=True)
class AnswerDelta:
    text: str


@dataclass(frozen=True)
class Notice:
    text: str


@dataclass(frozen=True)
class TurnFinished:
    result: TurnResult


Event = ToolStarted | ToolFinished | AnswerDelta | Notice | TurnFinished


def short(value: Any, width: int) -> str:
    """A value on one line, cut to `width` characters; strings quoted."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    text = text if len(text) <= width else text[: width - 1] + "…"
    return repr(text) if isinstance(value, str) else text
