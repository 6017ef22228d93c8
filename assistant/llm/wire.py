"""The chat-completions wire format, to and from langchain-core messages.

A complete reply becomes one `AIMessage` with parsed `tool_calls` (arguments that are not JSON go to
`invalid_tool_calls`, so the agent can hand the error back to the model). A stream becomes `AIMessageChunk`s
whose `tool_call_chunks` carry each tool call's pieces by `index`; adding the chunks together (as
langchain-core does) joins the pieces and parses the arguments.

Every field read is checked for its type first: a server that sends a number where text belongs gets a
`Malformed` naming the field, which the client turns into one line about the endpoint, never a traceback.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.messages.tool import InvalidToolCall, ToolCall, tool_call_chunk
from langchain_core.messages.utils import convert_to_openai_messages
from langchain_core.output_parsers.openai_tools import make_invalid_tool_call, parse_tool_call


class Malformed(ValueError):
    """The server sent JSON that is not shaped like a chat completion; `reason` names the field."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
        Malformed: the reply is not shaped like a chat completion.
    """
    choices = _list(data.get("choices"), "choices is not a list")
    if not choices:
        raise Malformed("choices is empty")
    choice = _object(choices[0], "a choice is not an object")
    message = _object(choice.get("message"), "message is not an object")
    tool_calls, invalid = [], []
    for raw in _list(message.get("tool_calls"), "tool_calls is not a list"):
        raw = _checked_call(raw)
        try:
            parsed = parse_tool_call(raw, return_id=True)
        except OutputParserException as error:
            invalid.append(make_invalid_tool_call(raw, str(error)))
            continue
        if parsed is not None:
            tool_calls.append(parsed)
    return AIMessage(
        content=_text(message.get("content"), "content is not text") or "",
        tool_calls=tool_calls,
        invalid_tool_calls=invalid,
        response_metadata=_metadata(choice, data),
        id=_id(data),
        usage_metadata=usage_from(data),
    )


def reply_as_event(data: dict[str, Any]) -> dict[str, Any]:
    """A complete reply recast as the one streamed event that carries all of it.

    Raises:
        Malformed: the reply is not shaped like a chat completion.
    """
    choices = []
    for choice in _list(data.get("choices"), "choices is not a list"):
        choice = _object(choice, "a choice is not an object")
        delta = dict(_object(choice.get("message"), "message is not an object"))
        calls = _list(delta.get("tool_calls"), "tool_calls is not a list")
        delta["tool_calls"] = [
            {**_object(call, "a tool call is not an object"), "index": i} for i, call in enumerate(calls)
        ]
        choices.append({**choice, "delta": delta})
    return {**data, "choices": choices}


class StreamDecoder:
    """Turns the events of one streamed reply into `AIMessageChunk`s.

    Some servers repeat a tool call's name and id in every piece; langchain-core would concatenate the
    repeats ("searchsearch"), so each is passed on only the first time its index appears. Usage, which some
    servers report cumulatively on every event, is kept and sent once, on the last chunk.
    """

    def __init__(self) -> None:
        self._named: set[int | None] = set()
        self._ids: set[int | None] = set()
        self._usage: UsageMetadata | None = None

    def chunk(self, event: dict[str, Any]) -> AIMessageChunk | None:
        """The chunk one event carries, or None for an event with nothing in it (such as usage alone).

        Raises:
            Malformed: the event is not shaped like a chat-completions chunk.
        """
        self._usage = usage_from(event) or self._usage
        choices = _list(event.get("choices"), "choices is not a list")
        if not choices:
            return None
        choice = _object(choices[0], "a choice is not an object")
        delta = _object(choice.get("delta"), "delta is not an object")
        pieces = [self._piece(call) for call in _list(delta.get("tool_calls"), "tool_calls is not a list")]
        content = _text(delta.get("content"), "content is not text") or ""
        metadata = _metadata(choice, event) if choice.get("finish_reason") else {}
        if not (content or pieces or metadata):
            return None
        return AIMessageChunk(
            content=content, tool_call_chunks=pieces, response_metadata=metadata, id=_id(event)
        )

    def last(self) -> AIMessageChunk:
        """The closing chunk: the usage, if the server gave it."""
        return AIMessageChunk(content="", chunk_position="last", usage_metadata=self._usage)

    def _piece(self, raw: Any) -> Any:
        call = _checked_call(raw)
        index = call.get("index")
        if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
            raise Malformed("tool call index is not a whole number")
        function = call.get("function") or {}
        name = function.get("name") if index not in self._named else None
        call_id = call.get("id") if index not in self._ids else None
        if name:
            self._named.add(index)
        if call_id:
            self._ids.add(index)
        return tool_call_chunk(name=name, args=function.get("arguments") or "", id=call_id, index=index)


def strict_tool_calls(message: AIMessage, chunks: list[Any]) -> AIMessage:
    """`message` with its streamed tool calls parsed strictly from the joined `chunks`, reasons kept.

    langchain-core reads streamed arguments as partial JSON, so "{bad" becomes a call with no arguments and
    "weeks=12" an invalid call with no reason. Each call's joined pieces are parsed here as a whole, so
    arguments that are not a JSON object go to `invalid_tool_calls` with the parser's reason.
    """
    if not chunks:
        return message
    calls: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    for chunk in chunks:
        name, call_id, text = chunk.get("name") or "", chunk.get("id"), chunk.get("args") or ""
        reason = None
        try:
            arguments = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as error:
            reason = f"{error.msg} at character {error.pos}"
        else:
            if not isinstance(arguments, dict):
                reason = "the arguments are not a JSON object"
        if reason is None:
            calls.append(ToolCall(name=name, args=arguments, id=call_id, type="tool_call"))
        else:
            invalid.append(
                InvalidToolCall(name=name, args=text, id=call_id, error=reason, type="invalid_tool_call")
            )
    return message.model_copy(update={"tool_calls": calls, "invalid_tool_calls": invalid})


def usage_from(data: dict[str, Any]) -> UsageMetadata | None:
    """Token counts from a reply or event's `usage`, if it has any.

    Raises:
        Malformed: `usage` is there but is not an object of whole numbers.
    """
    usage = data.get("usage")
    if usage is None:
        return None
    usage = _object(usage, "usage is not an object")
    counts = {name: usage.get(name) for name in ("prompt_tokens", "completion_tokens", "total_tokens")}
    if any(value is not None and (type(value) is not int or value < 0) for value in counts.values()):
        raise Malformed("usage token counts are not whole numbers")
    if counts["prompt_tokens"] is None:
        return None
    given, made = counts["prompt_tokens"], counts["completion_tokens"] or 0
    return UsageMetadata(
        input_tokens=given, output_tokens=made, total_tokens=counts["total_tokens"] or given + made
    )


def _checked_call(raw: Any) -> dict[str, Any]:
    """A tool call with its fields' types checked, and its arguments as text.

    Ollama and a few others send the arguments as a JSON object rather than a string of JSON.
    """
    call = _object(raw, "a tool call is not an object")
    _text(call.get("id"), "tool call id is not text")
    if call.get("function") is None:
        return call
    # Both keys present, as langchain-core's parser reads them by subscript.
    function = {
        "name": None,
        "arguments": None,
        **_object(call["function"], "tool call function is not an object"),
    }
    _text(function["name"], "tool call name is not text")
    if isinstance(function["arguments"], dict):
        function["arguments"] = json.dumps(function["arguments"])
    else:
        _text(function["arguments"], "tool call arguments are not text")
    return {**call, "function": function}


def _metadata(choice: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    model = data.get("model")
    return {
        "finish_reason": _text(choice.get("finish_reason"), "finish_reason is not text"),
        "model_name": model if isinstance(model, str) else None,
    }


def _id(data: dict[str, Any]) -> str | None:
    # The id only labels the message; one that is not text is dropped rather than refused.
    value = data.get("id")
    return value if isinstance(value, str) else None


# Each check takes the reason it gives, written out whole so the message reads as the officer will see it.


def _object(value: Any, reason: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Malformed(reason)
    return value


def _list(value: Any, reason: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(reason)
    return value


def _text(value: Any, reason: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise Malformed(reason)
    return value
