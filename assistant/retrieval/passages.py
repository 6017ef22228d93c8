"""A passage found in the papers, with the citation an officer can check it against.

`Passage.model_dump(mode="json")` is what `commission search --json` prints and what the agent and MCP
tools return; `to_markdown()` is what a person (or the language model) reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from assistant.retrieval.papers import UNDATED, date_label


class Citation(BaseModel):
    """Where a passage comes from."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(description="The paper's file name.")
    title: str = Field(description="The paper's title.")
    short: str = Field(description="The short name citations use, e.g. 'County Durham'.")
    date: str = Field(description="The paper's date, ISO (2017-11-09 or 2015-11), or 'undated'.")
    section: str = Field("", description="The heading the passage sits under.")
    paragraphs: list[str] = Field(default_factory=list, description="Numbered paragraphs, e.g. ['39'].")
    part: str = Field(
        "", description="Which of the passages under the same paragraphs or heading, e.g. '2 of 3'."
    )
    organisations: list[str] = Field(default_factory=list)
    body: str = Field("", description="The board or committee the paper went to.")
    start: int = Field(description="Offset of the passage's first character in the paper's text.")
    end: int = Field(description="Offset just past the passage's last character.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        """`County Durham, 9 November 2017, para 39` (or the section when paragraphs are not numbered),
        with `part 2 of 3` when other passages share the paragraphs or heading."""
        from assistant.retrieval.chunking import place

        parts = [self.short or self.title, date_label(self.date)]
        if self.paragraphs or self.section:
            parts.append(place(self.section, self.paragraphs))  # the most specific heading
        if self.part:
            parts.append(f"part {self.part}")
        return ", ".join(parts)

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any]) -> Citation:
        """The citation stored with a passage in the index."""
        return cls(
            file=str(metadata["file"]),
            title=str(metadata["title"]),
            short=str(metadata.get("short") or metadata["title"]),
            date=str(metadata.get("date") or UNDATED),
            section=str(metadata.get("section") or ""),
            paragraphs=_split(metadata.get("paragraphs"), ","),
            part=str(metadata.get("part") or ""),
            organisations=_split(metadata.get("organisations"), ";"),
            body=str(metadata.get("body") or ""),
            start=int(metadata.get("start", 0)),
            end=int(metadata.get("end", 0)),
        )


class Passage(BaseModel):
    """A passage of a paper that answers a search, best first in a list."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The passage as it reads in the paper.")
    score: float = Field(
        description=(
            "Relevance within this search (keyword, meaning and word-by-word scores, each standardised "
            "among the candidates, weighted and added); higher is better."
        )
    )
    citation: Citation

    def to_markdown(self) -> str:
        """The citation as a heading line, then the passage quoted."""
        where = self.citation.title + (f" — {self.citation.section}" if self.citation.section else "")
        quoted = "\n".join(f"> {line}" if line else ">" for line in self.text.splitlines())
        return f"**{self.citation.label}** ({where})\n\n{quoted}"


def passages_markdown(passages: list[Passage]) -> str:
    """Several passages as Markdown, or a plain sentence when there are none."""
    if not passages:
        return "No passage in the papers matches that search."
    return "\n\n".join(f"{rank}. {passage.to_markdown()}" for rank, passage in enumerate(passages, start=1))


def bm25_text(document: str, metadata: Mapping[str, Any]) -> str:
    """What keyword search indexes: the passage with its paper's names and section heading.

    A passage often never names its own paper ("the envelope" in B&NES's business case), so the names
    and heading are added; measured, this raised BM25 recall@1 markedly.
    """
    names = " ".join(str(metadata.get(key) or "") for key in ("short", "title", "section", "organisations"))
    return f"{names}\n{document}"


def dense_text(document: str, metadata: Mapping[str, Any]) -> str:
    """What the embedding model reads: the passage alone.

    Measured on the evaluation set, prefixing the paper's title pulled every passage of a paper towards
    the same vector and lowered dense recall; the heading is already the passage's first line where it
    opens a section.
    """
    return document


def _split(value: object, separator: str) -> list[str]:
    return [part.strip() for part in str(value or "").split(separator) if part.strip()]
