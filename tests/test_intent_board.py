"""The statement an officer takes to the board: built from the shared examples and from a B&NES envelope with
a PSR competitive process, its Word tables show the envelope's figures exactly as `commission envelope`
prints them, no sentence contradicts the PSR, and every table fits its page without breaking a figure."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import EXAMPLES
from tools.intent import draft_from_file, render_docx
from tools.intent.model import Table
from tools.intent.render_docx import NON_BREAKING_HYPHEN, column_widths

runner = CliRunner()

# The B&NES outline business case (November 2015) as the paper models it: Table 3's baseline, the Council's
# 7% over four years on its own lines, and the CCG's £6m-£7m a year across its whole allocation.
BANES_PLAN = {
    "years": 4,
    "reduction_by_commissioner": {"Council": {"total_percent": 7, "profile": "even"}},
    "savings_target_per_year": {"min": 6000, "max": 7000, "commissioner": "CCG", "applies_to": "allocation"},
}


def banes_statement(folder: Path) -> Path:
    """The example statement, with the B&NES envelope and a PSR competitive process planned from its YAML."""
    envelope = yaml.safe_load((EXAMPLES / "banes-2015-envelope.yaml").read_text(encoding="utf-8"))
    (folder / "envelope.yaml").write_text(
        yaml.safe_dump({**envelope, **BANES_PLAN}, allow_unicode=True), encoding="utf-8"
    )
    timeline = {"route": "psr-competitive", "start": "2026-09-01", "value": 28_000_000}
    (folder / "timeline.yaml").write_text(yaml.safe_dump(timeline), encoding="utf-8")
    data = yaml.safe_load((EXAMPLES / "statement-of-intent.yaml").read_text(encoding="utf-8"))
    data.update(envelope_file="envelope.yaml", timeline_file="timeline.yaml", envelope_notes=[])
    path = folder / "statement.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def printed_by_the_envelope_command(path: Path) -> list[list[str]]:
    """The table `commission envelope FILE --format md` prints: headings, then each row's cells."""
    result = runner.invoke(app, ["envelope", str(path), "--format", "md"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    return [[cell.strip().strip("*") for cell in row.strip("|").split("|")] for row in rows]


def word_tables(path: Path) -> list[list[list[str]]]:
    """Each table's cells as text, a non-breaking hyphen read as the hyphen it shows."""
    document = Document(BytesIO(render_docx(draft_from_file(path))))
    return [
        [[cell.text.replace(NON_BREAKING_HYPHEN, "-") for cell in row.cells] for row in table.rows]
        for table in document.tables
    ]


@pytest.fixture
def banes(tmp_path: Path) -> Path:
    return banes_statement(tmp_path)


@pytest.mark.parametrize(
    ("statement", "envelope"),
    [
        pytest.param(None, EXAMPLES / "southern-derbyshire-envelope.yaml", id="example"),
        pytest.param("banes", "envelope.yaml", id="banes-psr-competitive"),
    ],
)
def test_word_shows_the_envelope_exactly_as_the_envelope_command_prints_it(tmp_path, statement, envelope):
    path = EXAMPLES / "statement-of-intent.yaml" if statement is None else banes_statement(tmp_path)
    envelope_path = envelope if isinstance(envelope, Path) else path.parent / envelope
    expected = printed_by_the_envelope_command(envelope_path)
    found = next(table for table in word_tables(path) if table[0][0] in ("£000", "£m"))
    assert found == expected


def test_the_banes_figures_add_up_as_printed(banes):
    rows = {row[0]: row[1:] for row in next(t for t in word_tables(banes) if t[0][0] == "£000")[1:]}
    numbers = {
        label: [int(cell.replace(",", "")) for cell in cells]
        for label, cells in rows.items()
        if not label.endswith("(%)")
    }
    assert numbers["Council total"] == [40888, 40172, 39457, 38741, 38026]
    assert numbers["CCG total"] == [28348] * 5
    for year in range(5):
        assert numbers["CCG total"][year] + numbers["Council total"][year] == numbers["Total recurrent"][year]
        lines = [label for label in numbers if label.startswith("Council: ")]
        assert sum(numbers[label][year] for label in lines) == numbers["Council total"][year]
    # The CCG's target is across its whole allocation: no shortfall against these lines.
    assert not any("shortfall" in label.lower() for label in rows)


def test_the_banes_draft_says_nothing_the_psr_competitive_process_contradicts(banes):
    from tools.intent.render_md import render_markdown

    markdown = render_markdown(draft_from_file(banes))
    for contradiction in (
        "instead of competing",
        "instead of through a competitive tender",
        "revert to a competitive procurement",
        "without a competitive",
        "psr-competitive route",
    ):
        assert contradiction not in markdown
    assert "The timetable below follows the competitive process." in markdown
    assert "end the competitive process without awarding a contract if sufficient progress" in markdown


def test_the_timetable_is_stage_dates_and_duration_only(banes):
    timetable = next(t for t in word_tables(banes) if t[0][0] == "Stage")
    assert timetable[0] == ["Stage", "Dates", "Duration"]
    text = " ".join(cell for row in timetable for cell in row)
    for kept_out in ("psr-competitive", "UNCONFIRMED", "Sussex", "waits", "Typical duration", "reg "):
        assert kept_out not in text
    assert timetable[1] == ["Procurement strategy approval", "1 to 29 September 2026", "4 weeks*"]


@pytest.mark.parametrize("which", ["example", "banes"])
def test_every_table_fits_its_page_and_no_figure_can_wrap(tmp_path, which):
    path = EXAMPLES / "statement-of-intent.yaml" if which == "example" else banes_statement(tmp_path)
    document = Document(BytesIO(render_docx(draft_from_file(path))))
    for table in document.tables:
        section = section_of(document, table._tbl)
        usable = section.page_width - section.left_margin - section.right_margin
        assert sum(column.width for column in table.columns) <= usable + 10  # EMUs of rounding
        for row in table.rows[1:]:
            for cell in row.cells[1:]:
                if re.fullmatch(r"-?[\d,]+(\.\d+)?", cell.text):
                    assert cell._tc.tcPr.find(qn("w:noWrap")) is not None


def section_of(document, element):
    """The section holding `element`: the first whose break comes after it (the last has none)."""
    body = document.element.body
    for section in document.sections:
        holder = section._sectPr.getparent()
        if holder.tag != qn("w:pPr") or body.index(holder.getparent()) > body.index(element):
            return section
    raise AssertionError("no section")


def test_a_table_too_wide_for_portrait_goes_on_a_landscape_page():
    years = [f"20{n}/{n + 1}" for n in range(20, 28)]
    wide = Table(caption="Wide", columns=["£000", *years], rows=[["Total recurrent", *["123,456,789"] * 8]])
    assert column_widths(wide, 16.0) is None
    widths = column_widths(wide, 24.7)
    assert widths is not None and abs(sum(widths) - 24.7) < 0.01

    from tools.intent.model import Section, StatementDraft

    draft = StatementDraft(
        title="T",
        kind="statement of intent",
        title_block=[],
        sections=[Section(number=1, title="S", blocks=[wide])],
        gaps=[],
    )
    document = Document(BytesIO(render_docx(draft)))
    orientations = [(round(s.page_width.cm, 1), round(s.page_height.cm, 1)) for s in document.sections]
    assert orientations == [(21.0, 29.7), (29.7, 21.0), (21.0, 29.7)]
    assert round(section_of(document, document.tables[0]._tbl).page_width.cm, 1) == 29.7
