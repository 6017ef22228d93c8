"""The HTTP client for chat completions: timeouts, retries with backoff, and errors that say what to fix.

Timeouts: `connect_timeout` bounds making the connection; `first_token_timeout` bounds every wait for the
server (the reply's headers, and each streamed chunk), so the longest silence - before the first token -
is what it limits. Retries: on 429, 5xx and connection failures, before anything has been streamed, up to
`max_retries` times, waiting as `Retry-After` (or `retry-after-ms`) asks, else 0.5 s, 1 s, 2 s ... (at most
30 s). A server asking for more than `max_wait` seconds is not waited for: the officer is told instead.
A silent read timeout is not retried: waiting the whole first-token timeout again rarely helps.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from assistant.errors import ModelError
from assistant.llm.endpoint import Endpoint
from assistant.llm.failures import (
    error_details,
    error_for_bad_json,
    error_for_status,
    error_for_stream_event,
    error_for_transport,
)
from assistant.llm.sse import iter_sse_data

logger = logging.getLogger(__name__)

Sleep = Callable[[float], None]


def retry_after_seconds(headers: httpx.Headers, *, now: datetime | None = None) -> float | None:
    """The wait the server asks for: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date."""
    if (millis := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class ChatClient:
    """Posts chat-completions requests to one endpoint.

    Args:
        endpoint: where to send them and with which key.
        connect_timeout: seconds to wait for a connection.
        first_token_timeout: seconds to wait for the reply to start (and between streamed chunks).
        max_retries: how many times to retry a 429, a 5xx or a failed connection.
        sleep: how to wait between attempts; tests pass a function that records the delays.
        transport: an httpx transport to use instead of the network (tests usually use respx instead).
        max_wait: the longest `Retry-After` worth waiting for, in seconds.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        connect_timeout: float = 10.0,
        first_token_timeout: float = 60.0,
        max_retries: int = 3,
        sleep: Sleep = time.sleep,
        transport: httpx.BaseTransport | None = None,
        max_wait: float = 60.0,
    ) -> None:
        self.endpoint = endpoint
        self.connect_timeout = connect_timeout
        self.first_token_timeout = first_token_timeout
        self.max_retries = max_retries
        self.max_wait = max_wait
        self._sleep = sleep
        timeout = httpx.Timeout(first_token_timeout, connect=connect_timeout)
        self._http = httpx.Client(timeout=timeout, transport=transport, headers=endpoint.headers)

    def __repr__(self) -> str:
        return (
            f"ChatClient({self.endpoint.provider}, {self.endpoint.shown_url}, model={self.endpoint.model!r})"
        )

    def close(self) -> None:
        self._http.close()

    def complete(self, body: dict[str, Any]) -> dict[str, Any]:
        """One chat completion, not streamed: the reply's JSON."""
        response = self._send({**body, "stream": False}, stream=False)
        return self._checked_reply(response.text)

    def _checked_reply(self, text: str) -> dict[str, Any]:
        data = self._parse(text)
        if "choices" not in data:
            raise error_for_bad_json(text, self.endpoint)
        return data

    def stream(self, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """One chat completion, streamed: each server-sent chunk's JSON, in order."""
        response = self._send({**body, "stream": True}, stream=True)
        try:
            if not _is_event_stream(response):
                yield _as_chunk(self._checked_reply(response.read().decode("utf-8", errors="replace")))
                return
            for payload in iter_sse_data(response.iter_lines()):
                data = self._parse(payload)
                if "error" in data:  # some servers report a failure mid-stream as an event
                    raise error_for_stream_event(payload, self.endpoint)
                yield data
        except httpx.TransportError as error:
            raise self._transport_error(error) from error
        finally:
            response.close()

    def _send(self, body: dict[str, Any], *, stream: bool) -> httpx.Response:
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            try:
                request = self._http.build_request(
                    "POST", self.endpoint.url, params=self.endpoint.params, json=body
                )
                response = self._http.send(request, stream=stream)
            except httpx.TransportError as error:
                if last or not _retryable(error):
                    raise self._transport_error(error) from error
                self._wait(self._backoff(attempt), f"{type(error).__name__}")
                continue
            if response.is_success:
                return response
            text = response.read().decode("utf-8", errors="replace")
            response.close()
            if last or not _retryable_status(response.status_code, text):
                raise error_for_status(response.status_code, text, self.endpoint, retries=attempt)
            delay = retry_after_seconds(response.headers)
            if delay is not None and delay > self.max_wait:
                raise ModelError(
                    f"The model endpoint asks us to wait {delay:.0f} s before trying again "
                    f"(HTTP {response.status_code}): try again later"
                )
            self._wait(self._backoff(attempt) if delay is None else delay, f"HTTP {response.status_code}")
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait(self, delay: float, why: str) -> None:
        logger.info("model endpoint %s: retrying in %.1f s", why, delay)
        self._sleep(delay)

    @staticmethod
    def _backoff(attempt: int) -> float:
        return float(min(30.0, 0.5 * 2**attempt))

    def _parse(self, text: str) -> dict[str, Any]:
        try:
            data = json.loads(text)
        except ValueError:
            raise error_for_bad_json(text, self.endpoint) from None
        if not isinstance(data, dict):
            raise error_for_bad_json(text, self.endpoint)
        return data

    def _transport_error(self, error: httpx.TransportError) -> ModelError:
        return error_for_transport(
            error,
            self.endpoint,
            connect_timeout=self.connect_timeout,
            first_token_timeout=self.first_token_timeout,
        )


def _retryable(error: httpx.TransportError) -> bool:
    return not isinstance(error, httpx.ReadTimeout | httpx.UnsupportedProtocol)


def _retryable_status(status: int, body: str) -> bool:
    if status == 429:
        return "insufficient_quota" not in error_details(body)[0]
    return status >= 500


def _is_event_stream(response: httpx.Response) -> bool:
    # A server that ignores "stream": true sends one JSON reply; a wrong URL may send a web page.
    kind = response.headers.get("content-type")
    return kind is None or "event-stream" in kind


def _as_chunk(data: dict[str, Any]) -> dict[str, Any]:
    """A complete reply recast as the one streamed chunk that carries all of it."""
    choices = []
    for choice in data["choices"]:
        delta = dict(choice.get("message") or {})
        delta["tool_calls"] = [{**call, "index": i} for i, call in enumerate(delta.get("tool_calls") or [])]
        choices.append({**choice, "delta": delta})
    return {**data, "choices": choices}
