"""Third-party tools through the `commission.tools` entry-point group, as `llm` plugins add theirs.

The example package is written to a temporary folder with its own `.dist-info` (name, version and entry
points), and that folder is put on `sys.path`: `importlib.metadata` finds it exactly as it finds an
installed package, and it shows in `commission tools`, the agent's tools and the MCP listing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from mcp import Client
from typer.testing import CliRunner

from assistant import registry
from assistant.cli import app
from assistant.mcp_server import build_server
from assistant.slash import COMMANDS, help_text
from assistant.toolkit import get_tools
from tests.conftest import ROOT

EXAMPLE_PACKAGE = '''
"""An example third-party tool package for commission."""


def count_words(text: str) -> int:
    """Count the words in a piece of text.

    Args:
        text: the text to count.
    """
    return len(text.split())


def register_tools(register):
    register(count_words, title="Count the words")
'''
BUILT_IN = [spec.name for spec in registry.all_specs()]


def install_example(folder: Path, entry_point: str = "commission_example_tools") -> None:
    """Lay out the example package and its `.dist-info` in `folder`, as pip would."""
    (folder / "commission_example_tools.py").write_text(textwrap.dedent(EXAMPLE_PACKAGE))
    info = folder / "commission_example_tools-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: commission-example-tools\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[commission.tools]\nexample = {entry_point}\n")


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    install_example(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.all_specs.cache_clear()
    yield
    registry.all_specs.cache_clear()


def test_a_plugin_tool_follows_the_built_in_ones_with_its_origin(example):
    specs = registry.all_specs()
    assert [spec.name for spec in specs] == [*BUILT_IN, "count_words"]
    plugin = specs[-1]
    assert (plugin.origin, plugin.title) == ("commission-example-tools", "Count the words")
    assert {spec.origin for spec in specs[:-1]} == {"commission"}


def test_commission_tools_shows_where_each_tool_came_from(example):
    result = CliRunner().invoke(app, ["tools", "--json"])
    assert result.exit_code == 0, result.output
    origins = {tool["name"]: tool["origin"] for tool in json.loads(result.stdout)}
    assert origins["count_words"] == "commission-example-tools"
    assert origins["which_regime"] == "commission"
    table = CliRunner().invoke(app, ["tools"], env={"COLUMNS": "250"})
    assert "commission-example-tools" in table.output


def test_the_agent_gets_the_plugin_tool(example):
    tools = {tool.name: tool for tool in get_tools()}
    message = tools["count_words"].invoke(
        {"type": "tool_call", "id": "t1", "name": "count_words", "args": {"text": "three short words"}}
    )
    assert message.content == "3"


def test_the_mcp_server_lists_and_calls_the_plugin_tool(example):
    async def session():
        async with Client(build_server()) as client:
            listing = await client.list_tools()
            return listing, await client.call_tool("count_words", {"text": "one two"})

    listing, result = anyio.run(session)
    tool = next(tool for tool in listing.tools if tool.name == "count_words")
    assert tool.title == "Count the words"
    assert tool.annotations.read_only_hint is True
    assert result.structured_content == {"result": 2}


def test_commission_load_plugins_limits_which_plugins_load(example, monkeypatch):
    monkeypatch.setenv("COMMISSION_LOAD_PLUGINS", "")
    assert [spec.name for spec in registry.all_specs()] == BUILT_IN
    registry.all_specs.cache_clear()
    monkeypatch.setenv("COMMISSION_LOAD_PLUGINS", "example")
    assert registry.all_specs()[-1].name == "count_words"


def test_a_broken_plugin_is_named_in_a_configuration_error(tmp_path, monkeypatch):
    install_example(tmp_path, entry_point="commission_example_tools:no_such_hook")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.all_specs.cache_clear()
    try:
        result = CliRunner().invoke(app, ["tools"])
    finally:
        registry.all_specs.cache_clear()
    assert result.exit_code != 0
    assert "tool plugin 'example' (commission-example-tools) failed to load" in result.output
    assert "COMMISSION_LOAD_PLUGINS" in result.output


def test_slash_commands_and_help_come_from_the_registry():
    for package in registry.PACKAGES:
        assert package.command in COMMANDS
        for usage, summary in package.help:
            assert f"| `{usage}` | {summary} |" in help_text()


def test_the_slash_commands_do_not_import_the_command_line():
    """cli → chat → slash → cli was a circle: the chat finds `commission` as a shell does."""
    code = "import sys, assistant.slash; assert 'assistant.cli' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
