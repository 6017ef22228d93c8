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
    monkeypatch.setenv("COMMISSION_LLM_CONTEXT", "131072")  # every tool offered; tests/test_context_budget.py


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
        {
            "name": "which_regime",
            "arguments": {"start": "2025-03-01", "buyer": "council", "service": "other"},
            "status": "ok",
        }
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


def finished(reason: str, **fields) -> dict:
    """A streamed event that ends the reply with `reason`."""
    event = delta(**fields)
    event["choices"][0]["finish_reason"] = reason
    return event


@pytest.mark.usefixtures("endpoint")
def test_an_answer_cut_off_by_the_length_limit_says_so(respx_mock: respx.MockRouter):
    respx_mock.post(URL).mock(
        return_value=sse(delta(content="The B&NES contract "), finished("length", content="is"))
    )
    result = runner.invoke(app, ["ask", "--json", "Who holds the B&NES contract?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["finish_reason"] == "length"
    assert data["answer"].startswith("The B&NES contract is\n\n_This answer was cut off")
    assert 'in the chat, say "continue" for the rest' in data["answer"]


@pytest.mark.usefixtures("endpoint")
def test_a_complete_answer_has_finish_reason_stop(respx_mock: respx.MockRouter):
    respx_mock.post(URL).mock(return_value=sse(finished("stop", content="Hello.")))
    data = json.loads(runner.invoke(app, ["ask", "--json", "Hello?"]).stdout)
    assert data["finish_reason"] == "stop"
    assert data["answer"] == "Hello."
    assert data["grounded"] is True


@pytest.mark.usefixtures("endpoint")
def test_streamed_arguments_that_are_not_json_keep_the_parsers_reason(respx_mock: respx.MockRouter):
    bad = {"index": 0, "id": "call_1", "type": "function", "function": {"name": "which_regime"}}
    bad["function"]["arguments"] = '{"start": 2025-03-01'
    route = respx_mock.post(URL)
    route.side_effect = [sse(delta(tool_calls=[bad])), sse(finished("stop", content="Sorry."))]
    result = runner.invoke(app, ["ask", "--json", "Which regime?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [ran] = data["tool_calls"]
    assert ran["status"] == "failed"
    assert "not valid JSON (Expecting ',' delimiter at character 14)" in ran["error"]
    sent = json.loads(route.calls[1].request.content)["messages"]
    tool_message = next(m for m in sent if m["role"] == "tool")
    assert "Expecting ',' delimiter at character 14" in tool_message["content"]


@pytest.mark.usefixtures("endpoint")
def test_json_is_printed_on_failure_too(respx_mock: respx.MockRouter):
    respx_mock.post(URL).mock(return_value=httpx.Response(401, json={"error": {"message": "bad key"}}))
    result = runner.invoke(app, ["ask", "--json", "Hello?"])
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "ModelError"
    assert error["exit_code"] == 1
    assert error["message"] and "\n" not in error["message"]
    assert result.stderr.startswith("Error: ")


def test_an_empty_question_with_json_is_json_too():
    result = runner.invoke(app, ["ask", "--json", "  "])
    assert result.exit_code != 0
    assert json.loads(result.stdout)["error"]["message"].startswith("QUESTION is empty")
