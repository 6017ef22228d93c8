"""An answer exported from the chat (`/export md|docx`): the question, the answer and its sources.

`answer_markdown` puts the three together as Markdown. `markdown_to_docx` turns Markdown into a Word
document through a Markdown parser (markdown-it-py, which rich already depends on), so each construct
becomes the one an officer would have typed: headings, paragraphs, bullet and numbered lists (nested, and
numbered afresh for each list), block quotes, bold, italic, code, tables and hyperlinks.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it.token import Token

    from assistant.citations import Source

NO_SOURCES = "The answer drew on no passages from the papers."
LINK_SCHEMES = ("http://", "https://", "mailto:")
_LINK_COLOUR = (0x05, 0x63, 0xC1)


def answer_markdown(question: str | None, answer: str, sources: Sequence[Source]) -> str:
    """The question (quoted), the answer as given, then its sources with the passages they quote."""
    parts = []
    if question and question.strip():
        lines = question.strip().splitlines()
        quoted = [
            f"> **Question:** {lines[0]}",
            *(f"> {line}" if line.strip() else ">" for line in lines[1:]),
        ]
        parts.append("\n".join(quoted))
    parts.append(answer.strip())
    parts.append("## Sources")
    parts += [source.to_markdown() for source in sources] or [NO_SOURCES]
    return "\n\n".join(parts) + "\n"


def markdown_to_docx(markdown: str, *, title: str | None = None) -> bytes:
    """A .docx file (as bytes) with the Markdown's structure in Word's own styles."""
    from docx import Document
    from markdown_it import MarkdownIt

    document = Document()
    if title:
        document.add_heading(title, level=0)
    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    _Writer(document).write(parser.parse(markdown))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


@dataclass
class _List:
    ordered: bool
    number_id: int | None = None  # a fresh numbering for each top-level numbered list


@dataclass
class _Writer:
    """Walks markdown-it's block tokens, adding a Word paragraph or table for each block."""

    document: Any
    lists: list[_List] = field(default_factory=list)
    quotes: int = 0
    item_started: bool = False  # the next paragraph is the first of a list item

    def write(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                level = min(int(token.tag[1:]), 4)
                self._inline(self.document.add_heading("", level=level), tokens[index + 1])
                index += 2
            elif kind == "paragraph_open":
                self._inline(self._paragraph(), tokens[index + 1])
                index += 2
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.lists.append(_List(ordered=kind == "ordered_list_open"))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                self.item_started = True
            elif kind == "blockquote_open":
                self.quotes += 1
            elif kind == "blockquote_close":
                self.quotes -= 1
            elif kind in ("fence", "code_block"):
                self._code(token.content)
            elif kind == "table_open":
                index = self._table(tokens, index)
            index += 1

    def _paragraph(self) -> Any:
        if self.lists and self.item_started:
            self.item_started = False
            current = self.lists[-1]
            depth = len(self.lists)
            style = ("List Number" if current.ordered else "List Bullet") + (f" {depth}" if depth > 1 else "")
            paragraph = self.document.add_paragraph(style=style)
            if current.ordered and depth == 1:
                current.number_id = current.number_id or _fresh_numbering(self.document, style)
                _number(paragraph, current.number_id)
            return paragraph
        if self.lists:
            depth = len(self.lists)
            return self.document.add_paragraph(style="List Continue" + (f" {depth}" if depth > 1 else ""))
        return self.document.add_paragraph(style="Quote" if self.quotes else None)

    def _code(self, text: str) -> None:
        paragraph = self.document.add_paragraph()
        for number, line in enumerate(text.rstrip("\n").split("\n")):
            if number:
                paragraph.add_run().add_break()
            paragraph.add_run(line).font.name = "Consolas"

    def _table(self, tokens: list[Token], index: int) -> int:
        """A Markdown table as a Word table, header in bold; returns the index of `table_close`."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        rows: list[list[tuple[Token, bool]]] = []
        right = False
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                right = "text-align:right" in str(token.attrs.get("style", ""))
            elif token.type == "inline" and rows:
                rows[-1].append((token, right))
            index += 1
        if rows:
            columns = max(len(row) for row in rows)
            table = self.document.add_table(rows=len(rows), cols=columns)
            table.style = "Table Grid"
            for number, row in enumerate(rows):
                for column, (cell, right) in enumerate(row):
                    paragraph = table.cell(number, column).paragraphs[0]
                    self._inline(paragraph, cell, bold=number == 0)
                    if right:  # a column the Markdown aligns right: figures
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return index

    def _inline(self, paragraph: Any, token: Token, *, bold: bool = False) -> None:
        _Inline(paragraph, bold=bold).write(token.children or [])


@dataclass
class _Inline:
    """Runs for one paragraph's inline tokens: text, bold, italic, struck through, code, links, breaks."""

    paragraph: Any
    bold: bool = False
    italic: bool = False
    strike: bool = False
    link: Any = None  # the w:hyperlink element runs go into, inside a link

    def write(self, children: list[Token]) -> None:
        for child in children:
            kind = child.type
            if kind == "text" and child.content:
                self._run(child.content)
            elif kind == "code_inline":
                self._run(child.content).font.name = "Consolas"
            elif kind == "softbreak":
                self._run(" ")
            elif kind == "hardbreak":
                self._run("").add_break()
            elif kind in ("strong_open", "strong_close"):
                self.bold = kind == "strong_open"
            elif kind in ("em_open", "em_close"):
                self.italic = kind == "em_open"
            elif kind in ("s_open", "s_close"):
                self.strike = kind == "s_open"
            elif kind == "link_open":
                self.link = _hyperlink(self.paragraph, str(child.attrs.get("href", "")))
            elif kind == "link_close":
                self.link = None
            elif kind == "image":
                self._run(child.content or str(child.attrs.get("alt", "")))

    def _run(self, text: str) -> Any:
        from docx.shared import RGBColor

        run = self.paragraph.add_run(text)
        run.bold, run.italic = self.bold or None, self.italic or None
        if self.strike:
            run.font.strike = True
        if self.link is not None:
            run.font.color.rgb = RGBColor(*_LINK_COLOUR)
            run.font.underline = True
            self.link.append(run._r)  # moved from the paragraph into the hyperlink
        return run


def _hyperlink(paragraph: Any, url: str) -> Any:
    """A w:hyperlink to `url` at the end of the paragraph, or None for an address that is not a web or
    mail link (its text then stays plain)."""
    if not url.lower().startswith(LINK_SCHEMES):
        return None
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    paragraph._p.append(link)
    return link


def _fresh_numbering(document: Any, style: str) -> int:
    """A new numbering instance of the style's list, starting again at 1."""
    numbering = document.part.numbering_part.element
    style_number = document.styles[style].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_number).abstractNumId.val
    fresh = numbering.add_num(abstract)
    fresh.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(fresh.numId)


def _number(paragraph: Any, number_id: int) -> None:
    properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    properties.get_or_add_ilvl().val = 0
    properties.get_or_add_numId().val = number_id
