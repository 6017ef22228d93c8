"""A scripted chat model for tests and benchmarks: each call returns the next scripted message.

It behaves as the real client does where the agent can tell: `bind_tools` works, answers stream word by
word, and tool calls arrive as `tool_call_chunks` whose JSON arguments come in pieces. It records what
it was sent, so a test can check what the model saw (the tool messages, the system prompt).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field


class ScriptedChatModel(GenericFakeChatModel):
    """Returns the scripted messages in order; `delay` seconds between streamed pieces."""

    sent: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[str] = Field(default_factory=list)
    delay: float = 0.0
    failure: Exception | None = None

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        self.bound_tools = [getattr(tool, "name", str(tool)) for tool in tools]
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.sent.append(list(messages))
        message = next(self.messages, None)
        if message is None:
            raise self.failure or AssertionError("the scripted model has no more turns")
        message = AIMessage(content=message) if isinstance(message, str) else message
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        message = self._generate(messages).generations[0].message
        assert isinstance(message, AIMessage)
        for word in str(message.content).split(" ") if message.content else []:
            time.sleep(self.delay)
            yield ChatGenerationChunk(message=AIMessageChunk(content=word + " "))
        for index, call in enumerate(_raw_calls(message)):
            for piece_number, piece in enumerate(_pieces(call["args"])):
                first = piece_number == 0
                chunk = tool_call_chunk(
                    name=call["name"] if first else None,
                    id=call["id"] if first else None,
                    args=piece,
                    index=index,
                )
                yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=[chunk]))


def _raw_calls(message: AIMessage) -> list[dict[str, Any]]:
    calls = [{"name": c["name"], "id": c["id"], "args": json.dumps(c["args"])} for c in message.tool_calls]
    calls += [{"name": c["name"], "id": c["id"], "args": c["args"] or ""} for c in message.invalid_tool_calls]
    return calls


def _pieces(text: str) -> list[str]:
    """JSON arguments cut into pieces of eight characters, as a streaming endpoint sends them."""
    return [text[i : i + 8] for i in range(0, len(text), 8)] or [""]


def call(name: str, arguments: dict[str, Any] | None = None, *, id: str = "call-1") -> AIMessage:
    """A scripted turn in which the model calls one tool."""
    return AIMessage("", tool_calls=[{"name": name, "args": arguments or {}, "id": id, "type": "tool_call"}])


def unreadable_call(name: str, raw: str, *, id: str = "call-bad") -> AIMessage:
    """A scripted turn whose tool-call arguments are not valid JSON."""
    bad = {"name": name, "args": raw, "id": id, "error": None, "type": "invalid_tool_call"}
    return AIMessage("", invalid_tool_calls=[bad])


def scripted(
    *turns: AIMessage | str, delay: float = 0.0, failure: Exception | None = None
) -> ScriptedChatModel:
    """A model that plays `turns` in order, then raises `failure`."""
    return ScriptedChatModel(messages=iter(turns), delay=delay, failure=failure)
