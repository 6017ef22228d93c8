"""The Word export, re-opened with python-docx: title block, heading styles, numbered paragraphs, tables."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from tests.test_intent import ISSUE_ORDER
from tests.test_intent_inputs import statement, write_statement
from tools.intent import StatementInput, build_draft, draft_from_file, render_docx


@pytest.fixture
def document(tmp_path):
    return Document(BytesIO(render_docx(draft_from_file(write_statement(tmp_path, statement())))))


def test_title_and_title_block_name_the_organisations_and_date(document):
    paragraphs = [p for p in document.paragraphs if p.text]
    assert (paragraphs[0].style.name, paragraphs[0].text) == (
        "Title",
        "Commissioning Community Services: A Statement of Intent",
    )
    assert [p.text for p in paragraphs[1:5]] == [
        "Commissioners: NHS Derby and Derbyshire ICB and Derby City Council",
        "Providers invited: Derbyshire Community Health Services NHS Foundation Trust and Derbyshire "
        "Healthcare NHS Foundation Trust",
        "Area: Southern Derbyshire",
        "Date: 3 September 2025",
    ]
    assert document.core_properties.title == "Commissioning Community Services: A Statement of Intent"
    assert document.core_properties.author == ""


def test_the_page_is_a4_and_the_language_british_english(document):
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert 'w:val="en-GB"' in document.styles["Normal"].element.xml


def test_sections_are_heading_1_in_order(document):
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    numbered = [f"{number}. {title}" for number, title in enumerate(ISSUE_ORDER, start=1)]
    assert headings == [*numbered, "Appendix A. How this timetable was built"]


def test_paragraphs_are_numbered_within_their_section(document):
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("9. Governance") + 1] == (
        "9.1\tA joint programme board of commissioners and providers will meet monthly."
    )
    assert "12.1\tThe commissioners intend to agree" in "\n".join(texts)


def test_tables_hold_the_metrics_envelope_and_timetable(document):
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert [rows[0][0] for rows in tables] == ["Measure", "Measure", "Measure", "£000", "Stage"]
    envelope = tables[3]
    assert envelope[0] == ["£000", "2016/17", "2017/18"]
    assert envelope[5] == ["Total recurrent", "68,024", "66,813"]
    assert tables[4][2] == ["Provider response", "4 September to 31 October 2025", "57 days*"]
    assert all(table.style.name == "Table Grid" for table in document.tables)
    assert all(run.bold for run in document.tables[3].rows[0].cells[1].paragraphs[0].runs)


def test_bullets_use_the_list_style(document):
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "We will be explicit about our non-negotiables." in bullets
    assert "Community nursing" in bullets


def test_placeholders_are_highlighted_for_the_officer():
    document = Document(BytesIO(render_docx(build_draft(StatementInput()))))
    runs = [run for p in document.paragraphs for run in p.runs if run.text.startswith("[To complete:")]
    assert runs and all(run.font.highlight_color == WD_COLOR_INDEX.YELLOW for run in runs)
    assert document.tables == []
