"""The structured draft: a title block, numbered sections of paragraphs, bullets and tables, and the gaps.

Both renderers (Markdown and Word) read this one structure, so the two never say different things.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, Field

PLACEHOLDER = re.compile(r"\[To complete: [^\]]*\]")


def placeholder(needed: str) -> str:
    """The mark left in the text where an input is missing."""
    return f"[To complete: {needed}]"


class Paragraph(BaseModel):
    kind: Literal["paragraph"] = "paragraph"
    number: str = Field(description="the paragraph number, e.g. '8.2'")
    text: str
    lead: str | None = Field(None, description="a bold lead-in, e.g. 'Workforce.'")


class Bullets(BaseModel):
    kind: Literal["bullets"] = "bullets"
    items: list[str]


class Table(BaseModel):
    kind: Literal["table"] = "table"
    caption: str
    columns: list[str]
    rows: list[list[str]]
    bold_rows: list[int] = Field(default_factory=list, description="rows printed in bold: totals")
    footnote: str | None = Field(None, description="one note under the table, e.g. what a * marks")


Block = Annotated[Paragraph | Bullets | Table, Field(discriminator="kind")]


class Section(BaseModel):
    number: int | str = Field(description="1, 2, … for a section; A, B, … for an appendix")
    title: str
    blocks: list[Block] = Field(default_factory=list)

    @property
    def heading(self) -> str:
        """`1. Background`, or `Appendix A. How this timetable was built`."""
        prefix = "Appendix " if isinstance(self.number, str) else ""
        return f"{prefix}{self.number}. {self.title}"


class Gap(BaseModel):
    """An input the officer did not give, and where it is marked."""

    section: str
    needed: str
    field: str = Field(description="the input field that would fill it")

    def line(self) -> str:
        return f"{self.section}: {self.needed} [{self.field}]"


class StatementDraft(BaseModel):
    """A complete draft: every section in order, a placeholder wherever an input was missing."""

    title: str
    kind: str
    title_block: list[tuple[str, str]] = Field(description="label and value pairs under the title")
    sections: list[Section]
    appendices: list[Section] = Field(default_factory=list, description="after the sections, lettered")
    gaps: list[Gap]
