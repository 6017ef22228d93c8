"""The model as a langchain-core chat model: `invoke`, `stream` and `bind_tools` over `ChatClient`.

Why our own class rather than langchain-openai: the HTTP client is ours (its timeouts, retries with
`Retry-After` and one-line errors are the point), and with it the rest is message conversion, which
langchain-core already provides. It serves OpenAI-compatible servers and Azure OpenAI alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LangSmithParams, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, Field

from assistant.llm.client import ChatClient
from assistant.llm.failures import error_for_malformed
from assistant.llm.wire import Malformed, StreamDecoder, message_from_reply, openai_messages

ToolLike = dict[str, Any] | type | Callable[..., Any] | BaseTool


class CommissionChatModel(BaseChatModel):
    """A chat-completions endpoint (OpenAI-compatible or Azure OpenAI) as a langchain-core chat model.

    With `streaming=True`, `invoke` also streams underneath, so the first-token timeout applies to it
    rather than to the whole answer.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    client: ChatClient = Field(exclude=True)
    temperature: float | None = 0.1
    streaming: bool = False
    stream_usage: bool = True  # ask for token counts at the end of a stream (OpenAI's stream_options)
    context_tokens: int | None = None  # COMMISSION_LLM_CONTEXT; else asked of the server once

    def context_window(self) -> int:
        """The model's context window in tokens: as set, else as the server says, else 8,192."""
        if self.context_tokens is None:
            from assistant.llm.budget import DEFAULT_CONTEXT

            self.context_tokens = self.client.discover_context() or DEFAULT_CONTEXT
        return self.context_tokens

    @property
    def _llm_type(self) -> str:
        return f"commission-{self.client.endpoint.provider}"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        endpoint = self.client.endpoint
        return {"provider": endpoint.provider, "base_url": endpoint.shown_url, "model_name": endpoint.model}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = super()._get_ls_params(stop=stop, **kwargs)
        params["ls_provider"] = self.client.endpoint.provider
        params["ls_model_name"] = self.client.endpoint.model
        return params

    def bind_tools(
        self,
        tools: Sequence[ToolLike],
        *,
        tool_choice: str | dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """The model with these tools offered on every call.

        Args:
            tools: functions, pydantic models, langchain tools or OpenAI tool dicts.
            tool_choice: "auto", "none", "required" (or "any"), a tool's name, or an OpenAI tool_choice dict.
            **kwargs: further request fields, such as `parallel_tool_calls`.
        """
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        if tool_choice is not None:
            kwargs["tool_choice"] = _tool_choice(tool_choice)
        return self.bind(tools=formatted, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        data = self.client.complete(self._body(messages, stop, kwargs))
        try:
            message = message_from_reply(data)
        except Malformed as error:
            raise error_for_malformed(error.reason, what="reply") from None
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        body = self._body(messages, stop, kwargs)
        if self.stream_usage:
            body["stream_options"] = {"include_usage": True}
        decoder = StreamDecoder()
        for event in self.client.stream(body):
            try:
                chunk = decoder.chunk(event)
            except Malformed as error:
                raise error_for_malformed(error.reason) from None
            if chunk is None:
                continue
            generation = ChatGenerationChunk(message=chunk)
            if run_manager:
                run_manager.on_llm_new_token(chunk.text, chunk=generation)
            yield generation
        yield ChatGenerationChunk(message=decoder.last())

    def _body(
        self, messages: list[BaseMessage], stop: list[str] | None, extra: dict[str, Any]
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"messages": openai_messages(messages)}
        if self.client.endpoint.provider != "azure":  # Azure takes the model from the deployment in the URL
            body["model"] = self.client.endpoint.model
        if self.temperature is not None:
            body["temperature"] = self.temperature
        if stop:
            body["stop"] = stop
        extra = {name: value for name, value in extra.items() if name != "stream"}
        if not extra.get("tools"):  # servers reject an empty list of tools
            extra.pop("tools", None)
            extra.pop("tool_choice", None)
        return {**body, **extra}


def _tool_choice(choice: str | dict[str, Any]) -> str | dict[str, Any]:
    if isinstance(choice, dict) or choice in ("auto", "none", "required"):
        return choice
    if choice == "any":
        return "required"
    return {"type": "function", "function": {"name": choice}}
