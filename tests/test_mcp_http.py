"""The real `commission mcp --http` on loopback, reached with the `mcp` streamable HTTP client."""

from __future__ import annotations

import json
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
from mcp import Client, types

from assistant import registry
from assistant.render import data
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


def serve_http(tmp_path: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`commission mcp --http --port 0 OPTIONS` as a subprocess; yields its URL, then stops it."""
    env = {**os.environ, "COMMISSION_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT), **(env or {})}
    command = [sys.executable, "-m", "assistant", "mcp", "--http", "--port", "0", *options]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        yield announced_url(process)
    finally:
        process.terminate()
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[str]:
    yield from serve_http(tmp_path)


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
    assert regime.structured_content == data(
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


def test_http_transport_asks_for_roots_and_offers_annotations_prompts_resources_completions(
    http_server, tmp_path
):
    shared, outside = tmp_path / "shared", tmp_path / "outside"
    shared.mkdir()
    outside.mkdir()
    (shared / "paper.txt").write_text(
        "NHS Sheffield CCG, 14 May 2015. Question 1: the provider is best placed."
    )
    (outside / "secret.txt").write_text("password = hunter2")

    async def list_roots(context):
        return types.ListRootsResult(roots=[types.Root(uri=shared.as_uri())])

    async def session():
        async with Client(http_server, list_roots_callback=list_roots) as client:
            monitor = "check_monitor_questions"
            return {
                "tools": await client.list_tools(),
                "inside": await client.call_tool(monitor, {"paper": "paper.txt"}),
                "outside": await client.call_tool(monitor, {"paper": str(outside / "secret.txt")}),
                "folder": await client.call_tool(monitor, {"paper": str(outside)}),
                "routes": await client.call_tool("list_routes", {}),
                "prompts": await client.list_prompts(),
                "templates": await client.list_resource_templates(),
                "resources": await client.list_resources(),
                "regimes": await client.complete(
                    types.PromptReference(name="check_a_timeline"), {"name": "regime", "value": "p"}
                ),
            }

    seen = anyio.run(session)
    assert all(tool.annotations.read_only_hint for tool in seen["tools"].tools)
    assert not seen["inside"].is_error
    assert seen["outside"].is_error and seen["folder"].is_error
    assert seen["outside"].content[0].text == seen["folder"].content[0].text
    assert str(shared.resolve()) in seen["outside"].content[0].text
    assert json.loads(seen["routes"].content[1].text) == seen["routes"].structured_content
    assert len(seen["prompts"].prompts) == 3
    assert seen["templates"].resource_templates[0].uri_template == "commission://papers/{file}"
    assert len(seen["resources"].resources) == 5
    assert seen["regimes"].completion.values == ["pcr2006", "pcr2015", "pa2023", "pccr2013", "psr2023"]
