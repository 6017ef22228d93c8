"""`commission ask` end to end through the real model client, with the endpoint mocked at HTTP (respx)."""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from typer.testing import CliRunner

from assistant.cli import app
from tests.test_llm_client import BASE, KEY, URL, delta, sse

runner = CliRunner()


def streamed_tool_call(name: str, arguments: dict) -> httpx.Response:
    """A tool call whose JSON arguments arrive in three pieces, as real endpoints send them."""
    raw = json.dumps(arguments)
    thirds = [raw[: len(raw) // 3], raw[len(raw) // 3 : 2 * len(raw) // 3], raw[2 * len(raw) // 3 :]]
    first = {
        "index": 0,
        "id": "call_1",
        "type": "function",
        "function": {"name": name, "arguments": thirds[0]},
    }
    rest = [{"index": 0, "function": {"arguments": piece}} for piece in thirds[1:]]
    return sse(
        delta(role="assistant", content=None, tool_calls=[first]), *(delta(tool_calls=[r]) for r in rest)
    )


@pytest.fixture
def endpoint(monkeypatch):
    monkeypatch.setenv("COMMISSION_LLM_BASE_URL", BASE)
    monkeypatch.setenv("COMMISSION_LLM_MODEL", "gpt-test")
    monkeypatch.setenv("COMMISSION_LLM_API_KEY", KEY)


@pytest.mark.usefixtures("endpoint")
def test_ask_with_a_streamed_tool_call_and_a_streamed_answer(respx_mock: respx.MockRouter):
    route = respx_mock.post(URL)
    route.side_effect = [
        streamed_tool_call("which_regime", {"start": "2025-03-01", "buyer": "council", "service": "other"}),
        sse(delta(content="The Procurement Act 2023 applies, "), delta(content="as the regime check says.")),
    ]
    result = runner.invoke(
        app, ["ask", "--json", "Which regime applies to a council contract from March 2025?"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["answer"] == "The Procurement Act 2023 applies, as the regime check says."
    assert data["tool_calls"] == [
        {"name": "which_regime", "arguments": {"start": "2025-03-01", "buyer": "council", "service": "other"}}
    ]
    assert data["sources"] == []

    first, second = (json.loads(call.request.content) for call in route.calls)
    offered = {tool["function"]["name"] for tool in first["tools"]}
    assert {"search_papers", "plan_timeline", "which_regime", "psr_route"} <= offered
    assert first["messages"][0]["role"] == "system"
    tool_reply = second["messages"][-1]
    assert tool_reply["role"] == "tool" and tool_reply["tool_call_id"] == "call_1"
    assert "Procurement Act 2023" in tool_reply["content"]
    assert KEY not in result.output


@pytest.mark.usefixtures("endpoint")
def test_ask_reports_an_unauthorised_key_in_one_line(respx_mock: respx.MockRouter):
    respx_mock.post(URL).mock(return_value=httpx.Response(401, json={"error": {"message": "bad key"}}))
    result = runner.invoke(app, ["ask", "Hello?"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "COMMISSION_LLM_API_KEY" in result.stderr
    assert KEY not in result.stderr
