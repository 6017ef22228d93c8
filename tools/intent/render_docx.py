"""The draft as a Word document (python-docx) that opens in Word and LibreOffice.

Built only from the default template's own styles (Title, Heading 1, List Bullet, Caption, Table Grid), so
nothing depends on fonts or styles a reader lacks. Paragraph numbers are typed in as committee papers
print them (1.1, 1.2), so they survive any editor; placeholders are highlighted so none is missed.

Tables are sized to their content so that no figure and no word is broken: figures sit in cells that do not
wrap, and a table too wide for a portrait page gets a landscape page of its own.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING

from tools.intent.model import PLACEHOLDER, Bullets, Paragraph, StatementDraft, Table

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.text.paragraph import Paragraph as DocxParagraph

_INDENT_CM = 1.0
NON_BREAKING_HYPHEN = "\u2011"


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
    for section in [*draft.sections, *draft.appendices]:
        document.add_heading(section.heading, level=1)
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
    """A table whose columns are wide enough that no word and no figure breaks: on a landscape page if
    the portrait width cannot hold them."""
    widths = column_widths(block, _PORTRAIT_CM)
    landscape = widths is None
    if landscape:
        _orientation(document, landscape=True)
    chosen = widths or column_widths(block, _LANDSCAPE_CM) or _squeezed(block, _LANDSCAPE_CM)
    caption = document.add_paragraph(block.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True
    _grid(document, block, chosen)
    if block.footnote:
        from docx.shared import Pt

        note = document.add_paragraph()
        _add_text(note, block.footnote)
        for run in note.runs:
            run.font.size = Pt(_TABLE_PT)
    if landscape:
        _orientation(document, landscape=False)
    else:
        # An empty paragraph after the table keeps the next heading from touching it.
        document.add_paragraph()


def _grid(document: DocumentObject, block: Table, widths: list[float]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    figures = [column > 0 and _all_figures(block, column) for column in range(len(block.columns))]
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0]
    # Repeat the header row on each page a long table runs onto.
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, title in zip(header.cells, block.columns, strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    for index, values in enumerate(block.rows):
        row = table.add_row()
        # A row is never split across two pages, so a figure is never parted from its label.
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, value in zip(row.cells, values, strict=True):
            # A compound such as Self-Management or pass-through stays whole in a narrow column.
            _add_text(cell.paragraphs[0], _WORD_HYPHEN.sub(NON_BREAKING_HYPHEN, value))
            if index in block.bold_rows:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    # Word reads the cell widths, LibreOffice the table grid: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for column, (cell, width) in enumerate(zip(row.cells, widths, strict=True)):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            if figures[column]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                # A figure is never broken across lines, whatever a reader's font.
                cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
            for run in paragraph.runs:
                run.font.size = Pt(_TABLE_PT)


_TABLE_PT = 9
_PORTRAIT_CM = 21 - 2 * 2.5  # A4 less the 2.5 cm margins set in _a4
_LANDSCAPE_CM = 29.7 - 2 * 2.5
_CHAR_CM = 0.19  # a generous average character at 9 pt (Calibri, or LibreOffice's Carlito)
_PADDING_CM = 0.5  # the cell's own margins, with room to spare
_LONGEST_CM = 9.0  # wider than this, a column of text may as well wrap
_WORD_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
# Money and counts line up on the right, as in a finance table.
_FIGURE = re.compile(r"^-?£?-?[\d,]+(\.\d+)?(k|m|%)?$")


def _all_figures(block: Table, column: int) -> bool:
    cells = [row[column] for row in block.rows if row[column]]
    return bool(cells) and all(_FIGURE.match(cell) for cell in cells)


def _text_cm(text: str) -> float:
    return len(text) * _CHAR_CM + _PADDING_CM


def column_widths(block: Table, usable: float) -> list[float] | None:
    """Column widths in cm filling `usable`, or None when the narrowest that break no word or figure are
    wider than it.

    Every column but the first (the labels) gets its whole longest entry if it can, so dates and figures
    sit on one line; the first takes what is left, never less than its longest word.
    """
    columns = range(len(block.columns))
    cells = [[row[c] for row in [block.columns, *block.rows]] for c in columns]
    figures = [c > 0 and _all_figures(block, c) for c in columns]
    # A figure is never broken; text may wrap between words, never inside one.
    narrowest = [
        max(
            _text_cm(piece)
            for row, text in enumerate(cells[c])
            for piece in ([text] if figures[c] and row else text.split() or [""])
        )
        for c in columns
    ]
    if sum(narrowest) > usable:
        return None
    # A column of figures is as wide as its widest figure; its heading may wrap between words.
    whole = [cells[c][1:] if figures[c] else cells[c] for c in columns]
    wanted = [
        max(narrowest[c], min(_LONGEST_CM, max((_text_cm(text) for text in whole[c]), default=0.0)))
        for c in columns
    ]
    rest = sum(wanted[1:])
    if wanted[0] + rest <= usable or narrowest[0] + rest <= usable:
        return [usable - rest, *wanted[1:]]
    spare = usable - sum(narrowest)
    slack = [wanted[c] - narrowest[c] for c in columns]
    return [narrowest[c] + spare * slack[c] / (sum(slack) or 1) for c in columns]


def _squeezed(block: Table, usable: float) -> list[float]:
    """Equal shares of `usable`: only for a table too wide even for a landscape page."""
    return [usable / len(block.columns)] * len(block.columns)


def _orientation(document: DocumentObject, *, landscape: bool) -> None:
    """Start a new page in landscape (or back in portrait) for what follows."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _add_text(paragraph: DocxParagraph, text: str) -> None:
    """The text as runs, with each `[To complete: ...]` placeholder highlighted yellow."""
    from docx.enum.text import WD_COLOR_INDEX

    text = text.replace("-£", NON_BREAKING_HYPHEN + "£")  # a negative amount stays on one line
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
