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
    """A tool call and what became of it: "ok", "failed" (with the reason) or "not run" (and why)."""

    name: str
    arguments: dict[str, Any]
    status: str = "ok"
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "arguments": self.arguments, "status": self.status}
        if self.error:
            data["error"] = self.error
        return data


@dataclass
class TurnResult:
    """One finished turn: the answer (ending with its sources), the sources, the tools called, how the
    answer ended and the figures in it that nothing the turn saw supports."""

    question: str
    answer: str
    sources: list[Source] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    finish_reason: str | None = None
    unsupported: list[str] = field(default_factory=list)

    @property
    def grounded(self) -> bool:
        return not self.unsupported

    def to_json(self) -> dict[str, Any]:
        """The `commission ask --json` shape, with a model or offline."""
        data: dict[str, Any] = {
            "answer": self.answer,
            "sources": [source.citation | {"label": source.label} for source in self.sources],
            "tool_calls": [call.to_json() for call in self.tool_calls],
            "finish_reason": self.finish_reason,
            "grounded": self.grounded,
        }
        if self.unsupported:
            data["unsupported"] = self.unsupported
        return data


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
