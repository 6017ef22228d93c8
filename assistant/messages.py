"""Conversation messages as plain records (for the transcript) and back (to resume a conversation).

A record is a small JSON object: ``{"type": "message", "role": "user"|"assistant"|"tool", "content": ...}``
with ``tool_calls`` on an assistant message that asked for tools and ``tool_call_id``/``name``/``status``
on a tool's answer. ``{"type": "stopped"}`` marks a turn the officer stopped: on resume its tool calls are
dropped, as the agent dropped them, and the question and what was said are kept.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

STOPPED = "(Answer stopped before it was finished.)"
INTERRUPTED = "(The answer to this question was interrupted and not saved.)"


def record_of(message: BaseMessage) -> dict[str, Any]:
    """The transcript record of one message."""
    record: dict[str, Any] = {"type": "message", "content": message.text}
    if isinstance(message, HumanMessage):
        record["role"] = "user"
    elif isinstance(message, ToolMessage):
        record |= {"role": "tool", "tool_call_id": message.tool_call_id, "name": message.name}
        record["status"] = message.status
    elif isinstance(message, AIMessage):
        record["role"] = "assistant"
        if message.tool_calls:
            record["tool_calls"] = [
                {"id": call.get("id"), "name": call["name"], "args": call["args"]}
                for call in message.tool_calls
            ]
    else:
        record["role"] = "system"
    return record


def messages_from_records(records: list[dict[str, Any]]) -> list[BaseMessage]:
    """The conversation the records describe, ready to send to a model again."""
    messages: list[BaseMessage] = []
    for record in records:
        if record.get("type") == "stopped":
            del messages[_last_question(messages) + 1 :]
        elif record.get("type") == "message":
            message = _message(record)
            if message is not None:
                messages.append(message)
    return _repair(messages)


def _message(record: dict[str, Any]) -> BaseMessage | None:
    content, role = str(record.get("content", "")), record.get("role")
    if role == "user":
        return HumanMessage(content)
    if role == "assistant":
        calls = [
            {"id": call.get("id"), "name": call["name"], "args": call.get("args") or {}, "type": "tool_call"}
            for call in record.get("tool_calls") or []
        ]
        return AIMessage(content, tool_calls=calls)
    if role == "tool":
        status = "error" if record.get("status") == "error" else "success"
        return ToolMessage(
            content, tool_call_id=record.get("tool_call_id") or "", name=record.get("name"), status=status
        )
    return None


def _last_question(messages: list[BaseMessage]) -> int:
    return max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)


def _repair(messages: list[BaseMessage]) -> list[BaseMessage]:
    """A conversation cut off mid-turn (a crash) keeps its question and loses its unanswered tool calls."""
    if not messages:
        return messages
    last = messages[-1]
    finished = isinstance(last, AIMessage) and not last.tool_calls
    if finished:
        return messages
    question = _last_question(messages)
    if question < 0:
        return []
    return [*messages[: question + 1], AIMessage(INTERRUPTED)]
