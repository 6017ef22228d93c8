"""The real `commission mcp` over stdio, driven by the `mcp` client library as an assistant would drive it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

# A server whose only tool prints, both from Python and from a child process, while it works.
NOISY_SERVER = '''
import os
from assistant import registry
from assistant.cli import app
from assistant.toolspec import spec_for

def shout(word: str) -> str:
    """Print a word, then return it.

    Args:
        word: what to print.
    """
    print("printed by the tool:", word)
    os.system("echo printed by a child process")
    return word

registry.all_specs = lambda: (spec_for(shout),)
app(["mcp"])
'''


def server(home: Path, *args: str) -> StdioServerParameters:
    """`python -m assistant mcp` (or `python -c CODE`) with its own home, run from a folder with no `.env`."""
    env = {"COMMISSION_HOME": str(home), "ORT_DISABLE_TELEMETRY": "1", "ANONYMIZED_TELEMETRY": "False"}
    env["PYTHONPATH"] = str(ROOT)
    return StdioServerParameters(command=sys.executable, args=list(args), env=env, cwd=str(home.parent))


async def session_run(params: StdioServerParameters, errlog: Path, calls: list[tuple[str, dict[str, Any]]]):
    """Start the server, list its tools, make `calls`: the listing, the results and any stream faults."""
    faults: list[Exception] = []

    async def on_message(message: Any) -> None:
        if isinstance(message, Exception):
            faults.append(message)

    with errlog.open("w") as log:
        async with (
            stdio_client(params, errlog=log) as (read, write),
            ClientSession(read, write, message_handler=on_message) as session,
        ):
            await session.initialize()
            listing = await session.list_tools()
            results = [await session.call_tool(name, arguments) for name, arguments in calls]
    return listing, results, faults


def test_stdout_carries_only_protocol_messages_even_when_a_tool_prints(tmp_path):
    params = server(tmp_path / "home", "-c", NOISY_SERVER)
    errlog = tmp_path / "stderr.txt"
    listing, [result], faults = anyio.run(session_run, params, errlog, [("shout", {"word": "hello"})])
    assert [tool.name for tool in listing.tools] == ["shout"]
    assert result.structured_content == {"result": "hello"}
    assert faults == []
    assert "printed by the tool: hello" in errlog.read_text()
    assert "printed by a child process" in errlog.read_text()
