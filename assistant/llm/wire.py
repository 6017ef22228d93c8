"""The chat-completions wire format, to and from langchain-core messages.

A complete reply becomes one `AIMessage` with parsed `tool_calls` (arguments that are not JSON go to
`invalid_tool_calls`, so the agent can hand the error back to the model). A stream becomes `AIMessageChunk`s
whose `tool_call_chunks` carry each tool call's pieces by `index`; adding the chunks together (as
langchain-core does) joins the pieces and parses the arguments.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.messages.utils import convert_to_openai_messages
from langchain_core.output_parsers.openai_tools import make_invalid_tool_call, parse_tool_call


def openai_messages(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    """The messages as chat-completions JSON.

    A tool call whose arguments were not JSON is sent back as the model wrote it: the tool message that
    answers it (with the error) must follow a call with the same id, or the server rejects the conversation.
    """
    converted = []
    for message in messages:
        data = convert_to_openai_messages(message)
        if isinstance(message, AIMessage) and message.invalid_tool_calls:
            data.setdefault("tool_calls", []).extend(
                {
                    "type": "function",
                    "id": call["id"],
                    "function": {"name": call["name"] or "", "arguments": call["args"] or ""},
                }
                for call in message.invalid_tool_calls
                if call.get("id")
            )
        converted.append(data)
    return converted


def message_from_reply(data: dict[str, Any]) -> AIMessage:
    """The `AIMessage` in a complete (not streamed) chat-completions reply.

    Raises:
        KeyError, IndexError, TypeError: the reply is not shaped like a chat completion.
    """
    choice = data["choices"][0]
    message = choice.get("message") or {}
    tool_calls, invalid = [], []
    for raw in message.get("tool_calls") or []:
        raw = _with_text_arguments(raw)
        try:
            parsed = parse_tool_call(raw, return_id=True)
        except OutputParserException as error:
            invalid.append(make_invalid_tool_call(raw, str(error)))
            continue
        if parsed is not None:
            tool_calls.append(parsed)
    return AIMessage(
        content=message.get("content") or "",
        tool_calls=tool_calls,
        invalid_tool_calls=invalid,
        response_metadata=_metadata(choice, data),
        id=data.get("id"),
        usage_metadata=usage_from(data),
    )


class StreamDecoder:
    """Turns the events of one streamed reply into `AIMessageChunk`s.

    Some servers repeat a tool call's name and id in every piece; langchain-core would concatenate the
    repeats ("searchsearch"), so each is passed on only the first time its index appears. Usage, which some
    servers report cumulatively on every event, is kept and sent once, on the last chunk.
    """

    def __init__(self) -> None:
        self._named: set[Any] = set()
        self._ids: set[Any] = set()
        self._usage: UsageMetadata | None = None

    def chunk(self, event: dict[str, Any]) -> AIMessageChunk | None:
        """The chunk one event carries, or None for an event with nothing in it (such as usage alone)."""
        self._usage = usage_from(event) or self._usage
        choices = event.get("choices") or []
        if not choices:
            return None
        choice = choices[0]
        delta = choice.get("delta") or {}
        pieces = [self._piece(call) for call in delta.get("tool_calls") or []]
        content = delta.get("content") or ""
        metadata = _metadata(choice, event) if choice.get("finish_reason") else {}
        if not (content or pieces or metadata):
            return None
        return AIMessageChunk(
            content=content, tool_call_chunks=pieces, response_metadata=metadata, id=event.get("id")
        )

    def last(self) -> AIMessageChunk:
        """The closing chunk: the usage, if the server gave it."""
        return AIMessageChunk(content="", chunk_position="last", usage_metadata=self._usage)

    def _piece(self, call: dict[str, Any]) -> Any:
        index = call.get("index")
        function = _with_text_arguments(call).get("function") or {}
        name = function.get("name") if index not in self._named else None
        call_id = call.get("id") if index not in self._ids else None
        if name:
            self._named.add(index)
        if call_id:
            self._ids.add(index)
        return tool_call_chunk(name=name, args=function.get("arguments") or "", id=call_id, index=index)


def usage_from(data: dict[str, Any]) -> UsageMetadata | None:
    """Token counts from a reply or event's `usage`, if it has any."""
    usage = data.get("usage")
    if not isinstance(usage, dict) or "prompt_tokens" not in usage:
        return None
    given = int(usage.get("prompt_tokens") or 0)
    made = int(usage.get("completion_tokens") or 0)
    return UsageMetadata(
        input_tokens=given, output_tokens=made, total_tokens=int(usage.get("total_tokens") or given + made)
    )


def _metadata(choice: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    return {"finish_reason": choice.get("finish_reason"), "model_name": data.get("model")}


def _with_text_arguments(call: dict[str, Any]) -> dict[str, Any]:
    # Ollama and a few others send the arguments as a JSON object rather than a string of JSON.
    function = call.get("function") or {}
    if isinstance(function.get("arguments"), dict):
        return {**call, "function": {**function, "arguments": json.dumps(function["arguments"])}}
    return call
