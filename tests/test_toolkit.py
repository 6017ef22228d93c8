"""`assistant.toolkit.get_tools()`: each registered tool once, as a langchain-core tool with its schema."""

from __future__ import annotations

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool, StructuredTool

from assistant import registry
from assistant.toolkit import get_tools
from assistant.toolspec import spec_for
from tests.test_agent import add_weeks, search_papers


def invoke(tool: BaseTool, arguments: dict) -> ToolMessage:
    message = tool.invoke({"type": "tool_call", "id": "t1", "name": tool.name, "args": arguments})
    assert isinstance(message, ToolMessage)
    return message


def test_each_spec_becomes_one_structured_tool_offered_in_its_lean_form():
    specs = [spec_for(add_weeks), spec_for(search_papers)]
    tools = get_tools(specs)
    assert [tool.name for tool in tools] == ["add_weeks", "search_papers"]
    for tool, spec in zip(tools, specs, strict=True):
        assert isinstance(tool, StructuredTool)
        assert tool.args_schema == spec.lean_schema()
        assert tool.description == spec.brief
    assert tools[0].args == {"weeks": {"description": "how many weeks, 1 to 52", "type": "integer"}}


def test_a_result_comes_back_as_markdown_content_with_the_object_as_artifact():
    tool = get_tools([spec_for(search_papers)])[0]
    message = invoke(tool, {"query": "estates", "k": 1})
    assert message.status == "success"
    assert message.content.startswith("**County Durham, 9 November 2017, para 39**")
    assert [passage.citation.short for passage in message.artifact] == ["County Durham"]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"weeks": "lots"}, "Error: add_weeks arguments: weeks = 'lots': Input should be a valid integer"),
        (
            {},
            "Error: add_weeks arguments: weeks is required. Correct the arguments and call add_weeks again.",
        ),
        ({"weeks": 2, "days": 3}, "Error: add_weeks arguments: unknown field 'days'"),
        ({"weeks": 60}, "Error: weeks = 60: give a number of weeks from 1 to 52"),
    ],
    ids=["wrong-type", "missing", "unknown-field", "input-error-from-the-tool"],
)
def test_bad_arguments_become_an_error_tool_message_the_model_can_act_on(arguments, expected):
    message = invoke(get_tools([spec_for(add_weeks)])[0], arguments)
    assert message.status == "error"
    assert message.content.startswith(expected)


def test_without_specs_it_wraps_every_registered_tool(monkeypatch):
    specs = (spec_for(add_weeks), spec_for(search_papers))
    monkeypatch.setattr(registry, "all_specs", lambda: specs)
    assert [tool.name for tool in get_tools()] == ["add_weeks", "search_papers"]


def test_every_registered_tool_is_wrapped_once_with_its_own_schema():
    specs = registry.all_specs()
    tools = get_tools()
    assert [tool.name for tool in tools] == [spec.name for spec in specs]
    assert {"search_papers", "plan_timeline", "compute_envelope", "which_regime"} <= {
        tool.name for tool in tools
    }
    for tool, spec in zip(tools, specs, strict=True):
        assert tool.args_schema == spec.lean_schema()
        assert tool.description == spec.brief


def test_a_real_tool_answers_through_the_toolkit_and_refuses_a_bad_buyer():
    tool = next(tool for tool in get_tools() if tool.name == "which_regime")
    answer = invoke(tool, {"start": "2025-03-01", "buyer": "council", "service": "other"})
    assert answer.status == "success"
    assert "Procurement Act 2023" in answer.content
    refused = invoke(tool, {"start": "2025-03-01", "buyer": "charity", "service": "other"})
    assert refused.status == "error"
    assert refused.content.startswith("Error: which_regime arguments: buyer = 'charity'")


def add_months(months: int) -> str:
    """Add months to today, with a bug for large numbers.

    Args:
        months: how many months.
    """
    raise OverflowError("date value out of range")


def test_a_bug_in_a_tool_is_an_error_message_saying_so_and_never_ends_the_run(clean_environ):
    message = invoke(get_tools([spec_for(add_months)])[0], {"months": 10**6})
    assert message.status == "error"
    log = clean_environ / "logs" / "errors.log"
    assert message.content == (
        f"Error: Unexpected error (OverflowError): this is a bug in commission; details are in {log}. "
        "Please report it."
    )
    assert "in add_months" in log.read_text()
