"""How long one model reply may take and how much it may send, counted as the body is read.

A reply is a stream the server controls, so each bound is checked as each piece arrives rather than
trusted to the server: `COMMISSION_LLM_DEADLINE` bounds the whole reply (keep-alive comments reset the
first-token timeout but not this), `MAX_REPLY_BYTES` bounds the body after decompression, and gzip and
deflate (the only compressions asked for) are inflated here in small steps, so a compressed bomb is refused
after the cap rather than held whole.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterable, Iterator

import httpx

from assistant.llm.endpoint import Endpoint
from assistant.llm.failures import error_for_deadline, error_for_malformed, error_for_too_large

MAX_REPLY_BYTES = 8 * 1024 * 1024
"""The most one reply may send, decompressed: far beyond any answer, far below any memory."""
MAX_LINE_CHARS = 1024 * 1024
"""The longest line of a stream: one event of a chat-completions stream is a few hundred characters."""
MAX_ERROR_BYTES = 64 * 1024
"""How much of an error reply is read for its message; the rest is not needed."""
_STEP = 64 * 1024  # the most one step of inflating may produce

Clock = Callable[[], float]

ACCEPT_ENCODING = "gzip, deflate"
"""The compressions asked for: those inflated here, in bounded steps. A reply in any other is refused."""
# Content encodings inflated here, with their zlib window bits.
_INFLATED = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class Budget:
    """The time and bytes left for one reply, from when it was asked for.

    Args:
        endpoint: the endpoint answering, named in the errors.
        deadline: seconds the whole reply may take, retries included.
        clock: the time in seconds (tests pass one they move by hand).
    """

    def __init__(self, endpoint: Endpoint, *, deadline: float, clock: Clock = time.monotonic) -> None:
        self.endpoint = endpoint
        self.deadline = deadline
        self._clock = clock
        self._start = clock()

    def check_time(self) -> None:
        """Raise the one-line `ModelError` naming `COMMISSION_LLM_DEADLINE` once the deadline has passed."""
        if self._clock() - self._start > self.deadline:
            raise error_for_deadline(self.endpoint, self.deadline)

    def body(self, response: httpx.Response, *, limit: int = MAX_REPLY_BYTES) -> Iterator[bytes]:
        """The decompressed body as it arrives; a `ModelError` past the deadline or past `limit` bytes."""
        received, pieces = 0, self._decoded(response)
        if pieces is None:
            encoding = response.headers["content-encoding"]
            raise error_for_malformed(f"the body is compressed as {encoding!r}, not as asked", what="reply")
        for piece in pieces:
            self.check_time()
            received += len(piece)
            if received > limit:
                raise error_for_too_large(self.endpoint, limit)
            if piece:
                yield piece

    def head(self, response: httpx.Response, *, limit: int = MAX_ERROR_BYTES) -> str:
        """The start of the body as text, at most `limit` bytes of it (for an error reply's message)."""
        kept = bytearray()
        for piece in self._decoded(response) or ():
            self.check_time()
            kept += piece[: limit - len(kept)]
            if len(kept) >= limit:
                break
        return kept.decode("utf-8", errors="replace")

    def _decoded(self, response: httpx.Response) -> Iterator[bytes] | None:
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding in _INFLATED:
            return _inflate(response.iter_raw(), _INFLATED[encoding], encoding)
        if encoding in ("", "identity"):
            return response.iter_raw()
        return None  # httpx would inflate zstd or brotli whole chunks at a time, unbounded: not asked for


def _inflate(raw: Iterable[bytes], wbits: int, encoding: str) -> Iterator[bytes]:
    """Decompress in steps of at most `_STEP` bytes, yielding after each (possibly empty) step."""
    inflater = zlib.decompressobj(wbits)
    try:
        for data in raw:
            yield b""  # a step per piece received, so the deadline is checked even while nothing inflates
            while data and not inflater.eof:
                yield inflater.decompress(data, _STEP)
                data = inflater.unconsumed_tail
        yield inflater.flush()
    except zlib.error:
        raise error_for_malformed(f"the body is not valid {encoding}", what="reply") from None
