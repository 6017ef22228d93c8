"""Server-sent events, as chat-completions endpoints stream them.

Only what the OpenAI wire format uses: `data:` lines (joined when an event spans several), blank lines
ending an event, `:` comment lines (keep-alives, which some proxies send while the model thinks) ignored,
and the `[DONE]` sentinel ending the stream. `event:`, `id:` and `retry:` fields carry nothing we need.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

DONE = "[DONE]"


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
