"""`commission tools` lists the tools and their schemas; `commission mcp` refuses options it cannot use."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

import pytest
from typer.testing import CliRunner

from assistant import registry
from assistant.cli import app
from assistant.commands.plugin import type_label
from assistant.toolspec import spec_for

runner = CliRunner()


def check_route(
    route: Literal["open", "restricted"], deadline: date, bidders: list[str], weeks: int = 4
) -> dict:
    """Check a procurement route.

    Second paragraph, for the model only.

    Args:
        route: the procurement route.
        deadline: when tenders are due.
        bidders: who may bid.
        weeks: how long the stage lasts.
    """
    return {}


@pytest.fixture
def one_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "all_specs", lambda: (spec_for(check_route),))


def test_json_lists_name_title_origin_description_and_input_schema(one_tool):
    result = runner.invoke(app, ["tools", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "name": "check_route",
            "title": "Check route",
            "origin": "commission",
            "description": "Check a procurement route.\n\nSecond paragraph, for the model only.",
            "input_schema": spec_for(check_route).json_schema(),
        }
    ]


def test_table_shows_each_tool_its_summary_and_its_arguments(one_tool):
    result = runner.invoke(app, ["tools"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for text in (
        "check_route",
        "Check a procurement route.",
        "route* (open | restricted): the procurement route.",
        "deadline* (date): when tenders are due.",
        "bidders* (list of text): who may bid.",
        "weeks (whole number): how long the stage lasts.",
    ):
        assert text in result.stdout
    assert "Second paragraph" not in result.stdout


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ({"type": "string", "format": "date"}, "date"),
        ({"anyOf": [{"type": "number"}, {"type": "null"}]}, "number"),
        ({"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]}, "number"),
        ({"anyOf": [{"type": "integer"}, {"type": "string"}]}, "whole number or text"),
        ({"type": "array", "items": {"$ref": "#/$defs/Stage"}}, "list of Stage"),
        ({"$ref": "#/$defs/Route"}, "open | restricted"),
        ({"type": "boolean"}, "yes/no"),
        ({}, "any"),
    ],
    ids=["date", "optional", "decimal", "int-or-text", "list-of-model", "enum-ref", "bool", "untyped"],
)
def test_type_labels_are_readable(field, label):
    defs = {"Stage": {"type": "object"}, "Route": {"enum": ["open", "restricted"]}}
    assert type_label(field, defs) == label


@pytest.mark.parametrize("option", [["--port", "9000"], ["--host", "0.0.0.0"]], ids=["port", "host"])
def test_mcp_refuses_http_options_without_http(option):
    result = runner.invoke(app, ["mcp", *option])
    assert result.exit_code == 2
    assert "Error: --host and --port apply only with --http" in result.stderr


def test_mcp_http_says_when_the_port_is_taken():
    from assistant.mcp_server import listen

    with listen("127.0.0.1", 0) as taken:
        result = runner.invoke(app, ["mcp", "--http", "--port", str(taken.getsockname()[1])])
    assert result.exit_code == 1
    assert "choose another --port" in result.stderr


def test_json_lists_every_registered_tool():
    result = runner.invoke(app, ["tools", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    specs = registry.all_specs()
    assert [tool["name"] for tool in listed] == [spec.name for spec in specs]
    assert [tool["input_schema"] for tool in listed] == [spec.json_schema() for spec in specs]
