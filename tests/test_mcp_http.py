"""The real `commission mcp --http` on loopback, reached with the `mcp` streamable HTTP client."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client

from assistant import registry
from assistant.toolspec import result_data
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def announced_url(process: subprocess.Popen[str]) -> str:
    """The URL the server prints on stderr once it listens (a generous limit, so a broken server fails)."""
    assert process.stderr is not None
    seen = ""
    while select.select([process.stderr], [], [], 60)[0]:
        line = process.stderr.readline()
        seen += line
        if not line or (match := re.search(r"listening on (http://\S+/mcp)", line)):
            break
    assert match, f"the server did not say where it listens:\n{seen}"
    return match.group(1)


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[str]:
    """`commission mcp --http --port 0` as a subprocess; yields its URL, then stops it."""
    env = {**os.environ, "COMMISSION_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "assistant", "mcp", "--http", "--port", "0"]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        yield announced_url(process)
    finally:
        process.terminate()
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()


def test_http_transport_lists_and_calls_a_tool_on_loopback(http_server):
    async def session():
        async with Client(http_server) as client:
            listing = await client.list_tools()
            regime = await client.call_tool(
                "which_regime", {"start": "2025-09-03", "buyer": "council", "service": "other"}
            )
            refused = await client.call_tool(
                "which_regime", {"start": "someday", "buyer": "council", "service": "other"}
            )
            return listing, regime, refused

    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/mcp", http_server)
    listing, regime, refused = anyio.run(session)
    assert [tool.name for tool in listing.tools] == [spec.name for spec in registry.all_specs()]
    assert not regime.is_error
    assert regime.structured_content == result_data(
        registry.get_spec("which_regime").invoke(
            {"start": "2025-09-03", "buyer": "council", "service": "other"}
        )
    )
    assert "Procurement Act 2023" in regime.content[0].text
    assert refused.is_error
    assert "which_regime arguments: start: 'someday' is not a date" in refused.content[0].text


def test_http_transport_refuses_a_request_naming_another_host(http_server):
    """DNS rebinding: a web page cannot reach the officer's server through a name it controls."""
    port = http_server.rsplit(":", 1)[1].split("/")[0]
    response = httpx.post(http_server, headers={"Host": f"attacker.example:{port}"}, json={})
    assert response.status_code == 421
