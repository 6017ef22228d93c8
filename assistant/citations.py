"""The sources behind an answer: passages retrieved in this conversation, and the citations that name them.

The agent keeps every passage the paper search returned as a `Source`. When the model's answer is done,
`check_citations` finds each citation it wrote in square brackets (``[County Durham, 9 November 2017,
para 39]``), keeps those that name a retrieved passage, and flags the rest, so an officer never meets a
source nobody retrieved. `sources_section` builds the Sources list from the retrieved passages, never from
what the model wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

UNVERIFIED = "⚠ not among the passages retrieved"


@dataclass(frozen=True)
class Source:
    """One retrieved passage: its citation label, its citation details and its text."""

    label: str
    citation: dict[str, Any]
    text: str

    @classmethod
    def from_passage(cls, passage: Any) -> Source:
        """A `Source` from a paper-search passage (anything with `text` and `citation`)."""
        citation = passage.citation
        details = citation.model_dump(mode="json") if hasattr(citation, "model_dump") else dict(citation)
        return cls(citation_label(citation), details, str(passage.text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(str(data["label"]), dict(data.get("citation") or {}), str(data.get("text", "")))

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "citation": self.citation, "text": self.text}

    @property
    def paper(self) -> str:
        return str(self.citation.get("file") or _paper_part(self.label))

    @property
    def paragraphs(self) -> set[str]:
        given = self.citation.get("paragraphs")
        numbers = [str(item) for item in given] if given else _paragraph_numbers(self.label)
        return {number.lower() for number in numbers}

    def reference(self) -> str:
        """One line for a Sources list: the label, then the paper's title and section."""
        title, section = self.citation.get("title"), self.citation.get("section")
        section = None if section and str(section) in self.label else section
        details = "; ".join(str(part) for part in (title, f"section: {section}" if section else None) if part)
        return f"{self.label} — {details}" if details else self.label

    def to_markdown(self) -> str:
        quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in self.text.strip().splitlines())
        return f"**{self.reference()}**\n\n{quoted}"


def is_passage_list(value: Any) -> bool:
    """Whether a tool's result is a list of paper-search passages."""
    return isinstance(value, list) and bool(value) and all(_is_passage(item) for item in value)


def _is_passage(item: Any) -> bool:
    return hasattr(item, "text") and hasattr(item, "citation")


def citation_label(citation: Any) -> str:
    """The label a citation is cited by, such as "County Durham, 9 November 2017, para 39"."""
    label = getattr(citation, "label", None)
    if callable(label):
        label = label()
    if label is None and isinstance(citation, dict):
        label = citation.get("label")
    return str(label or getattr(citation, "title", None) or citation)


@dataclass
class CitationCheck:
    """The answer with unverified citations flagged, the sources it cited, and what was flagged."""

    text: str
    cited: list[Source] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)


# A bracketed span that is not a Markdown link, a checkbox or a footnote number.
_BRACKETED = re.compile(r"\[([^\[\]\n]{3,200})\](?!\()")
_LOOKS_LIKE_CITATION = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\bparas?\b|\bparagraphs?\b|\bundated\b|\bappendix\b", re.I
)


def check_citations(answer: str, sources: list[Source]) -> CitationCheck:
    """Keep citations that name a retrieved passage; flag the others in place."""
    check = CitationCheck(answer)

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        parts = [part.strip() for part in inner.split(";")]
        if not any(_LOOKS_LIKE_CITATION.search(part) for part in parts):
            return match.group(0)
        flagged = []
        for part in parts:
            found = _matching(part, sources)
            if found:
                check.cited.extend(source for source in found if source not in check.cited)
                flagged.append(part)
            else:
                check.unverified.append(part)
                flagged.append(f"{part} {UNVERIFIED}")
        return "[" + "; ".join(flagged) + "]"

    check.text = _BRACKETED.sub(replace, answer)
    return check


def _matching(cited: str, sources: list[Source]) -> list[Source]:
    wanted = _normal(cited)
    exact = [source for source in sources if _normal(source.label) == wanted]
    if exact:
        return exact[:1]
    same_paper = [source for source in sources if wanted.startswith(_normal(_paper_part(source.label)))]
    if not same_paper:
        return []
    numbers = {number.lower() for number in _paragraph_numbers(cited)}
    if not numbers:
        return same_paper[:1]
    covering = [source for source in same_paper if source.paragraphs & numbers]
    covered = set().union(*(source.paragraphs for source in covering)) if covering else set()
    return covering if numbers <= covered else []


def _normal(text: str) -> str:
    text = text.casefold().replace("–", "-").replace("—", "-")
    text = re.sub(r"\bparagraphs?\b|\bparas\b", "para", text)
    return " ".join(text.replace("  ", " ").split()).strip(" .,;:")


def _paper_part(label: str) -> str:
    """The paper's name and date: "County Durham, 9 November 2017" from "..., para 39"."""
    return ", ".join(label.split(", ")[:2])


def _paragraph_numbers(text: str) -> list[str]:
    """The paragraph numbers a citation names: "paras 39–41" gives 39, 40 and 41; "para 4.2" gives 4.2."""
    match = re.search(r"\b(?:paras?|paragraphs?)\b(.*)$", text, re.I)
    if not match:
        return []
    numbers: list[str] = []
    for piece in re.split(r",|\band\b|&", match.group(1)):
        span = re.match(r"\s*(\d+)\s*[-–—]\s*(\d+)\s*$", piece)
        if span and int(span.group(2)) - int(span.group(1)) < 50:
            numbers.extend(str(n) for n in range(int(span.group(1)), int(span.group(2)) + 1))
        else:
            numbers.extend(re.findall(r"\d+(?:\.\d+)*[a-z]?", piece))
    return numbers


def sources_section(sources: list[Source], *, unverified: list[str]) -> str:
    """The Markdown that ends an answer: its sources, and a warning for any citation nobody retrieved."""
    lines: list[str] = []
    if sources:
        lines += ["**Sources**", ""] + [f"- {source.reference()}" for source in sources]
    if unverified:
        names = "; ".join(unverified)
        lines += [
            "",
            f"⚠ Not verified: {names}. No passage retrieved in this conversation supports "
            "these citations; check them in the papers before relying on them.",
        ]
    return "\n".join(lines).strip()
