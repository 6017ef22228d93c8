"""What went wrong with the model endpoint, in one line that says what to fix.

Servers word their errors differently (OpenAI and Azure send `{"error": {"code", "message"}}`, vLLM a flat
`{"message", "type"}`, Ollama sometimes `{"error": "..."}`, a misrouted proxy plain text or HTML), so each
failure is classified from the status, the code and the wording together. Anything a server sends back is
passed through `Endpoint.redact` before it is repeated, so the key cannot leak through an echo, and a URL
is only ever shown as `Endpoint.shown_url`, without credentials. A reply the client refuses (too slow, too
big, or not shaped like a chat completion) is the endpoint's fault and says which setting to check.
"""

from __future__ import annotations

import json
import re

import httpx

from assistant.errors import ModelError
from assistant.llm.endpoint import (
    API_KEY_VAR,
    API_VERSION_VAR,
    BASE_URL_VAR,
    DEADLINE_VAR,
    MODEL_VAR,
    Endpoint,
)

_CONTEXT_CODES = {"context_length_exceeded", "exceed_context_size_error", "string_above_max_length"}
_CONTEXT_WORDS = re.compile(
    r"context (length|size|window)|maximum context|too many tokens|prompt is too long", re.I
)
_MODEL_CODES = {"model_not_found", "deploymentnotfound"}
_MODEL_WORDS = re.compile(
    r"\b(model|deployment)\b.*\b(not found|does not exist|not exist|unknown|no such)", re.I
)


class ContextLengthError(ModelError):
    """The conversation no longer fits the model's context window."""


def error_details(body: str) -> tuple[set[str], str]:
    """The error's code and type (lower case) and its message, from an error body in any common shape."""
    try:
        data = json.loads(body)
    except ValueError:
        return set(), body
    error = data.get("error", data) if isinstance(data, dict) else data
    if isinstance(error, str):
        return set(), error
    if not isinstance(error, dict):
        return set(), body
    kinds = {str(error[field]).lower() for field in ("code", "type") if error.get(field)}
    return kinds, str(error.get("message") or body)


def error_for_status(status: int, body: str, endpoint: Endpoint, *, retries: int = 0) -> ModelError:
    """The `ModelError` for an HTTP error reply."""
    kinds, message = error_details(body)
    detail = _one_line(endpoint.redact(message))
    if status in (401, 403):
        return ModelError(_refused_key(status, endpoint))
    if _is_context_length(kinds, message):
        return _too_long()
    if kinds & _MODEL_CODES or (status in (400, 404) and _MODEL_WORDS.search(message)):
        what = "deployment" if endpoint.provider == "azure" else "model"
        return ModelError(
            f"The endpoint has no {what} called {endpoint.model!r}: check {MODEL_VAR} ({detail})"
        )
    if status == 404:
        return ModelError(_not_there(endpoint))
    if "content_filter" in kinds:
        return ModelError(f"The endpoint's content filter refused this request: rephrase it ({detail})")
    if status == 429 and "insufficient_quota" in kinds:
        return ModelError(f"The account behind {API_KEY_VAR} has run out of quota (HTTP 429): {detail}")
    after = f" after {retries} {'retry' if retries == 1 else 'retries'}" if retries else ""
    if status == 429:
        return ModelError(
            f"The model endpoint is still limiting requests (HTTP 429){after}: wait and try again"
        )
    if status >= 500:
        return ModelError(
            f"The model endpoint at {endpoint.shown_url} failed with HTTP {status}{after}: {detail}; "
            "try again later"
        )
    return ModelError(f"The model endpoint refused the request (HTTP {status}): {detail}")


def error_for_stream_event(payload: str, endpoint: Endpoint) -> ModelError:
    """The `ModelError` for an error the server reports in the middle of a streamed answer."""
    kinds, message = error_details(payload)
    if _is_context_length(kinds, message):
        return _too_long()
    return ModelError(f"The model endpoint failed while answering: {_one_line(endpoint.redact(message))}")


