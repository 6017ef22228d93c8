"""The language model: an OpenAI-compatible or Azure OpenAI chat-completions endpoint over httpx.

    model = make_chat_model(get_settings())    # None: no endpoint configured, run offline
    for chunk in model.bind_tools(tools).stream(messages): ...

The modules, from the wire up: `sse` (server-sent events), `endpoint` (settings checked into a URL, headers
and model), `failures` (one-line `ModelError`s), `limits` (the deadline and the byte caps on a reply),
`client` (timeouts and retries), `wire` (JSON to and from langchain messages, every field's type checked)
and `chat_model` (the langchain-core `BaseChatModel`).
"""

from __future__ import annotations

import time

import httpx

from assistant.config import Settings
from assistant.llm.chat_model import CommissionChatModel
from assistant.llm.client import ChatClient, Sleep
from assistant.llm.endpoint import Endpoint, endpoint_from_settings
from assistant.llm.failures import ContextLengthError

__all__ = ["ChatClient", "CommissionChatModel", "ContextLengthError", "Endpoint", "make_chat_model"]


def make_chat_model(
    settings: Settings,
    *,
    sleep: Sleep = time.sleep,
    transport: httpx.BaseTransport | None = None,
) -> CommissionChatModel | None:
    """The configured chat model, streaming underneath, or None when no endpoint is set (offline mode).

    Args:
        settings: the `COMMISSION_LLM_*` settings.
        sleep: how to wait between retries (tests pass one that does not wait).
        transport: an httpx transport in place of the network, for tests.

    Raises:
        ConfigError: the model settings are incomplete or malformed; the message names the variable.
    """
    endpoint = endpoint_from_settings(settings)
    if endpoint is None:
        return None
    client = ChatClient(
        endpoint,
        connect_timeout=settings.llm_connect_timeout,
        first_token_timeout=settings.llm_first_token_timeout,
        deadline=settings.llm_deadline,
        max_retries=settings.llm_max_retries,
        sleep=sleep,
        transport=transport,
    )
    return CommissionChatModel(
        client=client,
        temperature=settings.llm_temperature,
        streaming=True,
        context_tokens=settings.llm_context,
    )
