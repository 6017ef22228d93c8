"""A hostile or broken model endpoint (respx at the HTTP boundary): every failure is one line, none hangs.

A server may keep a reply open for ever with keep-alive comments, send a gzip bomb or a line that never
ends, ask for hundreds of tool calls at once, or send JSON of the wrong shape. Each is refused with one
line saying whose fault it is and what to check, within bounded time and memory.
"""

from __future__ import annotations

import json
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from langchain_core.messages import ToolMessage

from assistant.agent import MAX_TOOL_CALLS_PER_ROUND, Agent
from assistant.errors import ModelError
from assistant.events import Event, Notice, ToolStarted
from assistant.llm import ChatClient, CommissionChatModel, make_chat_model
from assistant.llm.endpoint import endpoint_from_settings
from assistant.llm.limits import MAX_LINE_CHARS, MAX_REPLY_BYTES
from assistant.toolkit import get_tools
from assistant.toolspec import spec_for
from tests.test_agent import add_weeks
from tests.test_llm_client import KEY, URL, delta, settings, sse

MALFORMED = (
    "The model endpoint sent a malformed {what} ({reason}); check COMMISSION_LLM_BASE_URL points at an "
)
MALFORMED += "OpenAI-compatible server"


def streaming(*, clock: Any = time.monotonic, **overrides: Any) -> CommissionChatModel:
    """A streaming chat model on the test endpoint, its deadline measured by `clock`."""
    values = settings(**overrides)
    endpoint = endpoint_from_settings(values)
    assert endpoint is not None
    client = ChatClient(
        endpoint,
        first_token_timeout=values.llm_first_token_timeout,
        deadline=values.llm_deadline,
        max_retries=0,
        clock=clock,
    )
    return CommissionChatModel(client=client, streaming=True)


def failure(chat: CommissionChatModel) -> str:
    """The one-line message of the `ModelError` asking `chat` raises; the key is nowhere in it."""
    with pytest.raises(ModelError) as caught:
        chat.invoke("How long is the standstill period?")
    message = str(caught.value)
    assert "\n" not in message
    assert KEY not in message
    return message


