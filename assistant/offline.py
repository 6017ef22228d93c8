"""Offline answers: with no language model configured, the passages that best match the question.

It never writes prose or pretends to be a model. It says plainly that no model is configured, shows the
best passages with their citations, and puts the sentences that match the question in bold, so an
officer can read the answer in the papers' own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.citations import Source

NO_MODEL = (
    "No language model is configured, so answers are the passages from the papers that best match your "
    "question (no model writes them). To add one, set COMMISSION_LLM_BASE_URL, COMMISSION_LLM_MODEL and "
    "COMMISSION_LLM_API_KEY in a .env file (see .env.example)."
)
HEADING = (
    "_No language model is configured: these are the passages from the papers that best match your "
    "question, with the matching sentences in bold._"
)


@dataclass
class OfflineAnswer:
    """The passages that answer a question offline, as Markdown and as `commission ask --json` data."""

    question: str
    passages: list[Any]
    markdown: str
    arguments: dict[str, Any] = field(default_factory=dict)

    @property
    def sources(self) -> list[Source]:
        return [Source.from_passage(passage) for passage in self.passages]

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.markdown,
            "sources": [source.citation | {"label": source.label} for source in self.sources],
            "tool_calls": [{"name": "search_papers", "arguments": self.arguments}],
        }


def answer_offline(question: str, *, k: int = 3) -> OfflineAnswer:
    """The `k` passages that best match `question`, with their matching sentences highlighted.

    Raises:
        InputError: the question is empty.
        KnowledgeIndexError: the paper index is missing or unreadable (the message says what to run).
    """
    from assistant.retrieval.tool import search_papers

    passages = search_papers(query=question, k=k)
    blocks = [HEADING]
    for rank, passage in enumerate(passages, start=1):
        blocks.append(_passage_markdown(rank, passage, question))
    if not passages:
        blocks.append("No passage in the papers matches that question. Try other words, or `/search`.")
    return OfflineAnswer(question, passages, "\n\n".join(blocks), {"query": question, "k": k})


def _passage_markdown(rank: int, passage: Any, question: str) -> str:
    from assistant.retrieval.highlight import best_sentences

    source = Source.from_passage(passage)
    text = passage.text.strip()
    for sentence in best_sentences(text, question):
        text = text.replace(sentence, _bold(sentence), 1)
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())
    return f"{rank}. **{source.reference()}**\n\n{quoted}"


def _bold(sentence: str) -> str:
    """The sentence in bold, leaving a list marker or paragraph number outside so Markdown still sees it."""
    marker = re.match(r"^(?:[-*+]\s+)?(?:\d+(?:\.\d+)*\.?\s+)?", sentence)
    prefix = marker.group(0) if marker else ""
    return f"{prefix}**{sentence[len(prefix) :]}**"