def error_for_transport(
    error: httpx.TransportError, endpoint: Endpoint, *, connect_timeout: float, first_token_timeout: float
) -> ModelError:
    """The `ModelError` for a request that got no HTTP reply at all."""
    where = endpoint.shown_url
    if isinstance(error, httpx.ConnectTimeout):
        return ModelError(
            f"Could not connect to the model endpoint at {where} within {connect_timeout:g} s: check "
            f"{BASE_URL_VAR} and your network, or raise COMMISSION_LLM_CONNECT_TIMEOUT"
        )
    if isinstance(error, httpx.ReadTimeout):
        return ModelError(
            f"The model at {where} sent nothing for {first_token_timeout:g} s: it may be busy or still "
            "loading; try again, or raise COMMISSION_LLM_FIRST_TOKEN_TIMEOUT"
        )
    if isinstance(error, httpx.ConnectError):
        reason = _one_line(endpoint.redact(str(error))) or "connection refused"
        return ModelError(
            f"Could not connect to the model endpoint at {where} ({reason}): check {BASE_URL_VAR} = {where} "
            "and that the server is running"
        )
    reason = _one_line(endpoint.redact(str(error))) or type(error).__name__
    return ModelError(f"The connection to the model endpoint at {where} failed ({reason}); try again")


def error_for_bad_json(text: str, endpoint: Endpoint) -> ModelError:
    """The `ModelError` for a reply that is not the JSON a chat-completions endpoint sends."""
    start = _one_line(endpoint.redact(text))[:80]
    return ModelError(
        f"The model endpoint at {endpoint.shown_url} sent a reply that is not chat-completions JSON "
        f"({start!r}): check {BASE_URL_VAR} points at an OpenAI-compatible API (usually ending in /v1)"
    )


def error_for_malformed(reason: str, *, what: str = "stream") -> ModelError:
    """The `ModelError` for a stream (or reply) whose JSON is not shaped as chat completions are.

    Args:
        reason: which part was wrong, e.g. "tool call name is not text".
        what: "stream", or "reply" for a whole body.
    """
    return ModelError(
        f"The model endpoint sent a malformed {what} ({reason}); check {BASE_URL_VAR} points at an "
        "OpenAI-compatible server"
    )


def error_for_deadline(endpoint: Endpoint, deadline: float) -> ModelError:
    """The `ModelError` for a reply still unfinished when `COMMISSION_LLM_DEADLINE` has passed."""
    return ModelError(
        f"The model at {endpoint.shown_url} did not finish its answer within {deadline:g} s: try again, "
        f"or raise {DEADLINE_VAR}"
    )


def error_for_too_large(endpoint: Endpoint, limit: int) -> ModelError:
    """The `ModelError` for a reply that sent more than `limit` bytes."""
    return ModelError(
        f"The model endpoint at {endpoint.shown_url} sent more than {limit / 1024 / 1024:g} MB in one "
        f"reply; check {BASE_URL_VAR} points at an OpenAI-compatible server"
    )


def _is_context_length(kinds: set[str], message: str) -> bool:
    return bool(kinds & _CONTEXT_CODES or _CONTEXT_WORDS.search(message))


def _too_long() -> ContextLengthError:
    return ContextLengthError(
        "The request is too long for the model's context window: set COMMISSION_LLM_CONTEXT to the "
        "window the server really gives (Ollama's default is small: raise num_ctx), ask a shorter "
        "question, or in the chat start a new conversation with /new"
    )


def _refused_key(status: int, endpoint: Endpoint) -> str:
    if endpoint.api_key is None:
        return f"The model endpoint needs an API key (HTTP {status}): set {API_KEY_VAR}"
    if endpoint.provider == "azure":
        return (
            f"Azure OpenAI refused the request (HTTP {status}): check {API_KEY_VAR} is a key of the resource "
            f"at {BASE_URL_VAR} and that {MODEL_VAR} names one of its deployments"
        )
    return f"The model endpoint refused the API key (HTTP {status}): check {API_KEY_VAR}"


def _not_there(endpoint: Endpoint) -> str:
    where = endpoint.shown_request_url
    if endpoint.provider == "azure":
        return (
            f"Nothing answers at {where} (HTTP 404): check {BASE_URL_VAR} = {endpoint.shown_url} is your "
            f"resource endpoint, {MODEL_VAR} = {endpoint.model!r} a deployment of it, and {API_VERSION_VAR}"
        )
    return (
        f"Nothing answers at {where} (HTTP 404): check {BASE_URL_VAR} = {endpoint.shown_url} "
        "(for OpenAI-compatible servers it usually ends in /v1)"
    )


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
