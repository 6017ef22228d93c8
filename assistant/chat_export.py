"""An answer or a conversation as a Word document, from the Markdown the chat shows.

Answers are simple Markdown: headings, paragraphs, bullet and numbered lists, block quotes, bold and
italic, and the occasional table. Each becomes the Word construct an officer would have typed, so the
document can go straight into a paper.
"""

from __future__ import annotations

import io
import re
from typing import Any

_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`)")


def markdown_to_docx(markdown: str, *, title: str | None = None) -> bytes:
    """A .docx file (as bytes) with the Markdown's structure in Word's own styles."""
    from docx import Document

    document = Document()
    if title:
        document.add_heading(title, level=0)
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        if line.startswith("|") and index + 1 < len(lines) and re.match(r"^\|[\s:|-]+\|$", lines[index + 1]):
            rows = []
            while index < len(lines) and lines[index].startswith("|"):
                rows.append(lines[index])
                index += 1
            _table(document, rows)
            continue
        _line(document, line)
        index += 1
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _line(document: Any, line: str) -> None:
    heading = re.match(r"^(#{1,6})\s+(.*)$", line)
    bullet = re.match(r"^\s*[-*+]\s+(.*)$", line)
    numbered = re.match(r"^\s*\d+[.)]\s+(.*)$", line)
    if not line.strip() or line.strip() in {">", "---"}:
        return
    if heading:
        document.add_heading(_plain(heading.group(2)), level=min(len(heading.group(1)), 4))
    elif bullet:
        _runs(document.add_paragraph(style="List Bullet"), bullet.group(1))
    elif numbered:
        _runs(document.add_paragraph(style="List Number"), numbered.group(1))
    elif line.startswith(">"):
        _runs(document.add_paragraph(style="Quote"), line.lstrip("> "))
    else:
        _runs(document.add_paragraph(), line)


def _runs(paragraph: Any, text: str) -> None:
    for piece in _INLINE.split(text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece[0] in "*_" and piece[-1] == piece[0] and len(piece) > 2:
            paragraph.add_run(piece[1:-1]).italic = True
        elif piece.startswith("`") and piece.endswith("`"):
            paragraph.add_run(piece[1:-1]).font.name = "Consolas"
        else:
            paragraph.add_run(piece)


def _table(document: Any, rows: list[str]) -> None:
    cells = [[_plain(cell.strip()) for cell in row.strip().strip("|").split("|")] for row in rows]
    header, body = cells[0], cells[2:]
    table = document.add_table(rows=1 + len(body), cols=len(header))
    table.style = "Table Grid"
    for row_number, row in enumerate([header, *body]):
        for column, value in enumerate(row[: len(header)]):
            table.cell(row_number, column).text = value
            if row_number == 0:
                for run in table.cell(0, column).paragraphs[0].runs:
                    run.bold = True


def _plain(text: str) -> str:
    return re.sub(r"\*\*|`", "", text)
