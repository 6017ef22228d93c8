"""The context budget: the window from the setting or the server, and each request fitted to it."""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from langchain_core.messages import SystemMessage
from typer.testing import CliRunner

from assistant.agent import Agent
from assistant.cli import app
from assistant.config import Settings
from assistant.events import Notice
from assistant.llm import make_chat_model
from assistant.llm.budget import ContextBudgetError, Request, fit, tokens
from assistant.toolkit import get_tools
from assistant.toolspec import spec_for
from tests.fake_model import scripted
from tests.test_agent import ESTATES, add_weeks, search_papers
from tests.test_llm_client import BASE, KEY, URL, delta, sse

runner = CliRunner()


def schema(name: str, size: int) -> dict:
    return {"type": "function", "function": {"name": name, "description": "x" * size, "parameters": {}}}


def alphabetical(schemas: list[dict]) -> list[str]:
    return sorted(s["function"]["name"] for s in schemas)


def test_tokens_are_characters_over_four():
    assert tokens("") == 0
    assert tokens("abcd") == 1
    assert tokens("abcde") == 2


def test_a_request_that_fits_keeps_everything():
    request = Request("system", [schema("search_papers", 40)], ["passage"], [["old q", "old a"]], ["q"])
    fitted = fit(request, 8192, alphabetical)
    assert (fitted.turns_kept, fitted.passages_kept, fitted.tools) == (1, 1, ["search_papers"])


def test_history_goes_first_oldest_first_then_passages():
    old = [["q" * 2000, "a" * 2000], ["q" * 400]]  # about 1,000 and 100 tokens
    tools = [schema("search_papers", 300), schema("small_tool", 300)]  # about 100 tokens each
    request = Request("s" * 400, tools, ["p" * 2600, "p" * 2600], old, ["question"])
    # window 2048: 1,536 left after the answer; 2,700 asked for
    fitted = fit(request, 2048, alphabetical)
    assert (fitted.turns_kept, fitted.passages_kept) == (0, 1)
    assert fitted.tools == ["search_papers", "small_tool"]
    assert fitted.used <= 1536


def test_tools_over_half_the_room_are_cut_to_the_best_ranked_and_search_is_kept():
    tools = [schema("a_tool", 4000), schema("b_tool", 4000), schema("search_papers", 300)]
    ranked = ["b_tool", "a_tool", "search_papers"]
    fitted = fit(Request("system", tools, [], [], ["q"]), 4096, lambda schemas: ranked)
    assert fitted.tools == ["search_papers", "b_tool"]


def test_a_request_that_cannot_fit_says_which_part_and_what_to_set():
    with pytest.raises(ContextBudgetError) as caught:
        fit(Request("s" * 40_000, [schema("search_papers", 40)], [], [], ["q"]), 4096, alphabetical)
    message = str(caught.value)
    assert "the system prompt alone is about 10,000 tokens" in message
    assert "COMMISSION_LLM_CONTEXT" in message


def test_the_first_question_with_more_tools_than_the_window_holds_is_still_asked():
    model = scripted("Estates stay with the commissioners [County Durham, 9 November 2017, para 39].")
    big = [spec_for(search_papers), spec_for(add_weeks)]
    agent = Agent(model, get_tools(big), context_window=2048)  # 1,536 left; the system prompt is about 770
    agent.schemas = {"search_papers": schema("search_papers", 400), "add_weeks": schema("add_weeks", 8000)}
    events = list(agent.stream("Who keeps the estates costs?"))
    assert model.bound_tools == ["search_papers"]
    assert any(isinstance(e, Notice) and "leaves out 1 of 2 tools" in e.text for e in events)
    assert ESTATES in model.sent[0][0].content


def test_old_questions_are_left_out_before_the_passages():
    model = scripted("y" * 2000, "Second.")  # a 500-token answer
    agent = Agent(model, get_tools([spec_for(search_papers)]), context_window=3072)
    agent.ask("x" * 4000)  # a 1,000-token question: it fits alone, not with the next
    events = list(agent.stream("Who keeps the estates costs?"))
    sent = model.sent[1]
    assert isinstance(sent[0], SystemMessage) and ESTATES in sent[0].content
    assert [m.content for m in sent[1:]] == ["Who keeps the estates costs?"]
    assert any(isinstance(e, Notice) and "the 1 oldest question" in e.text for e in events)


@pytest.mark.parametrize(
    ("route", "reply", "expected"),
    [
        ("models", {"data": [{"id": "m", "max_model_len": 32768}]}, 32768),
        ("models", {"data": [{"id": "m", "context_length": 4096}]}, 4096),
        ("models", {"data": [{"id": "m", "meta": {"n_ctx": 2048}}]}, 2048),
        ("show", {"model_info": {"llama.context_length": 131072}}, 131072),
        ("neither", {}, 8192),
    ],
    ids=["vllm-max-model-len", "context-length", "llama-cpp-meta", "ollama-show", "default"],
)
def test_the_window_is_asked_of_the_server(respx_mock: respx.MockRouter, route, reply, expected):
    respx_mock.get(f"{BASE}/models").mock(
        return_value=httpx.Response(200, json=reply) if route == "models" else httpx.Response(404)
    )
    respx_mock.post(BASE.removesuffix("/v1") + "/api/show").mock(
        return_value=httpx.Response(200, json=reply) if route == "show" else httpx.Response(404)
    )
    model = make_chat_model(Settings(llm_base_url=BASE, llm_model="m", llm_api_key=KEY))
    assert model is not None
    assert model.context_window() == expected


def test_the_setting_wins_and_the_server_is_not_asked(respx_mock: respx.MockRouter):
    model = make_chat_model(Settings(llm_base_url=BASE, llm_model="m", llm_context=16384))
    assert model is not None and model.context_window() == 16384
    assert not respx_mock.calls


def test_ask_at_a_small_window_offers_fewer_tools_and_always_the_search(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter
):
    monkeypatch.setenv("COMMISSION_LLM_BASE_URL", BASE)
    monkeypatch.setenv("COMMISSION_LLM_MODEL", "gpt-test")
    monkeypatch.setenv("COMMISSION_LLM_CONTEXT", "4096")
    route = respx_mock.post(URL).mock(return_value=sse(delta(content="A PSR direct award.")))
    result = runner.invoke(app, ["ask", "--json", "Which PSR route fits a community service contract?"])
    assert result.exit_code == 0, result.output
    body = json.loads(route.calls[0].request.content)
    offered = [tool["function"]["name"] for tool in body["tools"]]
    assert offered[0] == "search_papers" and 1 < len(offered) < 12
    assert tokens(json.dumps(body, separators=(",", ":"))) <= 4096 - 1024


def test_ask_says_on_stderr_what_the_request_left_out(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter
):
    monkeypatch.setenv("COMMISSION_LLM_BASE_URL", BASE)
    monkeypatch.setenv("COMMISSION_LLM_MODEL", "gpt-test")
    monkeypatch.setenv("COMMISSION_LLM_CONTEXT", "4096")
    respx_mock.post(URL).mock(return_value=sse(delta(content="A PSR direct award.")))
    result = runner.invoke(app, ["ask", "Which PSR route fits a community service contract?"])
    assert result.exit_code == 0, result.output
    assert "To fit the model's 4,096-token window, this request leaves out" in result.stderr
    assert result.stdout.strip() == "A PSR direct award."
