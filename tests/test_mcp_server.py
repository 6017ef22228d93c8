"""The MCP server in process, over tools defined here: listing, results, and every kind of error."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import anyio
import pytest
from mcp import Client
from pydantic import BaseModel

from assistant.mcp_server import build_server
from assistant.toolspec import spec_for
from tools.errors import CommissionError, InputError


class Deadline(BaseModel):
    """A deadline, as a tool result."""

    event: str
    due: date

    def to_markdown(self) -> str:
        return f"**{self.event}**: {self.due:%d %B %Y}"


def add_days(event: str, start: date, days: int = 10) -> Deadline:
    """Add calendar days to a date.

    Args:
        event: what happens on the day.
        start: the first day.
        days: how many days later.
    """
    if days < 0:
        raise InputError(f"days = {days}: must not be negative; give a number of days from 0 upwards")
    return Deadline(event=event, due=start + timedelta(days=days))


def list_weekdays(count: int) -> list[str]:
    """Name the first weekdays.

    Args:
        count: how many names.
    """
    return ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"][:count]


def consult_index(query: str) -> dict[str, Any]:
    """Look something up in an index that has not been built.

    Args:
        query: what to look for.
    """
    raise CommissionError("the paper index has not been built;\n run `commission index` first")


def divide(numerator: int, denominator: int) -> float:
    """Divide two numbers, with a bug for zero.

    Args:
        numerator: the top.
        denominator: the bottom.
    """
    return numerator / denominator


SPECS = [spec_for(function) for function in (add_days, list_weekdays, consult_index, divide)]


def run_in_client(*calls: tuple[str, dict[str, Any]], specs: list[Any] = SPECS) -> tuple[Any, list[Any]]:
    """List the tools and make `calls` against an in-process server; return the listing and the results."""

    async def session() -> tuple[Any, list[Any]]:
        async with Client(build_server(specs)) as client:
            listing = await client.list_tools()
            return listing, [await client.call_tool(name, arguments) for name, arguments in calls]

    return anyio.run(session)


def test_every_tool_is_listed_with_its_description_and_argument_schema():
    listing, _ = run_in_client()
    tools = {tool.name: tool for tool in listing.tools}
    assert list(tools) == ["add_days", "list_weekdays", "consult_index", "divide"]
    assert tools["add_days"].description == "Add calendar days to a date."
    assert tools["add_days"].input_schema == spec_for(add_days).json_schema()
    assert tools["add_days"].input_schema["required"] == ["event", "start"]
    assert tools["add_days"].input_schema["additionalProperties"] is False


def test_every_result_declares_its_output_schema_a_list_under_a_named_key():
    listing, _ = run_in_client()
    schemas = {tool.name: tool.output_schema for tool in listing.tools}
    assert schemas["add_days"]["properties"]["due"] == {"format": "date", "title": "Due", "type": "string"}
    assert schemas["list_weekdays"] == {
        "type": "object",
        "properties": {"result": {"type": "array", "items": {"type": "string"}}},
        "required": ["result"],
    }
    assert schemas["consult_index"]["type"] == "object"


def test_every_tool_has_a_title_and_read_only_annotations():
    listing, _ = run_in_client()
    for tool in listing.tools:
        assert tool.title == tool.annotations.title == tool.name.replace("_", " ").capitalize()
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.annotations.idempotent_hint is True
        assert tool.annotations.open_world_hint is False


def test_the_same_json_follows_the_markdown_as_a_text_block():
    _, [result] = run_in_client(("add_days", {"event": "Standstill ends", "start": "2025-09-03"}))
    assert [block.type for block in result.content] == ["text", "text"]
    assert json.loads(result.content[1].text) == result.structured_content


def test_a_result_comes_back_as_structured_content_and_markdown():
    _, [result] = run_in_client(("add_days", {"event": "Standstill ends", "start": "2025-09-03"}))
    assert not result.is_error
    assert result.structured_content == {"event": "Standstill ends", "due": "2025-09-13"}
    assert result.content[0].text == "**Standstill ends**: 13 September 2025"


def test_a_list_result_is_wrapped_as_an_object():
    _, [result] = run_in_client(("list_weekdays", {"count": 2}))
    assert result.structured_content == {"result": ["Monday", "Tuesday"]}
    assert '"Monday"' in result.content[0].text


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("add_days", {"event": "x"}, "add_days arguments: start is required"),
        ("add_days", {"event": "x", "start": "2025-09-03", "colour": "red"}, "unknown field 'colour'"),
        ("add_days", {"event": "x", "start": "3rd September"}, "start = '3rd September'"),
        ("add_days", {"event": "x", "start": "2025-09-03", "days": -1}, "days = -1: must not be negative"),
        ("consult_index", {"query": "standstill"}, "not been built; run `commission index` first"),
        (
            "divide",
            {"numerator": 1, "denominator": 0},
            "Unexpected error (ZeroDivisionError): this is a bug in commission; details are in ",
        ),
        ("no_such_tool", {}, "There is no tool called 'no_such_tool'; the tools are add_days, list_weekdays"),
    ],
    ids=[
        "missing",
        "unknown-argument",
        "wrong-type",
        "tool-input-error",
        "commission-error",
        "bug",
        "no-tool",
    ],
)
def test_errors_come_back_as_one_line_tool_errors_and_the_server_carries_on(name, arguments, message):
    _, [error, after] = run_in_client((name, arguments), ("list_weekdays", {"count": 1}))
    assert error.is_error
    assert message in error.content[0].text
    assert "\n" not in error.content[0].text
    assert after.structured_content == {"result": ["Monday"]}


class Unprintable(BaseModel):
    """A result whose Markdown has a bug."""

    figure: float

    def to_markdown(self) -> str:
        raise OverflowError("cannot format that")


def report(figure: float) -> Unprintable:
    """Report a figure, with a bug in the report.

    Args:
        figure: any number.
    """
    return Unprintable(figure=figure)


def not_a_number(count: int) -> dict[str, Any]:
    """Return a result that is not strict JSON.

    Args:
        count: ignored.
    """
    return {"ratio": float("nan")}


@pytest.mark.parametrize("name", ["report", "not_a_number"])
def test_a_result_that_cannot_be_sent_is_a_tool_error_naming_the_bug(name, clean_environ):
    specs = [spec_for(report), spec_for(not_a_number), *SPECS]
    arguments = {"figure": 1.5} if name == "report" else {"count": 1}
    _, [error, after] = run_in_client((name, arguments), ("list_weekdays", {"count": 1}), specs=specs)
    assert error.is_error
    assert error.content[0].text.startswith("Unexpected error (")
    log = clean_environ / "logs" / "errors.log"
    assert f"details are in {log}. Please report it." in error.content[0].text
    assert after.structured_content == {"result": ["Monday"]}
