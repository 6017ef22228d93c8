"""Offline answers: with no language model configured, the passages that best match the question.

It never writes prose or pretends to be a model. It says plainly that no model is configured, shows the
best passages with their citations, and puts the sentence that best matches the question in bold, so an
officer can read the answer in the papers' own words. It is honest about what it found: below a
calibrated relevance (`RELEVANCE`) it says nothing in the papers answers the question; when one of the
tools answers the question (which regime, a timeline, an envelope, a PSR route) it names the slash command,
with the arguments the question gives; and under a passage about law that no longer applies on the
question's date (the 2013 regulations, PCR 2015) it says so, from the regime table's own dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.citations import Source
from assistant.events import ToolCall, TurnResult

NO_MODEL = (
    "No language model is configured, so answers are the passages from the papers that best match your "
    "question (no model writes them). To add one, set COMMISSION_LLM_BASE_URL, COMMISSION_LLM_MODEL and "
    "COMMISSION_LLM_API_KEY in a .env file (see .env.example)."
)
HEADING = (
    "_No language model is configured: these are the passages from the papers that best match your "
    "question, with the matching sentences in bold._"
)


RELEVANCE = 0.25
"""The cosine similarity (question to passage) that the best passage must reach to count as an answer.
Calibrated on the bundled papers: the answering passage of 41 of the 42 evaluation questions scores 0.29 to
0.80 (one 0.23); off-topic questions score at most 0.23 ("What is the weather in Leeds tomorrow?"), most
below 0.12 ("What is the capital of France?" 0.05)."""
NOTHING_FOUND = (
    "Nothing in the indexed papers answers that question. Try the words a committee paper would use "
    '("funding envelope", "direct award", "standstill"), name the paper or organisation, or index '
    "more papers with `commission index FOLDER`."
)

# Which papers' names for a regime mark a passage as describing it (the regimes and dates are the table's).
_REGIME_NAMES = {
    "pccr2013": r"Procurement, Patient Choice and Competition|PCCR|PPCCR|Monitor questions|2013 regulations",
    "pcr2015": r"Public Contracts Regulations 2015|PCRs? 2015|\bPCRs\b|Light Touch Regime",
}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_HEALTH = r"nurs|health|clinical|\bGP\b|hospital|mental|therap|community services|physio|dental|pharmac"
_SOCIAL = r"social care|home ?care|domiciliary|care homes?|supported living|residential care|reablement"


@dataclass(frozen=True)
class _ToolPointer:
    name: str
    pattern: str


# The questions a tool answers better than any passage; the command is built by `_command`.
_POINTERS = (
    _ToolPointer("regime", r"\bwhich\b.*\b(regime|regulations|rules|law)\b|\bregime\b.*\bappl"),
    _ToolPointer("psr", r"\bPSR\b|provider selection|direct award (process )?[abc]\b|most suitable provider"),
    _ToolPointer("timeline", r"\btimeline\b|\btimetable\b|how long\b|\bstandstill\b.*\bwhen\b|key dates"),
    _ToolPointer("envelope", r"\benvelope\b|\bbudget\b.*\b(split|year|uplift)"),
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
        """The shape `commission ask --json` gives with a model: the answer is whole (`finish_reason`
        "stop") and grounded, being nothing but the passages quoted and the pointers to tools."""
        search = ToolCall("search_papers", self.arguments)
        return TurnResult(
            self.question, self.markdown, self.sources, [search], finish_reason="stop"
        ).to_json()


def answer_offline(question: str, *, k: int = 3) -> OfflineAnswer:
    """The `k` passages that best match `question`, with their best-matching sentence highlighted.

    Raises:
        InputError: the question is empty.
        KnowledgeIndexError: the paper index is missing or unreadable (the message says what to run).
    """
    from assistant.retrieval.search import get_retriever
    from assistant.retrieval.tool import search_papers

    found = search_papers(query=question, k=k)
    relevance = get_retriever().similarity(question, found)
    passages = found if relevance and max(relevance) >= RELEVANCE else []
    blocks = [HEADING]
    pointer = tool_pointer(question)
    if pointer:
        blocks.append(pointer)
    when, said = _when(question)
    for rank, passage in enumerate(passages, start=1):
        blocks.append(_passage_markdown(rank, passage, question))
        note = outdated_law_note(passage.text, when, said)
        if note:
            blocks.append(note)
    if not passages:
        blocks.append(NOTHING_FOUND)
    return OfflineAnswer(question, passages, "\n\n".join(blocks), {"query": question, "k": k})


def question_date(question: str) -> date | None:
    """The date a question names (1 April 2026, 2026-04-01), or the first day of a year it names."""
    iso = re.search(r"\b(20\d\d)-(\d\d)-(\d\d)\b", question)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    months = "|".join(_MONTHS)
    written = re.search(rf"\b(\d{{1,2}})\s+({months})\s+(20\d\d)\b", question, re.I)
    if written:
        try:
            return date(int(written[3]), _MONTHS.index(written[2].capitalize()) + 1, int(written[1]))
        except ValueError:
            return None
    year = re.search(r"\b(20\d\d)\b", question)
    return date(int(year[1]), 1, 1) if year else None


def _when(question: str) -> tuple[date, str]:
    """The date a question is about, and how to say it: "on 1 April 2026", "in 2026" or "today"."""
    given = question_date(question)
    if given is None:
        return date.today(), "today"
    return given, (f"in {given.year}" if _start_argument(question).endswith("MM-DD") else f"on {_day(given)}")


def tool_pointer(question: str) -> str | None:
    """A line naming the slash command that answers `question`, arguments filled in, or None."""
    for pointer in _POINTERS:
        if re.search(pointer.pattern, question, re.I):
            command = _command(pointer.name, question)
            return f"_A tool answers this directly, from the rules rather than the papers:_ `{command}`"
    return None


def _command(name: str, question: str) -> str:
    start = _start_argument(question)
    if name == "regime":
        service = _service(question)
        buyer = _buyer(question, service)
        words = [f"--start {start}"] + [
            f"--{flag} {value}" for flag, value in (("buyer", buyer), ("service", service)) if value
        ]
        return "/checklist regime " + " ".join(words)
    if name == "psr":
        return "/checklist psr"
    if name == "timeline":
        return f"/timeline plan --start {start}" if question_date(question) else "/timeline routes"
    return "/envelope --help"


def _start_argument(question: str) -> str:
    given = question_date(question)
    if given is None:
        return "YYYY-MM-DD"
    exact = re.search(r"\b20\d\d-\d\d-\d\d\b|\b\d{1,2}\s+[A-Za-z]+\s+20\d\d\b", question)
    return given.isoformat() if exact else f"{given.year}-MM-DD"


def _service(question: str) -> str | None:
    if re.search(_SOCIAL, question, re.I):
        return "social-care"
    if re.search(_HEALTH, question, re.I):
        return "health"
    return None


def _buyer(question: str, service: str | None) -> str | None:
    if re.search(r"\b(council|local authority)\b", question, re.I):
        return "joint" if re.search(r"\b(ICB|CCG|NHS)\b", question) else "council"
    if re.search(r"\btrust\b", question, re.I):
        return "nhs-trust"
    if re.search(r"\b(ICB|CCG|NHS)\b", question) or service == "health":
        return "nhs"  # health care services are commissioned by the NHS unless a council is named
    return "council" if service == "social-care" else None


def outdated_law_note(text: str, when: date, said: str | None = None) -> str | None:
    """A note for a passage describing a regime that no longer applies on `when`, or None.

    Args:
        text: the passage.
        when: the date the question is about.
        said: how to say that date ("in 2026"); default "on" the date.
    """
    from tools.regimes import REGIMES, regime_for

    for regime_id, names in _REGIME_NAMES.items():
        regime = REGIMES[regime_id]  # type: ignore[index]
        until = regime.rule.applies_until
        if until is None or when <= until or not re.search(names, text):
            continue
        now = regime_for(regime.family, when)
        return (
            f"> _Note: this passage describes the {regime.short}, which apply only to procurements begun "
            f"on or before {_day(until)}; for one begun {said or 'on ' + _day(when)} the {now.short} applies "
            f"(`/checklist regime`)._"
        )
    return None


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _passage_markdown(rank: int, passage: Any, question: str) -> str:
    source = Source.from_passage(passage)
    text = passage.text.strip()
    sentence = best_sentence(text, question)
    if sentence:
        text = text.replace(sentence, _bold(sentence), 1)
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())
    return f"{rank}. **{source.reference()}**\n\n{quoted}"


def best_sentence(text: str, question: str) -> str | None:
    """The sentence of `text` that best matches `question`: the share of the question's words it carries,
    plus its cosine similarity to the question (which decides between sentences carrying as many)."""
    from assistant.retrieval.embeddings import get_embedder
    from assistant.retrieval.highlight import best_sentences, query_terms, sentence_terms

    candidates = best_sentences(text, question, limit=8)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    terms = query_terms(question)
    vectors = get_embedder().embed([question, *candidates])
    scores = [
        len(sentence_terms(sentence) & terms) / len(terms) + float(similarity)
        for sentence, similarity in zip(candidates, vectors[1:] @ vectors[0], strict=True)
    ]
    return candidates[scores.index(max(scores))]


def _bold(sentence: str) -> str:
    """The sentence in bold, leaving a list marker or paragraph number outside so Markdown still sees it."""
    marker = re.match(r"^(?:[-*+]\s+)?(?:\d+(?:\.\d+)*\.?\s+)?", sentence)
    prefix = marker.group(0) if marker else ""
    return f"{prefix}**{sentence[len(prefix) :]}**"
