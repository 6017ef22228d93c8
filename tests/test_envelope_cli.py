"""`commission envelope`: a file or a sub-command in one group, every format, and every bad input refused."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import EXAMPLES
from tools.envelope.template import TEMPLATE

runner = CliRunner()
BANES = str(EXAMPLES / "banes-2015-envelope.yaml")

CORE = {
    "unit": "£000",
    "base_year": "2015/16",
    "years": 4,
    "lines": [
        {"category": "Complex & Specialist", "commissioner": "CCG", "amount": 20567},
        {"category": "Estates", "commissioner": "CCG", "amount": 5000, "pass_through": True},
        {"category": "Early Intervention", "commissioner": "Council", "amount": 23120},
    ],
    "reduction": {"total_percent": 7, "profile": "even"},
    "growth_percent_per_year": 0,
    "inflation_percent_per_year": 0,
    "ring_fences": [{"name": "clinical staffing", "min_percent": 66}],
    "one_off": [{"name": "mobilisation fund", "amount": 1000, "year": 1}],
    "third_sector_share_percent": {"min": 10, "max": 20},
    "savings_target_per_year": {"min": 6000, "max": 7000},
    "printed_totals": {"CCG": 25567, "Council": 23120, "total": 48687},
}


def envelope_file(tmp_path: Path, **changes: object) -> str:
    data = {**CORE, **changes}
    path = tmp_path / "envelope.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_the_shared_banes_example_works_unchanged():
    result = runner.invoke(app, ["envelope", BANES])
    assert result.exit_code == 0, result.output
    assert "2015/16 (base)" in result.output
    for figure in ("28,348", "40,888", "69,236"):
        assert figure in result.output
    assert "reconciles" in result.output
    assert "Stated in the source: providers preferred a contract of at least seven years" in result.output


def test_the_issue_core_computes_as_json_in_the_fixed_shape(tmp_path):
    result = runner.invoke(app, ["envelope", envelope_file(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["unit"] == "£000"
    assert [year["year"] for year in data["years"]] == ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20"]
    final = data["years"][-1]
    # 48,687 × 0.93 = 45,278.91; estates 5,000 × 0.93 = 4,650 retained; provider 40,628.91; 66% = 26,815.08.
    assert final["total"] == 45278.91
    assert final["retained"] == 4650
    assert final["provider_envelope"] == 40628.91
    assert final["ring_fences"] == [{"name": "clinical staffing", "min_percent": 66, "amount": 26815.08}]
    assert final["by_commissioner"] == {"CCG": 23777.31, "Council": 21501.6}
    assert set(final["by_category"]) == {"Complex & Specialist", "Estates", "Early Intervention"}
    assert {check["severity"] for check in data["checks"]} <= {"error", "warning", "info"}


def test_format_follows_the_out_suffix_and_csv_carries_a_bom(tmp_path):
    out = tmp_path / "envelope.csv"
    result = runner.invoke(app, ["envelope", envelope_file(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["£000", "2015/16 (base)", "2016/17", "2017/18", "2018/19", "2019/20"]
    total = next(row for row in rows if row and row[0] == "Total recurrent")
    assert total == ["Total recurrent", "48687", "47835", "46983", "46131", "45279"]


def test_xlsx_goes_to_a_workbook_excel_can_open(tmp_path):
    out = tmp_path / "envelope.xlsx"
    result = runner.invoke(app, ["envelope", envelope_file(tmp_path), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0]]
    assert rows[2] == ("£000", "2015/16 (base)", "2016/17", "2017/18", "2018/19", "2019/20")
    provider = next(row for row in rows if row[0] == "Provider envelope")
    assert provider[1] == 43687
    assert any(str(row[0]).startswith("Amounts are calculated exactly") for row in rows)


def test_xlsx_will_not_go_to_the_terminal(tmp_path):
    result = runner.invoke(app, ["envelope", envelope_file(tmp_path), "--format", "xlsx"])
    assert result.exit_code == 2
    assert (
        result.stderr
        == "Error: --format xlsx: an Excel workbook cannot go to the screen; add --out FILE.xlsx\n"
    )


def test_out_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "envelope.md"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["envelope", envelope_file(tmp_path), "--out", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "keep me"
    result = runner.invoke(app, ["envelope", envelope_file(tmp_path), "--out", str(out), "--force"])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("## Funding envelope from 2015/16")


def test_markdown_to_stdout_is_plain_for_piping(tmp_path):
    result = runner.invoke(app, ["envelope", envelope_file(tmp_path), "--format", "md"])
    assert result.exit_code == 0
    assert "| **Provider envelope** | **43,687** |" in result.stdout
    assert "### Assumptions" in result.stdout


def test_template_prints_a_starter_that_computes(tmp_path):
    result = runner.invoke(app, ["envelope", "template"])
    assert result.exit_code == 0
    assert result.stdout == TEMPLATE
    path = tmp_path / "starter.yaml"
    path.write_text(result.stdout, encoding="utf-8")
    computed = runner.invoke(app, ["envelope", str(path), "--format", "json"])
    assert computed.exit_code == 0, computed.output
    data = json.loads(computed.stdout)
    # The paper's model: the Council's 40,888 × 0.93 = 38,025.84 by 2019/20; the CCG's 28,348 untouched,
    # its £6m-£7m target being across its whole allocation, so no shortfall is reported against these lines.
    assert data["years"][-1]["total"] == 66373.84
    assert data["years"][-1]["by_commissioner"] == {"CCG": 28348, "Council": 38025.84}
    assert {year["savings_shortfall"] for year in data["years"]} == {None}
    assert all(check["severity"] == "info" for check in data["checks"])


def test_capitation_command():
    result = runner.invoke(
        app,
        ["envelope", "capitation", "--budget", "£4,200,000", "--population", "3500", "--cohort", "85-89=2500",
         "--cohort", "90+=1000:1.8", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["per_person_per_year"], data["per_person_per_month"]) == (1200, 100)
    assert [cohort["budget"] for cohort in data["cohorts"]] == [2441860.47, 1758139.53]


def test_gainshare_command_with_dead_band_and_collar():
    result = runner.invoke(
        app,
        ["envelope", "gainshare", "--expected", "10000000", "--actual", "10600000", "--share", "CCG=40",
         "--share", "Council=20", "--share", "Provider=40%", "--dead-band", "100000", "--collar", "300000",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["pool"] == -300000
    assert data["shares"] == {"CCG": -120000, "Council": -60000, "Provider": -120000}


@pytest.mark.parametrize("form", ["table", "md", "csv"])
def test_payment_commands_print_every_format(form):
    result = runner.invoke(
        app,
        ["envelope", "gainshare", "--expected", "1000", "--actual", "900", "--share", "A=50",
         "--share", "B=50", "--format", form],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "50" in result.stdout


def test_the_group_help_shows_the_file_form_and_the_sub_commands():
    result = runner.invoke(app, ["envelope", "--help"])
    assert result.exit_code == 0
    assert "commission envelope FILE" in result.output
    for command in ("template", "capitation", "gainshare"):
        assert command in result.output


BAD_FILES = [
    pytest.param(
        {"lines": [{"category": "A", "commissioner": "CCG", "amount": -5}]},
        "lines.0.amount: -5 is negative",
        id="negative-line",
    ),
    pytest.param(
        {"reduction": {"total_percent": 150}},
        "reduction.total_percent: 150 is outside 0% to 100%",
        id="percent-over-100",
    ),
    pytest.param(
        {"growth_percent_per_year": -1}, "growth_percent_per_year = -1: a percentage", id="negative-growth"
    ),
    pytest.param(
        {"inflation_percent_per_year": [2, 2, 101, 2]},
        "inflation_percent_per_year = [2, 2, 101, 2]",
        id="list-101",
    ),
    pytest.param(
        {"ring_fences": [{"name": "x", "min_percent": 101}]},
        "ring_fences.0.min_percent: 101 is outside 0% to 100%",
        id="fence-101",
    ),
    pytest.param(
        {"ring_fences": [{"name": "a", "min_percent": 66}, {"name": "b", "min_percent": 40}]},
        "ring_fences = '106%'",
        id="fences-over-100",
    ),
    pytest.param({"reducton": {"total_percent": 7}}, "unknown field 'reducton'", id="typo"),
    pytest.param({"years": 0}, "years = 0: a plan needs at least one year", id="zero-years"),
    pytest.param({"unit": "USD"}, "unit = 'USD'", id="unknown-unit"),
    pytest.param({"base_year": "2015"}, "base_year = '2015': is not a financial year", id="bad-base-year"),
    pytest.param(
        {"reduction": {"per_year_percent": [2, 2, 3]}},
        "reduction.per_year_percent = [2, 2, 3]",
        id="short-list",
    ),
    pytest.param(
        {"reduction": {"total_percent": 7, "per_year_percent": [2, 2, 2, 1]}},
        "reduction = ",
        id="total-and-list",
    ),
    pytest.param(
        {"one_off": [{"name": "f", "amount": 1, "year": 5}]}, "one_off.0.year = 5", id="one-off-after-plan"
    ),
    pytest.param(
        {"one_off": [{"name": "f", "amount": 1, "year": 1}, {"name": "f", "amount": 2, "year": 2}]},
        "one_off.1.name = 'f'",
        id="one-off-twice",
    ),
    pytest.param({"printed_totals": {"ICB": 1}}, "printed_totals = 'ICB'", id="unknown-printed-total"),
    pytest.param(
        {"third_sector_share_percent": {"min": 30, "max": 20}},
        "third_sector_share_percent.min = 30",
        id="min>max",
    ),
    pytest.param(
        {"years": None},
        ": needs years (how many plan years follow the base year)",
        id="plan-no-years",
    ),
]


@pytest.mark.parametrize(("changes", "message"), BAD_FILES)
def test_bad_envelope_input_is_one_line_exit_2_and_nothing_written(tmp_path, changes, message):
    data = {key: value for key, value in {**CORE, **changes}.items() if value is not None}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["envelope", str(path), "--format", "json", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert result.stdout == ""
    assert not out.exists()


BAD_PAYMENTS = [
    pytest.param(
        ["capitation", "--budget=-5", "--population", "10"],
        "--budget: '-5' is negative",
        id="negative-budget",
    ),
    pytest.param(
        ["capitation", "--budget", "lots", "--population", "10"],
        "--budget: 'lots' is not an amount in pounds",
        id="not-a-number",
    ),
    pytest.param(
        ["capitation", "--budget", "100", "--population", "10", "--cohort", "A=4"],
        "must add to",
        id="cohorts",
    ),
    pytest.param(
        ["capitation", "--budget", "100", "--population", "10", "--cohort", "A"],
        "--cohort = 'A'",
        id="cohort",
    ),
    pytest.param(
        ["capitation", "--budget", "1", "--population", "1", "--unit", "$"], "--unit = '$'", id="unknown-unit"
    ),
    pytest.param(
        ["gainshare", "--expected", "10", "--actual", "9", "--share", "A=60", "--share", "B=30"],
        "shares = 90%",
        id="shares-not-100",
    ),
    pytest.param(
        ["gainshare", "--expected", "10", "--actual", "9", "--share", "A=150", "--share", "B=-50"],
        "--share A: '150' is outside 0% to 100%",
        id="share-over-100",
    ),
    pytest.param(
        ["gainshare", "--expected", "10", "--actual", "9", "--share", "A"], "--share = 'A'", id="share-form"
    ),
    pytest.param(
        ["gainshare", "--expected", "10", "--actual", "9", "--share", "A=100", "--cap=-1"],
        "--cap: '-1' is negative",
        id="negative-cap",
    ),
]


@pytest.mark.parametrize(("arguments", "message"), BAD_PAYMENTS)
def test_bad_payment_input_is_refused(tmp_path, arguments, message):
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["envelope", *arguments, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr or message in result.output
    assert not out.exists()


def test_a_missing_file_is_one_line():
    result = runner.invoke(app, ["envelope", "no-such-envelope.yaml"])
    assert result.exit_code == 2
    assert result.stderr == "Error: no-such-envelope.yaml: no such file; check the path\n"
