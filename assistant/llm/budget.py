"""The context budget: how big the model's window is, and fitting each request into it.

The window is `COMMISSION_LLM_CONTEXT` if set, else what the server says where it can (Ollama's
`/api/show`, an OpenAI-style `/v1/models` entry's `context_length` or `max_model_len`, as vLLM and
llama.cpp's server give), else 8,192 tokens. Tokens are counted approximately, as characters / 4: no
tokenizer for the officer's model is at hand, and the estimate errs large for English prose.

A request is the system prompt, the tools offered, the passages found for the question, the earlier
conversation and this turn; a quarter of the window (at most 1,024 tokens) is kept for the answer. Tools
that alone take more than half of the rest are cut to the ones the question needs (ranked against it
with the bundled embedder; the paper search is always kept). Then, while the request does not fit, the
earlier conversation goes (oldest turn first), then the passages (lowest ranked first), then more tools.
What still cannot fit is a `ContextBudgetError` naming the biggest part and what to set.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from assistant.llm.endpoint import Endpoint
from assistant.llm.failures import ContextLengthError

log = logging.getLogger(__name__)

DEFAULT_CONTEXT = 8192
CHARS_PER_TOKEN = 4
ANSWER_SHARE = 0.25
"""The share of the window kept for the answer (at most `MAX_ANSWER_TOKENS`)."""
MAX_ANSWER_TOKENS = 1024
TOOLS_SHARE = 0.5
"""The share of what is left after the answer that the tools may take before only the relevant are offered."""
ALWAYS_OFFERED = "search_papers"


class ContextBudgetError(ContextLengthError):
    """A request cannot fit the model's context window; the message says which part and what to set."""


