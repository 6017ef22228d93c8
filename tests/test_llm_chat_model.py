"""The chat model as the agent meets it (respx at the HTTP boundary), and how the settings configure it."""

from __future__ import annotations

import json
from functools import reduce
from operator import add
from typing import Any

import httpx
import pytest
import respx
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage, ToolMessage

from assistant.config import Settings
from assistant.errors import ConfigError, ModelError
from assistant.llm import make_chat_model
from tests.test_llm_client import BASE, KEY, URL, delta, model, reply, settings, sse


def sent(respx_mock: respx.MockRouter) -> dict[str, Any]:
    """The JSON body of the last request."""
    return json.loads(respx_mock.calls.last.request.content)


def joined(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    return reduce(add, chunks)


# --- answers -----------------------------------------------------------------------------------


def test_plain_answer(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(
        return_value=httpx.Response(200, json=reply("The standstill is 8 working days."))
    )
    answer = model().invoke([SystemMessage("Answer in British English."), HumanMessage("Standstill?")])
    assert answer.content == "The standstill is 8 working days."
    assert answer.usage_metadata == {"input_tokens": 12, "output_tokens": 3, "total_tokens": 15}
    assert answer.response_metadata == {"finish_reason": "stop", "model_name": "gpt-test"}
    body = sent(respx_mock)
    assert body == {
        "messages": [
            {"role": "system", "content": "Answer in British English."},
            {"role": "user", "content": "Standstill?"},
        ],
        "model": "gpt-test",
        "temperature": 0.1,
        "stream": False,
    }


def test_streamed_answer(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(
        return_value=sse(
            delta(role="assistant", content=""),
            delta(content="Eight "),
            delta(content="working days."),
            {
                "id": "chatcmpl-1",
                "model": "gpt-test",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            },
            {
                "id": "chatcmpl-1",
                "choices": [],
                "usage": {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13},
            },
        )
    )
    chunks = list(model(streaming=True).stream("Standstill?"))
    assert [c.content for c in chunks if c.content] == ["Eight ", "working days."]
    whole = joined(chunks)
    assert whole.content == "Eight working days."
    assert whole.usage_metadata == {"input_tokens": 9, "output_tokens": 4, "total_tokens": 13}
    assert whole.response_metadata["finish_reason"] == "stop"
    body = sent(respx_mock)
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


def test_invoke_streams_underneath_when_made_from_settings(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(return_value=sse(delta(content="Eight "), delta(content="working days.")))
    answer = model(streaming=True).invoke("Standstill?")
    assert answer.content == "Eight working days."
    assert sent(respx_mock)["stream"] is True


def piece(
    index: int, *, name: str | None = None, call_id: str | None = None, args: str = ""
) -> dict[str, Any]:
    call: dict[str, Any] = {"index": index, "type": "function", "function": {"arguments": args}}
    if name:
        call["function"]["name"] = name
    if call_id:
        call["id"] = call_id
    return delta(tool_calls=[call])


def test_streamed_tool_calls_in_pieces_assemble(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(
        return_value=sse(
            piece(0, name="search_papers", call_id="call_a", args=""),
            piece(0, args='{"query": "gain'),
            piece(1, name="plan_timeline", call_id="call_b", args='{"start": '),
            piece(0, args=' share"}'),
            piece(1, args='"2025-09-03"}'),
        )
    )
    whole = joined(list(model(streaming=True).stream("Find it and plan it")))
    assert whole.tool_calls == [
        {"name": "search_papers", "args": {"query": "gain share"}, "id": "call_a", "type": "tool_call"},
        {"name": "plan_timeline", "args": {"start": "2025-09-03"}, "id": "call_b", "type": "tool_call"},
    ]
    assert whole.invalid_tool_calls == []


def test_tool_call_pieces_that_repeat_name_and_id(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(
        return_value=sse(
            piece(0, name="search_papers", call_id="call_a", args='{"query": '),
            piece(0, name="search_papers", call_id="call_a", args='"capitation"}'),
        )
    )
    answer = model(streaming=True).invoke("Search")
    assert answer.tool_calls == [
        {"name": "search_papers", "args": {"query": "capitation"}, "id": "call_a", "type": "tool_call"}
    ]


def test_tool_calls_in_a_plain_reply(respx_mock: respx.MockRouter) -> None:
    calls = [
        {
            "id": "call_a",
            "type": "function",
            "function": {"name": "search_papers", "arguments": '{"query": "PSR"}'},
        },
        {
            "id": "call_b",
            "type": "function",
            "function": {"name": "plan_timeline", "arguments": '{"start": '},
        },
        {
            "id": "call_c",
            "type": "function",
            "function": {"name": "list_tools", "arguments": {"verbose": True}},
        },
    ]
    respx_mock.post(URL).mock(return_value=httpx.Response(200, json=reply(None, tool_calls=calls)))
    answer = model().invoke("Search")
    assert [(c["name"], c["args"], c["id"]) for c in answer.tool_calls] == [
        ("search_papers", {"query": "PSR"}, "call_a"),
        ("list_tools", {"verbose": True}, "call_c"),
    ]
    assert [(c["name"], c["args"], c["id"]) for c in answer.invalid_tool_calls] == [
        ("plan_timeline", '{"start": ', "call_b")
    ]


def test_a_server_that_ignores_stream_still_answers(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(200, json=reply("Whole answer")))
    whole = joined(list(model(streaming=True).stream("hi")))
    assert whole.content == "Whole answer"
    assert whole.usage_metadata == {"input_tokens": 12, "output_tokens": 3, "total_tokens": 15}


# --- tools and the conversation sent -----------------------------------------------------------


def search_papers(query: str, limit: int = 5) -> str:
    """Search the bundled commissioning papers.

    Args:
        query: what to look for.
        limit: how many passages to return.
    """
    return query


@pytest.mark.parametrize(
    ("tool_choice", "expected"),
    [
        pytest.param(None, None, id="no-choice"),
        pytest.param("any", "required", id="any-means-required"),
        pytest.param(
            "search_papers", {"type": "function", "function": {"name": "search_papers"}}, id="by-name"
        ),
    ],
)
def test_bind_tools_sends_the_tools(
    respx_mock: respx.MockRouter, tool_choice: str | None, expected: Any
) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(200, json=reply()))
    model().bind_tools([search_papers], tool_choice=tool_choice).invoke("Search")
    body = sent(respx_mock)
    function = body["tools"][0]["function"]
    assert body["tools"][0]["type"] == "function"
    assert function["name"] == "search_papers"
    assert function["description"].startswith("Search the bundled commissioning papers.")
    assert function["parameters"]["properties"]["query"] == {
        "description": "what to look for.",
        "type": "string",
    }
    assert function["parameters"]["required"] == ["query"]
    assert body.get("tool_choice") == expected


def test_bind_no_tools_sends_no_tools_field(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(200, json=reply()))
    model().bind_tools([], tool_choice="auto").invoke("hi")
    assert "tools" not in sent(respx_mock)
    assert "tool_choice" not in sent(respx_mock)


def test_tool_round_trip_history_is_sent_in_openai_form(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(200, json=reply()))
    history = [
        HumanMessage("Search"),
        AIMessage(
            "",
            tool_calls=[{"name": "search_papers", "args": {"query": "PSR"}, "id": "call_a"}],
            invalid_tool_calls=[
                {"name": "plan_timeline", "args": "{bad", "id": "call_b", "error": "not JSON"}
            ],
        ),
        ToolMessage("3 passages", tool_call_id="call_a"),
        ToolMessage("Error: arguments were not JSON", tool_call_id="call_b"),
    ]
    model().invoke(history, stop=["\nUser:"])
    body = sent(respx_mock)
    assert body["messages"][1]["tool_calls"] == [
        {
            "type": "function",
            "id": "call_a",
            "function": {"name": "search_papers", "arguments": '{"query": "PSR"}'},
        },
        {"type": "function", "id": "call_b", "function": {"name": "plan_timeline", "arguments": "{bad"}},
    ]
    assert body["messages"][2:] == [
        {"role": "tool", "tool_call_id": "call_a", "content": "3 passages"},
        {"role": "tool", "tool_call_id": "call_b", "content": "Error: arguments were not JSON"},
    ]
    assert body["stop"] == ["\nUser:"]


# --- endpoints and settings --------------------------------------------------------------------


def test_azure_url_and_header_shape(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(
        "https://contoso.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions"
    ).mock(return_value=httpx.Response(200, json=reply()))
    chat = make_chat_model(
        settings(
            llm_provider="azure",
            llm_base_url="https://contoso.openai.azure.com/openai/",
            llm_model="gpt4o-prod",
            llm_api_version="2024-10-21",
        )
    )
    assert chat is not None
    chat.invoke("hi")
    request = route.calls.last.request
    assert request.url.params["api-version"] == "2024-10-21"
    assert request.headers["api-key"] == KEY
    assert "authorization" not in request.headers
    assert "model" not in json.loads(request.content)


def test_azure_refused_key_names_the_azure_variables(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(url__regex=r".*/deployments/gpt4o-prod/chat/completions").mock(
        return_value=httpx.Response(401)
    )
    chat = model(
        llm_provider="azure", llm_base_url="https://contoso.openai.azure.com", llm_model="gpt4o-prod"
    )
    with pytest.raises(ModelError, match="check COMMISSION_LLM_API_KEY") as caught:
        chat.invoke("hi")
    assert "COMMISSION_LLM_BASE_URL" in str(caught.value)
    assert "COMMISSION_LLM_MODEL" in str(caught.value)


def test_azure_unknown_deployment_names_the_model_variable(respx_mock: respx.MockRouter) -> None:
    body = {
        "error": {
            "code": "DeploymentNotFound",
            "message": "The API deployment for this resource does not exist.",
        }
    }
    respx_mock.post(url__regex=r".*/deployments/gpt4o-prod/chat/completions").mock(
        return_value=httpx.Response(404, json=body)
    )
    chat = model(
        llm_provider="azure", llm_base_url="https://contoso.openai.azure.com", llm_model="gpt4o-prod"
    )
    with pytest.raises(
        ModelError, match=r"^The endpoint has no deployment called 'gpt4o-prod': check COMMISSION_LLM_MODEL"
    ):
        chat.invoke("hi")


def test_local_server_needs_no_key(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post("http://localhost:11434/v1/chat/completions").mock(
        return_value=httpx.Response(200, json=reply())
    )
    chat = make_chat_model(Settings(llm_base_url="http://localhost:11434/v1/", llm_model="llama3.2"))
    assert chat is not None
    chat.invoke("hi")
    assert "authorization" not in route.calls.last.request.headers


def test_no_endpoint_is_offline_mode() -> None:
    assert make_chat_model(Settings()) is None


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMISSION_LLM_BASE_URL", BASE)
    monkeypatch.setenv("COMMISSION_LLM_MODEL", "gpt-test")
    monkeypatch.setenv("COMMISSION_LLM_MAX_RETRIES", "5")
    chat = make_chat_model(Settings())
    assert chat is not None
    assert (chat.client.endpoint.url, chat.client.max_retries) == (URL, 5)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        pytest.param(
            {"llm_model": "gpt-4o"},
            "COMMISSION_LLM_MODEL is set but COMMISSION_LLM_BASE_URL is not",
            id="model-no-url",
        ),
        pytest.param(
            {"llm_provider": "azure"},
            "COMMISSION_LLM_PROVIDER is set but COMMISSION_LLM_BASE_URL is not",
            id="provider-no-url",
        ),
        pytest.param(
            {"llm_api_key": KEY}, "COMMISSION_LLM_API_KEY is set but COMMISSION_LLM_BASE_URL", id="key-no-url"
        ),
        pytest.param(
            {"llm_base_url": BASE},
            "COMMISSION_LLM_BASE_URL is set but COMMISSION_LLM_MODEL is not",
            id="url-no-model",
        ),
        pytest.param(
            {"llm_base_url": "localhost:11434", "llm_model": "m"},
            "COMMISSION_LLM_BASE_URL = 'localhost:11434' is not an http(s) URL",
            id="url-without-scheme",
        ),
        pytest.param(
            {"llm_provider": "azure", "llm_base_url": "https://contoso.openai.azure.com", "llm_model": "dep"},
            "Azure OpenAI needs an API key: set COMMISSION_LLM_API_KEY",
            id="azure-no-key",
        ),
        pytest.param(
            {"llm_base_url": BASE, "llm_model": "m", "llm_first_token_timeout": 0},
            "COMMISSION_LLM_FIRST_TOKEN_TIMEOUT = 0.0 must be a number of seconds above 0",
            id="zero-timeout",
        ),
        pytest.param(
            {"llm_base_url": BASE, "llm_model": "m", "llm_max_retries": -1},
            "COMMISSION_LLM_MAX_RETRIES = -1 must be 0 or more",
            id="negative-retries",
        ),
    ],
)
def test_incomplete_settings_name_the_variable(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        make_chat_model(Settings(**values))
    assert str(caught.value).startswith(message)
    assert KEY not in str(caught.value)
