"""The draft as a Word document (python-docx) that opens in Word and LibreOffice.

Built only from the default template's own styles (Title, Heading 1, List Bullet, Caption, Table Grid), so
nothing depends on fonts or styles a reader lacks. Paragraph numbers are typed in as committee papers
print them (1.1, 1.2), so they survive any editor; placeholders are highlighted so none is missed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING

from tools.intent.model import PLACEHOLDER, Bullets, Paragraph, StatementDraft, Table

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.shared import Length
    from docx.text.paragraph import Paragraph as DocxParagraph

_INDENT_CM = 1.0
_A4_TEXT_WIDTH_CM = 21 - 2 * 2.5  # A4 less the 2.5 cm margins set in _a4


def render_docx(draft: StatementDraft) -> bytes:
    """The draft as the bytes of a .docx file."""
    from docx import Document

    document = Document()
    _british_english(document)
    _a4(document)
    properties, now = document.core_properties, datetime.now(UTC)
    properties.title, properties.author, properties.comments = (
        draft.title,
        "",
        "Draft: commission intent draft",
    )
    properties.created = properties.modified = now
    document.add_paragraph(draft.title, style="Title")
    for label, value in draft.title_block:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        _add_text(paragraph, value)
    for section in draft.sections:
        document.add_heading(f"{section.number}. {section.title}", level=1)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _numbered(document, block)
            elif isinstance(block, Bullets):
                for item in block.items:
                    _add_text(document.add_paragraph(style="List Bullet"), item)
            elif isinstance(block, Table):
                _table(document, block)
    stream = BytesIO()
    document.save(stream)
    return stream.getvalue()


def _numbered(document: DocumentObject, block: Paragraph) -> None:
    from docx.shared import Cm

    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.left_indent = Cm(_INDENT_CM)
    layout.first_line_indent = Cm(-_INDENT_CM)
    layout.tab_stops.add_tab_stop(Cm(_INDENT_CM))
    paragraph.add_run(f"{block.number}\t")
    if block.lead:
        paragraph.add_run(f"{block.lead} ").bold = True
    _add_text(paragraph, block.text)


def _table(document: DocumentObject, block: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    document.add_paragraph(block.caption, style="Caption")
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0]
    # Repeat the header row on each page a long table runs onto.
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, title in zip(header.cells, block.columns, strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    for values in block.rows:
        row = table.add_row()
        # A row is never split across two pages, so a figure is never parted from its label.
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, value in zip(row.cells, values, strict=True):
            _add_text(cell.paragraphs[0], value)
            if _FIGURE.match(value):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    widths = _column_widths(len(block.columns))
    # Word reads the cell widths, LibreOffice the table grid: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    # An empty paragraph after the table keeps the next heading from touching it.
    document.add_paragraph()


# Money and counts line up on the right, as in a finance table.
_FIGURE = re.compile(r"^-?£?-?[\d,]+(\.\d+)?(k|m|%)?$")


def _column_widths(count: int) -> list[Length]:
    """The label column wide enough for a category name, the figures sharing the rest of the A4 width."""
    from docx.shared import Cm

    usable = _A4_TEXT_WIDTH_CM
    if count == 1:
        return [Cm(usable)]
    first = min(3.5, usable / 2)
    rest: Length = Cm((usable - first) / (count - 1))
    return [Cm(first), *[rest] * (count - 1)]


def _add_text(paragraph: DocxParagraph, text: str) -> None:
    """The text as runs, with each `[To complete: ...]` placeholder highlighted yellow."""
    from docx.enum.text import WD_COLOR_INDEX

    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        paragraph.add_run(match.group()).font.highlight_color = WD_COLOR_INDEX.YELLOW
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def _a4(document: DocumentObject) -> None:
    """A4 with 2.5 cm margins, as English public bodies print (the default template is US Letter)."""
    from docx.shared import Cm

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)


def _british_english(document: DocumentObject) -> None:
    """Mark the text as English (UK), so Word and LibreOffice check its spelling as British English."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = document.styles["Normal"].element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    properties.append(language)