def tokens(text: str) -> int:
    """The approximate number of tokens in `text` (characters / 4, rounded up)."""
    return -(-len(text) // CHARS_PER_TOKEN)


def tool_tokens(schema: dict[str, Any]) -> int:
    """The approximate tokens one tool's OpenAI schema takes in a request."""
    return tokens(json.dumps(schema, ensure_ascii=False, separators=(",", ":")))


def discover_context(endpoint: Endpoint, http: httpx.Client, *, timeout: float = 3.0) -> int | None:
    """The model's context window as the server reports it, or None if it does not say or cannot be asked."""
    if endpoint.provider == "azure":
        return None
    root = endpoint.base_url.removesuffix("/v1")
    asks: list[Callable[[], int | None]] = [
        lambda: _from_models(http.get(f"{endpoint.base_url}/models", timeout=timeout), endpoint.model),
        lambda: _from_ollama(http.post(f"{root}/api/show", json={"model": endpoint.model}, timeout=timeout)),
    ]
    for ask in asks:
        try:
            found = ask()
        except Exception as error:  # any failure only means the server does not say
            log.debug("context window not reported: %s", error)
            continue
        if found:
            return found
    return None


def _from_models(response: httpx.Response, model: str) -> int | None:
    if not response.is_success:
        return None
    entries = [entry for entry in response.json().get("data") or [] if isinstance(entry, dict)]
    named = [entry for entry in entries if entry.get("id") == model] or entries[:1]
    for entry in named:
        meta = entry["meta"] if isinstance(entry.get("meta"), dict) else {}
        for value in (entry.get("context_length"), entry.get("max_model_len"), meta.get("n_ctx")):
            if isinstance(value, int) and value > 0:
                return value
    return None


def _from_ollama(response: httpx.Response) -> int | None:
    if not response.is_success:
        return None
    info = response.json().get("model_info") or {}
    for key, value in info.items():
        if key.endswith(".context_length") and isinstance(value, int) and value > 0:
            return value
    return None


@dataclass
class Request:
    """The parts of one request, each as text whose size can be estimated."""

    system: str
    tools: list[dict[str, Any]]
    passages: list[str] = field(default_factory=list)
    history: list[list[str]] = field(default_factory=list)
    """Earlier turns, oldest first; each the texts of its messages."""
    turn: list[str] = field(default_factory=list)


@dataclass
class Fitted:
    """What the request keeps: how many earlier turns (the newest), passages (the best) and which tools."""

    turns_kept: int
    passages_kept: int
    tools: list[str]
    window: int
    used: int


def fit(request: Request, window: int, rank: Callable[[list[dict[str, Any]]], list[str]]) -> Fitted:
    """Fit `request` into `window` tokens, dropping what matters least first.

    Args:
        request: the parts of the request.
        window: the model's context window, in tokens.
        rank: orders tool schemas by relevance to the question, best first, returning their names.

    Raises:
        ContextBudgetError: even the system prompt, one tool, no passages and no history do not fit.
    """
    room = window - min(MAX_ANSWER_TOKENS, int(window * ANSWER_SHARE))
    fixed = tokens(request.system) + sum(tokens(text) for text in request.turn)
    passages = [tokens(text) for text in request.passages]
    history = [sum(tokens(text) for text in turn) for turn in request.history]
    tools = {schema["function"]["name"]: size for schema, size in _sized(request.tools)}
    names = list(tools)

    def used() -> int:
        return fixed + sum(passages) + sum(history) + sum(tools[name] for name in names)

    if sum(tools.values()) > room * TOOLS_SHARE:  # the tools alone overflow their share
        names = _fewer_tools(rank(request.tools), tools, int(room * TOOLS_SHARE))
    while history and used() > room:
        history.pop(0)
    while passages and used() > room:
        passages.pop()
    if used() > room:
        names = _fewer_tools(rank(request.tools), tools, room - (used() - sum(tools[n] for n in names)))
    if used() > room:
        raise ContextBudgetError(_too_big(request, window, room, fixed, tools))
    return Fitted(len(history), len(passages), names, window, used())


def _sized(schemas: Sequence[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    return [(schema, tool_tokens(schema)) for schema in schemas]


def _fewer_tools(ranked: list[str], sizes: dict[str, int], room: int) -> list[str]:
    """The best-ranked tools that fit in `room` tokens, the paper search first if there is one."""
    order = [ALWAYS_OFFERED] if ALWAYS_OFFERED in sizes else []
    order += [name for name in ranked if name != ALWAYS_OFFERED and name in sizes]
    chosen: list[str] = []
    total = 0
    for name in order:
        if total + sizes[name] <= room or (not chosen and name == ALWAYS_OFFERED):
            chosen.append(name)
            total += sizes[name]
    return chosen


def _too_big(request: Request, window: int, room: int, fixed: int, tools: dict[str, int]) -> str:
    system, turn = tokens(request.system), fixed - tokens(request.system)
    parts = {"the system prompt": system, "this question and its tool results": turn}
    if tools:
        biggest = max(tools, key=lambda name: tools[name])
        parts[f"the tool {biggest}"] = tools[biggest]
    part, size = max(parts.items(), key=lambda item: item[1])
    return (
        f"The request does not fit the model's context window ({window:,} tokens, {room:,} left after room "
        f"for the answer): {part} alone is about {size:,} tokens. Set COMMISSION_LLM_CONTEXT to the "
        "model's real window if it is larger, or serve the model with a larger context "
        "(Ollama: num_ctx; llama.cpp: --ctx-size)"
    )


def rank_tools(question: str) -> Callable[[list[dict[str, Any]]], list[str]]:
    """Orders tool schemas by how close their descriptions are to `question`, with the bundled embedder."""

    def rank(schemas: list[dict[str, Any]]) -> list[str]:
        from assistant.retrieval.embeddings import get_embedder

        names = [schema["function"]["name"] for schema in schemas]
        texts = [f"{s['function']['name']}: {s['function'].get('description', '')}" for s in schemas]
        vectors = get_embedder().embed([question, *texts])
        scores = (vectors[1:] @ vectors[0]).tolist()
        return [names[n] for n in sorted(range(len(names)), key=lambda n: -scores[n])]

    return rank
