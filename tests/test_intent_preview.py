"""The Word file rendered as a reader sees it: LibreOffice to PDF, poppler to one PNG a page (`make preview`
does the same into preview/). Skipped where LibreOffice or poppler is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.test_intent_board import banes_statement
from tools.intent import draft_from_file, render_docx
from tools.intent.model import Table

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("soffice", "pdftoppm", "pdftotext")),
        reason="needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext)",
    ),
]


def render(docx: Path) -> tuple[Path, list[Path]]:
    """The PDF LibreOffice makes of `docx`, and a PNG of each of its pages."""
    profile = docx.parent / "libreoffice-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx.parent),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = docx.with_suffix(".pdf")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(pdf), str(docx.parent / "page")], check=True, timeout=120
    )
    return pdf, sorted(docx.parent.glob("page*.png"))


@pytest.mark.parametrize("which", ["example", "banes-psr-competitive"])
def test_the_word_file_renders_with_every_figure_whole(tmp_path, which):
    statement = EXAMPLES / "statement-of-intent.yaml" if which == "example" else banes_statement(tmp_path)
    draft = draft_from_file(statement)
    docx = tmp_path / "statement.docx"
    docx.write_bytes(render_docx(draft))
    pdf, pages = render(docx)
    assert len(pages) >= 5 and all(page.stat().st_size > 0 for page in pages)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = text.splitlines()
    envelope = next(
        block
        for section in draft.sections
        for block in section.blocks
        if isinstance(block, Table) and block.columns[0] in ("£000", "£m")
    )
    # Each row's label starts a line of the PDF that carries every one of its figures, whole and in order.
    for label, *cells in envelope.rows:
        first_word = label.split()[0]
        printed = [
            line for line in lines if line.strip().startswith(first_word) and all(c in line for c in cells)
        ]
        assert printed, (label, cells)
    # The timetable's dates and durations are whole too.
    timetable = next(
        b for s in draft.sections for b in s.blocks if isinstance(b, Table) and b.caption == "Timetable"
    )
    for stage, dates, duration in timetable.rows:
        assert any(dates in line and duration in line for line in lines), (stage, dates, duration)
