"""The HTTP client for chat completions: timeouts, retries with backoff, and errors that say what to fix.

Timeouts: `connect_timeout` bounds making the connection; `first_token_timeout` bounds every wait for the
server (the reply's headers, and each streamed chunk), so the longest silence - before the first token -
is what it limits. Retries: on 429, 5xx and connection failures, before anything has been streamed, up to
`max_retries` times, waiting as `Retry-After` (or `retry-after-ms`) asks, else 0.5 s, 1 s, 2 s ... (at most
30 s). A server asking for more than `max_wait` seconds is not waited for: the officer is told instead.
A silent read timeout is not retried: waiting the whole first-token timeout again rarely helps.

Limits (`assistant.llm.limits`): `deadline` bounds the whole reply, retries included, so a server that
sends keep-alive comments for ever cannot hold a question open; the body is counted as it is read (8 MB
at most, decompressed; 1 MB for one line of a stream), so neither a gzip bomb nor a line without an end
can fill memory. Every event is checked for its shape; a wrong one is one line blaming the endpoint.
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
    error_for_malformed,
    error_for_status,
    error_for_stream_event,
    error_for_transport,
)
from assistant.llm.limits import ACCEPT_ENCODING, MAX_LINE_CHARS, Budget, Clock
from assistant.llm.sse import LineTooLong, iter_lines, iter_sse_data
from assistant.llm.wire import Malformed, reply_as_event

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
        deadline: seconds the whole reply may take, however steadily the server sends.
        max_retries: how many times to retry a 429, a 5xx or a failed connection.
        sleep: how to wait between attempts; tests pass a function that records the delays.
        transport: an httpx transport to use instead of the network (tests usually use respx instead).
        max_wait: the longest `Retry-After` worth waiting for, in seconds.
        clock: the time in seconds, for the deadline (tests pass one they move by hand).
    """

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        connect_timeout: float = 10.0,
        first_token_timeout: float = 60.0,
        deadline: float = 300.0,
        max_retries: int = 3,
        sleep: Sleep = time.sleep,
        transport: httpx.BaseTransport | None = None,
        max_wait: float = 60.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.endpoint = endpoint
        self.connect_timeout = connect_timeout
        self.first_token_timeout = first_token_timeout
        self.deadline = deadline
        self.max_retries = max_retries
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        timeout = httpx.Timeout(first_token_timeout, connect=connect_timeout)
        headers = {**endpoint.headers, "Accept-Encoding": ACCEPT_ENCODING}
        self._http = httpx.Client(timeout=timeout, transport=transport, headers=headers)

    def __repr__(self) -> str:
        return (
            f"ChatClient({self.endpoint.provider}, {self.endpoint.shown_url}, model={self.endpoint.model!r})"
        )

    def close(self) -> None:
        self._http.close()

    def discover_context(self) -> int | None:
        """The model's context window as the server reports it, or None (`assistant.llm.budget`)."""
        from assistant.llm.budget import discover_context

        return discover_context(self.endpoint, self._http)

    def complete(self, body: dict[str, Any]) -> dict[str, Any]:
        """One chat completion, not streamed: the reply's JSON."""
        budget = self._budget()
        response = self._send({**body, "stream": False}, budget)
        try:
            return self._checked_reply(self._read(response, budget))
        finally:
            response.close()

    def _checked_reply(self, text: str) -> dict[str, Any]:
        data = self._parse(text)
        if "choices" not in data:
            raise error_for_bad_json(text, self.endpoint)
        return data

    def stream(self, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """One chat completion, streamed: each server-sent chunk's JSON, in order."""
        budget = self._budget()
        response = self._send({**body, "stream": True}, budget)
        try:
            if not _is_event_stream(response):
                try:
                    whole = reply_as_event(self._checked_reply(self._read(response, budget)))
                except Malformed as error:
                    raise error_for_malformed(error.reason, what="reply") from None
                yield whole
                return
            lines = iter_lines(budget.body(response), max_length=MAX_LINE_CHARS)
            for payload in iter_sse_data(lines):
                data = _event(payload)
                if data.get("error") is not None:  # some servers report a failure mid-stream as an event
                    raise error_for_stream_event(payload, self.endpoint)
                yield data
        except LineTooLong as error:
            raise error_for_malformed(str(error)) from None
        except httpx.DecodingError as error:
            raise error_for_malformed(f"the body could not be decoded: {error}", what="reply") from None
        except httpx.TransportError as error:
            raise self._transport_error(error) from error
        finally:
            response.close()

    def _budget(self) -> Budget:
        return Budget(self.endpoint, deadline=self.deadline, clock=self._clock)

    def _read(self, response: httpx.Response, budget: Budget) -> str:
        try:
            return b"".join(budget.body(response)).decode("utf-8", errors="replace")
        except httpx.DecodingError as error:
            raise error_for_malformed(f"the body could not be decoded: {error}", what="reply") from None
        except httpx.TransportError as error:
            raise self._transport_error(error) from error

    def _send(self, body: dict[str, Any], budget: Budget) -> httpx.Response:
        """The reply to `body`, its headers read and its body not yet (the caller reads it, counted)."""
        for attempt in range(self.max_retries + 1):
            budget.check_time()
            last = attempt == self.max_retries
            try:
                request = self._http.build_request(
                    "POST", self.endpoint.url, params=self.endpoint.params, json=body
                )
                response = self._http.send(request, stream=True)
            except httpx.TransportError as error:
                if last or not _retryable(error):
                    raise self._transport_error(error) from error
                self._wait(self._backoff(attempt), f"{type(error).__name__}")
                continue
            if response.is_success:
                return response
            try:
                text = budget.head(response)
            except (httpx.TransportError, httpx.DecodingError):
                text = ""
            finally:
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


def _event(payload: str) -> dict[str, Any]:
    """One streamed event's JSON, which must be an object."""
    try:
        data = json.loads(payload)
    except ValueError:
        raise error_for_malformed("an event is not JSON") from None
    if not isinstance(data, dict):
        raise error_for_malformed("an event is not a JSON object")
    return data