def event_stream(chunks: Iterator[bytes], **headers: str) -> httpx.Response:
    class Body(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield from chunks

    return httpx.Response(200, headers={"content-type": "text/event-stream", **headers}, stream=Body())


# --- time: an overall deadline that keep-alives cannot reset ----------------------------------------------


def test_keepalives_every_5_s_end_at_the_deadline(respx_mock: respx.MockRouter) -> None:
    now = [0.0]
    sent = [0]

    def keepalives() -> Iterator[bytes]:
        yield b'data: {"choices": [{"index": 0, "delta": {"content": "Thinking"}}]}\n\n'
        for _ in range(1000):  # bounded: the deadline should end it after about 60
            now[0] += 5
            sent[0] += 1
            yield b": keepalive\n\n"

    respx_mock.post(URL).mock(return_value=event_stream(keepalives()))
    message = failure(streaming(clock=lambda: now[0], llm_deadline=300))
    assert message == (
        "The model at https://llm.example/v1 did not finish its answer within 300 s: try again, or raise "
        "COMMISSION_LLM_DEADLINE"
    )
    assert sent[0] == 61


def test_the_deadline_holds_in_real_time(respx_mock: respx.MockRouter) -> None:
    def slow_keepalives() -> Iterator[bytes]:
        for _ in range(200):  # 10 s at most if the deadline failed
            time.sleep(0.05)
            yield b": keepalive\n\n"

    respx_mock.post(URL).mock(return_value=event_stream(slow_keepalives()))
    started = time.monotonic()
    assert "COMMISSION_LLM_DEADLINE" in failure(streaming(llm_deadline=0.3))
    assert time.monotonic() - started < 2


def test_the_deadline_comes_from_the_settings_and_must_be_positive() -> None:
    chat = make_chat_model(settings(llm_deadline=42))
    assert chat is not None
    assert chat.client.deadline == 42
    with pytest.raises(
        Exception, match=r"^COMMISSION_LLM_DEADLINE = 0.0 must be a number of seconds above 0"
    ):
        make_chat_model(settings(llm_deadline=0))


# --- size: bytes counted as they arrive, decompressed in bounded steps ------------------------------------


def gzipped(block: bytes, times: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b"".join([packer.compress(block) for _ in range(times)] + [packer.flush()])


def in_pieces(data: bytes, size: int = 65536) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize("kind", ["text/event-stream", "application/json"])
def test_a_gzip_bomb_is_refused_after_the_cap_in_little_memory(
    respx_mock: respx.MockRouter, kind: str
) -> None:
    line = b": " + b"x" * 1000 + b"\n"
    bomb = gzipped(line * 1000, 20)  # about 20 kB that inflate to 20 MB: the cap, not the size, must stop it
    assert len(bomb) < 50_000
    headers = {"content-type": kind, "content-encoding": "gzip"}
    respx_mock.post(URL).mock(return_value=event_stream(in_pieces(bomb), **headers))
    tracemalloc.start()
    try:
        message = failure(streaming())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message == (
        "The model endpoint at https://llm.example/v1 sent more than 8 MB in one reply; check "
        "COMMISSION_LLM_BASE_URL points at an OpenAI-compatible server"
    )
    assert peak < 2 * MAX_REPLY_BYTES  # inflating the 20 MB at once would not fit


def test_a_gzipped_answer_still_arrives(respx_mock: respx.MockRouter) -> None:
    body = gzipped(sse(delta(content="Eight working days.")).content, 1)
    respx_mock.post(URL).mock(return_value=event_stream(in_pieces(body, 7), **{"content-encoding": "gzip"}))
    assert streaming().invoke("Standstill?").content == "Eight working days."


def test_a_compression_not_asked_for_is_refused(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(
        return_value=event_stream(iter([b"(\xb5/\xfd..."]), **{"content-encoding": "zstd"})
    )
    assert failure(streaming()) == MALFORMED.format(
        what="reply", reason="the body is compressed as 'zstd', not as asked"
    )
    assert respx_mock.calls.last.request.headers["accept-encoding"] == "gzip, deflate"


def test_corrupt_gzip_is_one_line(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(
        return_value=event_stream(iter([b"\x1f\x8b not gzip"]), **{"content-encoding": "gzip"})
    )
    assert failure(streaming()) == MALFORMED.format(what="reply", reason="the body is not valid gzip")


def test_a_line_without_an_end_is_refused_after_the_line_cap(respx_mock: respx.MockRouter) -> None:
    read = [0]

    def endless_line() -> Iterator[bytes]:
        yield b"data: "
        for _ in range(49152):  # 3 GB in 64 kB pieces, were it all read
            read[0] += 1
            yield b"a" * 65536

    respx_mock.post(URL).mock(return_value=event_stream(endless_line()))
    assert failure(streaming()) == MALFORMED.format(
        what="stream", reason=f"a line longer than {MAX_LINE_CHARS:,} characters"
    )
    assert read[0] <= MAX_LINE_CHARS // 65536 + 2


def test_an_error_reply_is_read_only_as_far_as_its_message(respx_mock: respx.MockRouter) -> None:
    pieces = [0]

    def huge_error() -> Iterator[bytes]:
        yield b'{"error": {"message": "bad request'
        for _ in range(10_000):
            pieces[0] += 1
            yield b"!" * 65536

    respx_mock.post(URL).mock(return_value=httpx.Response(400, stream=_Body(huge_error())))
    assert failure(streaming()).startswith("The model endpoint refused the request (HTTP 400): ")
    assert pieces[0] <= 2


class _Body(httpx.SyncByteStream):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks


# --- tool calls: at most MAX_TOOL_CALLS_PER_ROUND of one reply are run --------------------------------------


def test_300_tool_calls_in_one_round_run_only_the_first_five(respx_mock: respx.MockRouter) -> None:
    calls = [
        {
            "index": i,
            "id": f"call_{i}",
            "type": "function",
            "function": {"name": "add_weeks", "arguments": json.dumps({"weeks": 1 + i % 52})},
        }
        for i in range(300)
    ]
    route = respx_mock.post(URL)
    route.side_effect = [sse(delta(tool_calls=calls)), sse(delta(content="Done."))]
    agent = Agent(streaming(), get_tools([spec_for(add_weeks)]))
    events: list[Event] = []
    result = agent.ask("Add up the weeks", on_event=events.append)

    started = [event for event in events if isinstance(event, ToolStarted)]
    assert len(started) == MAX_TOOL_CALLS_PER_ROUND == 5
    assert any(isinstance(e, Notice) and "asked for 300 tool calls" in e.text for e in events)
    assert result.answer.startswith("Done.")
    replies = [m for m in agent.messages if isinstance(m, ToolMessage)]
    assert [m.tool_call_id for m in replies] == [f"call_{i}" for i in range(5)]
    assert str(replies[-1].content).endswith(
        "Note: only the first 5 tool calls of a round are run; call again for more."
    )
    sent = json.loads(route.calls.last.request.content)["messages"]
    assert len(sent[-6]["tool_calls"]) == 5  # the model's turn as sent back matches the tool messages


# --- shapes: each wrong one is a line naming the field, not a traceback ----------------------------------


def tool_piece(**fields: Any) -> dict[str, Any]:
    """One streamed tool-call piece, with `fields` (and `function`'s fields) replaced."""
    function = {"name": "search", "arguments": "", **fields.pop("function", {})}
    call = {"index": 0, "id": "call_a", "type": "function", **fields, "function": function}
    return delta(tool_calls=[call])


SHAPES: dict[str, tuple[dict[str, Any] | str, str]] = {
    "content-integer": (delta(content=5), "content is not text"),
    "content-object": (delta(content={"text": "hi"}), "content is not text"),
    "usage-words": (
        {"choices": [], "usage": {"prompt_tokens": "lots"}},
        "usage token counts are not whole numbers",
    ),
    "usage-negative": (
        {"choices": [], "usage": {"prompt_tokens": -1}},
        "usage token counts are not whole numbers",
    ),
    "usage-array": ({"choices": [], "usage": [1, 2]}, "usage is not an object"),
    "tool-name-integer": (tool_piece(function={"name": 7}), "tool call name is not text"),
    "tool-index-string": (tool_piece(index="0"), "tool call index is not a whole number"),
    "tool-index-bool": (tool_piece(index=True), "tool call index is not a whole number"),
    "tool-id-number": (tool_piece(id=12), "tool call id is not text"),
    "tool-arguments-number": (tool_piece(function={"arguments": 3}), "tool call arguments are not text"),
    "tool-function-text": (
        delta(tool_calls=[{"index": 0, "id": "call_a", "function": "search"}]),
        "tool call function is not an object",
    ),
    "tool-calls-object": (delta(tool_calls={"index": 0}), "tool_calls is not a list"),
    "tool-call-text": (delta(tool_calls=["search"]), "a tool call is not an object"),
    "choices-object": ({"choices": {"0": {}}}, "choices is not a list"),
    "choice-text": ({"choices": ["hello"]}, "a choice is not an object"),
    "delta-array": ({"choices": [{"index": 0, "delta": []}]}, "delta is not an object"),
    "finish-reason-number": (
        {"choices": [{"index": 0, "delta": {}, "finish_reason": 1}]},
        "finish_reason is not text",
    ),
    "not-json": ("{not json", "an event is not JSON"),
    "array-event": ("[1, 2, 3]", "an event is not a JSON object"),
    "string-event": ('"hello"', "an event is not a JSON object"),
    "number-event": ("42", "an event is not a JSON object"),
}


@pytest.mark.parametrize(("event", "reason"), SHAPES.values(), ids=SHAPES.keys())
def test_a_malformed_stream_is_one_line_naming_the_field(
    respx_mock: respx.MockRouter, event: dict[str, Any] | str, reason: str
) -> None:
    respx_mock.post(URL).mock(return_value=sse(delta(content="Part of an answer"), event))
    assert failure(streaming()) == MALFORMED.format(what="stream", reason=reason)


REPLIES: dict[str, tuple[dict[str, Any], str]] = {
    "content-integer": ({"choices": [{"message": {"content": 5}}]}, "content is not text"),
    "message-array": ({"choices": [{"message": ["hi"]}]}, "message is not an object"),
    "tool-name-integer": (
        {"choices": [{"message": {"tool_calls": [{"id": "a", "function": {"name": 1, "arguments": "{}"}}]}}]},
        "tool call name is not text",
    ),
    "usage-words": (
        {"choices": [{"message": {"content": "hi"}}], "usage": {"prompt_tokens": "many"}},
        "usage token counts are not whole numbers",
    ),
    "choices-text": ({"choices": "all of them"}, "choices is not a list"),
}


@pytest.mark.parametrize(("body", "reason"), REPLIES.values(), ids=REPLIES.keys())
@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream-ignored"])
def test_a_malformed_whole_reply_is_one_line(
    respx_mock: respx.MockRouter, body: dict[str, Any], reason: str, stream: bool
) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(200, json=body))
    chat = streaming()
    chat = chat if stream else CommissionChatModel(client=chat.client)
    # A reply sent whole to a streaming request is read as a stream of one event, and may be called either.
    shown = {MALFORMED.format(what=what, reason=reason) for what in ("reply", "stream")}
    assert failure(chat) in shown


def test_a_null_error_field_is_not_a_failure(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(return_value=sse({**delta(content="Fine."), "error": None}))
    assert streaming().invoke("hi").content == "Fine."


def test_usage_given_as_null_on_each_event_is_ignored(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(
        return_value=sse(
            {**delta(content="Eight days."), "usage": None},
            {"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}},
        )
    )
    answer = streaming().invoke("hi")
    assert answer.usage_metadata == {"input_tokens": 3, "output_tokens": 2, "total_tokens": 5}


@pytest.mark.parametrize(
    "call",
    [
        pytest.param({"id": "a", "function": {"name": "search"}}, id="no-arguments"),
        pytest.param({"id": "a", "function": {"arguments": "{}"}}, id="no-name"),
        pytest.param({"id": "a"}, id="no-function"),
    ],
)
def test_a_tool_call_missing_a_field_is_no_traceback(
    respx_mock: respx.MockRouter, call: dict[str, Any]
) -> None:
    respx_mock.post(URL).mock(
        return_value=httpx.Response(200, json={"choices": [{"message": {"tool_calls": [call]}}]})
    )
    chat = CommissionChatModel(client=streaming().client)
    answer = chat.invoke("hi")
    assert len(answer.tool_calls) <= 1
