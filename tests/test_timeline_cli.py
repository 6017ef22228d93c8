"""`commission timeline routes|plan|check` through the real entry point: output, files and exit codes."""

import json
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
DURHAM = EXAMPLES / "county-durham-2017-timeline.md"
NEXT_YEAR = date.today().year + 1
GO_LIVE = f"{NEXT_YEAR + 1}-04-01"
START = f"{NEXT_YEAR}-01-04"


def run(*args: str):
    return runner.invoke(app, ["timeline", *args])


def test_routes_lists_every_route_with_a_description():
    result = run("routes", "--json")
    assert result.exit_code == 0
    routes = json.loads(result.stdout)["routes"]
    assert len(routes) == 19 and all(route["description"] for route in routes)
    table = run("routes")
    assert table.exit_code == 0 and "psr-direct-c" in table.stdout and "collaborative" in table.stdout


def test_plan_prints_a_table_with_notes():
    result = run("plan", "--route", "pa-open", "--go-live", GO_LIVE, "--value", "£2.5m")
    assert result.exit_code == 0, result.output
    assert "Tender period" in result.stdout and "Worked backward from go-live" in result.stdout


def test_plan_json_is_the_documented_shape():
    result = run("plan", "--route", "pa-open", "--start", START, "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) == {"route", "regime", "stages", "notes"}
    assert data["route"] == "pa-open" and data["regime"] == "pa2023"
    assert data["stages"][-1]["canonical"] == "service-start"


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        (
            "md",
            lambda text: text.startswith("## Procurement timeline: Open procedure (Procurement Act 2023)"),
        ),
        ("csv", lambda text: text.startswith("Stage,Canonical,Start,End,Duration,Rule or assumption")),
        ("mermaid", lambda text: text.startswith("gantt\n") and ":milestone," in text),
    ],
)
def test_plan_prints_plain_formats_for_piping(fmt, check):
    result = run("plan", "--route", "pa-open", "--start", START, "--format", fmt)
    assert result.exit_code == 0 and check(result.stdout), result.stdout[:200]


def test_plan_writes_a_calendar_outlook_can_import(tmp_path):
    out = tmp_path / "plan.ics"
    result = run("plan", "--route", "psr-direct-c", "--start", START, "--format", "ics", "--out", str(out))
    assert result.exit_code == 0 and f"Wrote {out}" in result.stdout
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events][:3] == [
        "Assessment against the key criteria", "Award approval", "Notice of intention to award",
    ]  # fmt: skip
    first = events[0]
    assert first["DTEND"].dt - first["DTSTART"].dt > timedelta(days=1)  # all-day, end exclusive


def test_plan_csv_file_opens_in_excel_and_is_never_overwritten_without_force(tmp_path):
    out = tmp_path / "plan.csv"
    args = ("plan", "--route", "pcr-open", "--start", "2024-09-02", "--format", "csv", "--out", str(out))
    assert run(*args).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfStage,")
    again = run(*args)
    assert again.exit_code == 2 and "already exists; add --force" in again.stderr
    assert run(*args, "--force").exit_code == 0


def test_a_written_plan_checks_clean(tmp_path):
    out = tmp_path / "plan.md"
    assert run("plan", "--route", "pa-flexible", "--start", START, "--meetings", f"{START},{NEXT_YEAR}-07-01",
               "--out", str(out)).exit_code == 0  # fmt: skip
    result = run("check", str(out), "--route", "pa-flexible")
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--route", "open-ish", "--start", START), "Error: route: 'open-ish' is not a route"),
        (("--route", "pa-open", "--go-live", "2020-04-01"), "Error: go-live: 1 April 2020 is in the past"),
        (("--route", "pa-open", "--start", "31/02/2026"), "Error: --start: '31/02/2026' is not a real date"),
        (("--route", "pa-open", "--start", "next week"), "Error: --start: 'next week' is not a date"),
        (("--route", "pa-open", "--start", START, "--go-live", GO_LIVE), "not both"),
        (
            ("--route", "pa-open", "--start", START, "--value", "lots"),
            "Error: --value: 'lots' is not an amount",
        ),
        (
            ("--route", "pa-open", "--start", START, "--meetings", "1 Smarch 2026"),
            "Error: --meetings: '1 Smarch 2026' is not a date",
        ),
        (
            ("--route", "pa-open", "--start", START, "--duration", "evaluation"),
            "Error: --durations: 'evaluation' is not KEY=VALUE",
        ),
    ],
    ids=[
        "unknown-route",
        "go-live-past",
        "impossible-date",
        "not-a-date",
        "both",
        "value",
        "meetings",
        "duration",
    ],
)
def test_plan_bad_input_is_one_line_and_exit_2(args, message):
    result = run("plan", *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_check_durham_exits_1_with_the_findings():
    result = run("check", str(DURHAM))
    assert result.exit_code == 1
    assert "Competitive dialogue" in result.stdout and "no 'Standstill'" in result.stdout


def test_check_json_is_the_documented_shape():
    result = run("check", str(DURHAM), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"route", "regime", "stages", "findings"}
    assert set(data["stages"][0]) == {"name", "canonical", "start", "end"}
    assert {f["severity"] for f in data["findings"]} <= {"error", "warning", "info"}
    assert set(data["findings"][0]) == {"severity", "stage", "rule", "message"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("timeline.md", None, "no such file"),
        ("timeline.csv", "", "is empty"),
        ("timeline.md", "", "has no text to read"),
        ("timeline.md", "A paragraph about the procurement, with no table.", "no stages with dates found"),
        ("timeline.yaml", "- stage: Tender\n  date: [unclosed", "no stages with dates found"),
    ],
    ids=["missing", "empty-csv", "empty-md", "no-table", "broken-yaml"],
)
def test_check_exits_2_when_the_file_cannot_be_read(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2 and message in result.stderr


def test_check_with_an_unknown_route_exits_2():
    result = run("check", str(DURHAM), "--route", "dialogue")
    assert result.exit_code == 2 and "is not a route" in result.stderr


def test_check_reads_a_table_in_a_word_paper(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("48 The timelines for the procurement process are set out below:")
    rows = [
        ("Stage", "When"),
        ("Publication of tender", "Early November 2017"),
        ("Service Commences", "October 2018"),
    ]
    grid = document.add_table(rows=len(rows), cols=2)
    for cells, row in zip(grid.rows, rows, strict=True):
        for cell, text in zip(cells.cells, row, strict=True):
            cell.text = text
    path = tmp_path / "paper.docx"
    document.save(str(path))
    result = run("check", str(path), "--route", "pcr-dialogue", "--json")
    stages = [(s["name"], s["canonical"]) for s in json.loads(result.stdout)["stages"]]
    assert stages == [("Publication of tender", "contract-notice"), ("Service Commences", "service-start")]
    assert result.exit_code == 1  # no award decision, standstill or award notice shown
