"""Server-sent events, as chat-completions endpoints stream them.

Only what the OpenAI wire format uses: `data:` lines (joined when an event spans several), blank lines
ending an event, `:` comment lines (keep-alives, which some proxies send while the model thinks) ignored,
and the `[DONE]` sentinel ending the stream. `event:`, `id:` and `retry:` fields carry nothing we need.

Lines are split here rather than by httpx so that one line can be refused once it passes a length: a server
that never sends a newline would otherwise be buffered until memory runs out.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator

DONE = "[DONE]"
_LINE_END = re.compile(r"\r\n|\r|\n")


class LineTooLong(ValueError):
    """A line of the stream passed the length allowed before its end arrived."""


def iter_lines(chunks: Iterable[bytes], *, max_length: int) -> Iterator[str]:
    """The lines of a UTF-8 byte stream, without their endings (CR LF, LF or CR, as SSE allows).

    Args:
        chunks: the body as it arrives.
        max_length: the most characters one line may hold.

    Raises:
        LineTooLong: a line grew past `max_length`, ended or not.
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    for chunk in chunks:
        text = pending + decoder.decode(chunk)
        # A CR at the end of a chunk may be the first half of a CR LF: wait for the next chunk to tell.
        held = "\r" if text.endswith("\r") else ""
        *lines, pending = _LINE_END.split(text.removesuffix(held) if held else text)
        pending += held
        for line in lines:
            _check(line, max_length)
            yield line
        _check(pending, max_length + len(held))
    pending += decoder.decode(b"", final=True)
    if pending:
        yield from (line for line in _LINE_END.split(pending) if line)


def iter_sse_data(lines: Iterable[str]) -> Iterator[str]:
    """The data of each event in a stream of lines, stopping at `[DONE]` or the end of the stream.

    Args:
        lines: the response body split into lines, without their line endings.
    """
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                payload = "\n".join(data)
                data = []
                if payload == DONE:
                    return
                yield payload
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value.removeprefix(" "))
    # A server that closes the stream without a trailing blank line still meant its last event.
    if data and (payload := "\n".join(data)) != DONE:
        yield payload


def _check(line: str, max_length: int) -> None:
    if len(line) > max_length:
        raise LineTooLong(f"a line longer than {max_length:,} characters")
