"""The model client at the HTTP boundary (respx): retries, timeouts and the one-line errors officers see.

Every failing case also checks that the API key appears in neither the message nor the repr of the error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

from assistant.config import Settings
from assistant.errors import ModelError
from assistant.llm import CommissionChatModel, ContextLengthError, make_chat_model
from assistant.llm.client import retry_after_seconds
from assistant.llm.sse import iter_sse_data

KEY = "sk-test-SECRET-0123456789abcdef"
BASE = "https://llm.example/v1"
URL = f"{BASE}/chat/completions"


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"llm_base_url": BASE, "llm_model": "gpt-test", "llm_api_key": KEY}
    return Settings(**{**values, **overrides})


def model(
    sleeps: list[float] | None = None, *, streaming: bool = False, **overrides: Any
) -> CommissionChatModel:
    """A chat model on the test endpoint; `sleeps` records each wait instead of waiting."""
    chat = make_chat_model(settings(**overrides), sleep=(sleeps if sleeps is not None else []).append)
    assert chat is not None
    return chat if streaming else CommissionChatModel(client=chat.client, temperature=chat.temperature)


def reply(content: str | None = "Hello", **extra: Any) -> dict[str, Any]:
    message = {"role": "assistant", "content": content, **extra}
    return {
        "id": "chatcmpl-1",
        "model": "gpt-test",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
    }


def sse(*events: dict[str, Any] | str) -> httpx.Response:
    """A streamed reply: each event as a `data:` line, then `[DONE]`."""
    lines = [f"data: {e if isinstance(e, str) else json.dumps(e)}\n\n" for e in (*events, "[DONE]")]
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content="".join(lines).encode())


def delta(**fields: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "model": "gpt-test",
        "choices": [{"index": 0, "delta": fields, "finish_reason": None}],
    }


def error_of(chat: CommissionChatModel, error: type[Exception] = ModelError) -> str:
    """The message of the error `chat.invoke` raises, after checking the key is nowhere in it."""
    with pytest.raises(error) as caught:
        chat.invoke("How long is the standstill period?")
    assert KEY not in str(caught.value)
    assert KEY not in repr(caught.value)
    assert "\n" not in str(caught.value)
    return str(caught.value)


# --- retries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "waited"),
    [
        pytest.param({"Retry-After": "7"}, 7.0, id="retry-after-seconds"),
        pytest.param({"retry-after-ms": "1500"}, 1.5, id="retry-after-ms"),
        pytest.param({}, 0.5, id="no-header-backoff"),
    ],
)
def test_429_then_success_waits_as_asked(respx_mock: respx.MockRouter, headers: dict, waited: float) -> None:
    route = respx_mock.post(URL).mock(
        side_effect=[
            httpx.Response(429, headers=headers, json={"error": {"message": "slow down"}}),
            httpx.Response(200, json=reply()),
        ]
    )
    sleeps: list[float] = []
    assert model(sleeps).invoke("hi").content == "Hello"
    assert sleeps == [waited]
    assert route.call_count == 2


def test_retry_after_as_http_date() -> None:
    now = datetime(2025, 9, 3, 12, 0, 0, tzinfo=UTC)
    headers = httpx.Headers({"Retry-After": "Wed, 03 Sep 2025 12:00:20 GMT"})
    assert retry_after_seconds(headers, now=now) == 20.0
    assert (
        retry_after_seconds(httpx.Headers({"Retry-After": "Wed, 03 Sep 2025 11:00:00 GMT"}), now=now) == 0.0
    )
    assert retry_after_seconds(httpx.Headers({"Retry-After": "soon"}), now=now) is None


def test_retry_after_too_long_is_not_waited_for(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(429, headers={"Retry-After": "3600"}))
    sleeps: list[float] = []
    assert "asks us to wait 3600 s" in error_of(model(sleeps))
    assert sleeps == []


def test_persistent_500_gives_up_after_the_retries(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(URL).mock(
        return_value=httpx.Response(500, json={"error": {"message": "overloaded"}})
    )
    sleeps: list[float] = []
    message = error_of(model(sleeps, llm_max_retries=3))
    assert message == (
        f"The model endpoint at {BASE} failed with HTTP 500 after 3 retries: overloaded; try again later"
    )
    assert route.call_count == 4
    assert sleeps == [0.5, 1.0, 2.0]


def test_5xx_before_a_stream_is_retried(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(side_effect=[httpx.Response(503), sse(delta(content="Ready"))])
    sleeps: list[float] = []
    assert "".join(str(c.content) for c in model(sleeps, streaming=True).stream("hi")) == "Ready"
    assert sleeps == [0.5]


def test_quota_exhausted_is_not_retried(respx_mock: respx.MockRouter) -> None:
    body = {"error": {"code": "insufficient_quota", "message": "You exceeded your current quota"}}
    route = respx_mock.post(URL).mock(return_value=httpx.Response(429, json=body))
    assert "COMMISSION_LLM_API_KEY has run out of quota" in error_of(model())
    assert route.call_count == 1


def test_connection_error_then_success(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(
        side_effect=[httpx.ConnectError("Connection refused"), httpx.Response(200, json=reply())]
    )
    sleeps: list[float] = []
    assert model(sleeps).invoke("hi").content == "Hello"
    assert sleeps == [0.5]


def test_endpoint_not_running_names_the_base_url(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(side_effect=httpx.ConnectError("[Errno 111] Connection refused"))
    message = error_of(model(llm_max_retries=1))
    assert message == (
        f"Could not connect to the model endpoint at {BASE} ([Errno 111] Connection refused): "
        f"check COMMISSION_LLM_BASE_URL = {BASE} and that the server is running"
    )


# --- timeouts ----------------------------------------------------------------------------------


def test_first_token_timeout_is_reported_not_retried(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(URL).mock(side_effect=httpx.ReadTimeout("timed out"))
    message = error_of(model(llm_first_token_timeout=45))
    assert "sent nothing for 45 s" in message
    assert "COMMISSION_LLM_FIRST_TOKEN_TIMEOUT" in message
    assert route.call_count == 1


def test_connect_timeout_is_retried_then_reported(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(URL).mock(side_effect=httpx.ConnectTimeout("timed out"))
    message = error_of(model(llm_max_retries=2, llm_connect_timeout=5))
    assert "within 5 s" in message
    assert "COMMISSION_LLM_CONNECT_TIMEOUT" in message
    assert route.call_count == 3


def test_timeouts_reach_httpx() -> None:
    chat = model(llm_connect_timeout=4, llm_first_token_timeout=30)
    timeout = chat.client._http.timeout
    assert (timeout.connect, timeout.read) == (4, 30)


def test_a_stall_mid_stream_is_reported(respx_mock: respx.MockRouter) -> None:
    class Stalls(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b'data: {"choices": [{"index": 0, "delta": {"content": "Part"}}]}\n\n'
            raise httpx.ReadTimeout("timed out")

    respx_mock.post(URL).mock(
        return_value=httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=Stalls())
    )
    chunks = model(streaming=True).stream("hi")
    assert next(chunks).content == "Part"
    with pytest.raises(ModelError, match="COMMISSION_LLM_FIRST_TOKEN_TIMEOUT"):
        next(chunks)


# --- errors that name what to fix --------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_refused_key_names_the_variable(respx_mock: respx.MockRouter, status: int) -> None:
    body = {"error": {"message": f"Incorrect API key provided: {KEY}", "code": "invalid_api_key"}}
    route = respx_mock.post(URL).mock(return_value=httpx.Response(status, json=body))
    assert error_of(model()) == (
        f"The model endpoint refused the API key (HTTP {status}): check COMMISSION_LLM_API_KEY"
    )
    assert route.call_count == 1


UNKNOWN_MODEL_BODIES = {
    "openai": (404, {"error": {"message": "The model `gpt-test` does not exist", "code": "model_not_found"}}),
    "ollama": (
        404,
        {"error": {"message": 'model "gpt-test" not found, try pulling it first', "type": "api_error"}},
    ),
    "vllm-flat": (404, {"object": "error", "message": "The model `gpt-test` does not exist.", "code": 404}),
    "bad-request": (400, {"error": "model 'gpt-test' not found"}),
}


@pytest.mark.parametrize(("status", "body"), UNKNOWN_MODEL_BODIES.values(), ids=UNKNOWN_MODEL_BODIES.keys())
def test_unknown_model_names_the_variable_and_value(
    respx_mock: respx.MockRouter, status: int, body: dict
) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(status, json=body))
    assert error_of(model()).startswith(
        "The endpoint has no model called 'gpt-test': check COMMISSION_LLM_MODEL ("
    )


def test_wrong_path_names_the_base_url(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(404, text="404 page not found"))
    assert error_of(model()) == (
        f"Nothing answers at {URL} (HTTP 404): check COMMISSION_LLM_BASE_URL = {BASE} "
        "(for OpenAI-compatible servers it usually ends in /v1)"
    )


CONTEXT_BODIES = {
    "openai": {
        "error": {
            "message": "This model's maximum context length is 8192 tokens.",
            "code": "context_length_exceeded",
        }
    },
    "llama.cpp": {"error": {"code": 400, "message": "request too big", "type": "exceed_context_size_error"}},
    "vllm-flat": {
        "object": "error",
        "message": "This model's maximum context length is 4096 tokens.",
        "code": 400,
    },
}


@pytest.mark.parametrize("body", CONTEXT_BODIES.values(), ids=CONTEXT_BODIES.keys())
def test_context_length_says_start_a_new_conversation(respx_mock: respx.MockRouter, body: dict) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(400, json=body))
    assert "too long for the model's context window: set COMMISSION_LLM_CONTEXT" in error_of(
        model(), ContextLengthError
    )


def test_context_length_reported_mid_stream(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(
        return_value=sse({"error": {"code": "context_length_exceeded", "message": "too long"}})
    )
    with pytest.raises(ContextLengthError):
        model(streaming=True).invoke("hi")


MALFORMED = {
    "not-json": httpx.Response(
        200, text="<html>Welcome to nginx</html>", headers={"content-type": "text/html"}
    ),
    "json-without-choices": httpx.Response(200, json={"status": "ok"}),
    "choices-empty": httpx.Response(200, json={"choices": []}),
    "truncated-json": httpx.Response(
        200, text='{"choices": [{"message": ', headers={"content-type": "application/json"}
    ),
}


@pytest.mark.parametrize("response", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_reply_is_one_clear_error(respx_mock: respx.MockRouter, response: httpx.Response) -> None:
    respx_mock.post(URL).mock(return_value=response)
    message = error_of(model())
    assert "sent a reply that is not chat-completions JSON" in message or "sent a malformed reply" in message
    assert "check COMMISSION_LLM_BASE_URL points at an OpenAI-compatible" in message


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(sse("{not json"), id="bad-event"),
        pytest.param(MALFORMED["not-json"], id="web-page-instead-of-stream"),
    ],
)
def test_malformed_stream_is_one_clear_error(respx_mock: respx.MockRouter, response: httpx.Response) -> None:
    respx_mock.post(URL).mock(return_value=response)
    assert "COMMISSION_LLM_BASE_URL points at an OpenAI-compatible" in error_of(model(streaming=True))


def test_other_refusals_repeat_the_server_without_the_key(respx_mock: respx.MockRouter) -> None:
    body = {"error": {"message": f"Invalid value for 'temperature' (key {KEY})", "code": "invalid_value"}}
    respx_mock.post(URL).mock(return_value=httpx.Response(400, json=body))
    assert error_of(model()) == (
        "The model endpoint refused the request (HTTP 400): Invalid value for 'temperature' (key **********)"
    )


def test_the_key_is_in_no_repr_or_log(respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture) -> None:
    respx_mock.post(URL).mock(side_effect=[httpx.Response(502), httpx.Response(200, json=reply())])
    chat = model(streaming=True)
    with caplog.at_level(logging.DEBUG):
        chat.invoke("hi")
    assert respx_mock.calls.last.request.headers["authorization"] == f"Bearer {KEY}"
    for text in (
        repr(chat),
        str(chat),
        repr(chat.client),
        repr(chat.client.endpoint),
        chat.model_dump_json(),
        caplog.text,
    ):
        assert KEY not in text
    assert "retrying in 0.5 s" in caplog.text


# --- server-sent events ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["data: a", "", "data: b", "", "data: [DONE]", "", "data: after"], ["a", "b"], id="done-ends"
        ),
        pytest.param([": keep-alive", "", "data: a", ""], ["a"], id="comments-skipped"),
        pytest.param(["event: message", "id: 1", "data: a", ""], ["a"], id="other-fields-ignored"),
        pytest.param(["data: {", "data: }", ""], ["{\n}"], id="multi-line-data"),
        pytest.param(["data:a", ""], ["a"], id="no-space-after-colon"),
        pytest.param(["data: a"], ["a"], id="no-final-blank-line"),
    ],
)
def test_sse_parsing(lines: list[str], expected: list[str]) -> None:
    assert list(iter_sse_data(lines)) == expected
