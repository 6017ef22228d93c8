"""`commission checklist monitor|regime|psr` through the real entry point."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import KNOWLEDGE

runner = CliRunner()
SHEFFIELD = str(KNOWLEDGE / "sheffield-2015-active-support-and-recovery-procurement-approach.txt")
ISSUE_YAML = """\
existing_provider: true
only_existing_provider_capable: false     # because of the nature of the service
patient_choice_unrestricted: false        # choice offered among all providers that meet requirements
existing_contract_expiring: true
materially_different: false
change_attributable_to_authority: true
existing_lifetime_value: 2000000          # £, when the existing contract was entered into
proposed_lifetime_value: 2400000          # £
existing_provider_satisfactory: true      # satisfying the contract and likely to satisfy the new one
framework: false
"""


def _run(*args, input=None):
    return runner.invoke(app, ["checklist", *args], input=input)


def test_monitor_json_for_the_sheffield_paper():
    result = _run("monitor", SHEFFIELD, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [q["number"] for q in data["questions"]] == list(range(1, 8))
    assert {q["status"] for q in data["questions"]} == {"evidenced"}
    first = data["questions"][0]
    assert set(first) >= {"number", "question", "status", "evidence", "missing"}
    assert set(first["evidence"][0]) >= {"quote", "location"}
    assert [check["key"] for check in data["regulation_checks"]] == [
        "value_for_money",
        "single_capable_provider",
        "conflicts_of_interest",
        "award_record",
        "anti_competitive",
    ]


def test_monitor_report_for_the_sheffield_paper():
    result = _run("monitor", SHEFFIELD)
    assert result.exit_code == 0, result.output
    assert "7 of 7 questions evidenced" in result.output
    assert "answer to question 1, line 179" in result.output


def test_monitor_of_a_2024_nhs_health_procurement_points_to_the_psr_check(tmp_path):
    paper = tmp_path / "paper.txt"
    paper.write_text(
        "The incumbent has always done well; we recommend extending its contract.\n", encoding="utf-8"
    )
    result = _run("monitor", str(paper), "--start", "2024-01-01", "--buyer", "nhs", "--service", "health")
    assert result.exit_code == 0, result.output
    assert "historical" in result.output
    assert "commission checklist psr" in result.output
    assert "0 of 7 questions evidenced" in result.output


def test_regime_json():
    result = _run(
        "regime",
        "--start",
        "2025-02-24",
        "--buyer",
        "council",
        "--service",
        "social-care",
        "--value",
        "£663,540",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["regimes"] == [
        {
            "id": "pa2023",
            "name": "Procurement Act 2023",
            "light_touch": True,
            "reason": json.loads(result.output)["regimes"][0]["reason"],
            "regulation": json.loads(result.output)["regimes"][0]["regulation"],
            "source": json.loads(result.output)["regimes"][0]["source"],
        }
    ]


def test_regime_report():
    result = _run("regime", "--start", "31 December 2023", "--buyer", "nhs", "--service", "health")
    assert result.exit_code == 0, result.output
    assert (
        "National Health Service (Procurement, Patient Choice and Competition) (No. 2) Regulations 2013"
        in result.output
    )
    assert "Public Contracts Regulations 2015 (light touch regime)" in result.output


def test_regime_of_a_call_off_from_a_pcr_framework():
    result = _run(
        "regime",
        "--start",
        "2026-03-01",
        "--buyer",
        "council",
        "--service",
        "other",
        "--framework-awarded",
        "1 June 2024",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [entry["id"] for entry in data["regimes"]] == ["pcr2015"]
    assert data["framework_awarded"] == "2024-06-01"


def test_regime_for_an_nhs_trust():
    result = _run("regime", "--start", "2019-05-01", "--buyer", "nhs-trust", "--service", "health")
    assert result.exit_code == 0, result.output
    assert "Public Contracts Regulations 2015 (light touch regime)" in result.output
    assert "Patient Choice and Competition" not in result.output.split("##")[1]


def test_the_buyer_help_names_each_kind_of_nhs_body():
    result = _run("regime", "--help")
    text = " ".join(result.output.replace("│", " ").split())  # help is wrapped in a box
    assert "nhs-trust: an NHS trust or foundation trust" in text
    assert "nhs: an ICB, CCG or NHS England" in text


def test_psr_from_the_issue_yaml(tmp_path):
    path = tmp_path / "psr.yaml"
    path.write_text(ISSUE_YAML, encoding="utf-8")
    result = _run("psr", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["process"], data["considerable_change"]) == ("direct-award-c", False)
    assert data["permitted"] == ["direct-award-c", "most-suitable-provider", "competitive"]
    assert data["reasons"]


def test_psr_flags_override_the_yaml(tmp_path):
    path = tmp_path / "psr.yaml"
    path.write_text(ISSUE_YAML, encoding="utf-8")
    result = _run("psr", str(path), "--proposed-lifetime-value", "2,500,000", "--json")
    assert json.loads(result.output)["considerable_change"] is True


def test_psr_from_flags_alone():
    result = _run("psr", "--existing-provider", "--only-existing-provider-capable")
    assert result.exit_code == 0, result.output
    assert "PSR route: Direct Award Process A" in result.output
    assert "none for Direct Award Processes A and B" in result.output


def test_psr_asks_for_what_it_needs():
    answers = "y\nn\nn\ny\nn\ny\n1000000\n£1,500,000\nn\n"
    result = _run("psr", "--ask", "--json", input=answers)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{") :])  # the test runner echoes the typed answers
    assert (data["process"], data["considerable_change"]) == ("competitive", True)
    assert "Is this a framework agreement?" not in result.stderr  # answered by its default
    assert result.stderr.count("?") == 9


def test_a_bad_amount_at_the_questions_is_asked_again_and_nothing_is_lost():
    # "lots" and "-5" are refused in turn; the six yes/no answers before them still stand.
    answers = "y\nn\nn\ny\nn\ny\nlots\n-5\n1m\n£1,500,000\nn\n"
    result = _run("psr", "--ask", "--json", input=answers)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert (data["process"], data["considerable_change"]) == ("competitive", True)
    assert "'lots' is not an amount in pounds" in result.stderr and "Try again." in result.stderr
    assert "'-5' is negative" in result.stderr


def test_out_writes_the_report_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "psr.md"
    first = _run("psr", "--framework", "--out", str(out))
    assert first.exit_code == 0, first.output
    assert out.read_text(encoding="utf-8").startswith("# PSR route: Competitive Process")
    again = _run("psr", "--framework", "--out", str(out))
    assert again.exit_code == 2
    assert "already exists; add --force" in again.stderr
    assert _run("psr", "--framework", "--out", str(out), "--force").exit_code == 0


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (
            ["regime", "--start", "2024-01-01", "--buyer", "hospital", "--service", "health"],
            {},
            "--buyer = 'hospital': Input should be 'nhs', 'nhs-trust'",
        ),
        (
            ["regime", "--start", "2024-01-01", "--buyer", "nhs", "--service", "dentistry"],
            {},
            "--service = 'dentistry'",
        ),
        (
            ["regime", "--start", "soon", "--buyer", "nhs", "--service", "health"],
            {},
            "--start: 'soon' is not a date",
        ),
        (
            ["regime", "--start", "31/02/2024", "--buyer", "nhs", "--service", "health"],
            {},
            "--start: '31/02/2024' is not a real date",
        ),
        (
            ["regime", "--start", "2024-01-01", "--buyer", "nhs", "--service", "other", "--value", "-5"],
            {},
            "value: '-5' is negative",
        ),
        (
            ["regime", "--start", "2024-01-01", "--buyer", "nhs", "--service", "other", "--value", "lots"],
            {},
            "--value: 'lots'",
        ),
        (
            [
                "regime",
                "--start",
                "2026-03-01",
                "--buyer",
                "council",
                "--service",
                "other",
                "--framework-awarded",
                "soon",
            ],
            {},
            "--framework-awarded: 'soon' is not a date",
        ),
        (["psr", "--existing-lifetime-value", "-1"], {}, "--existing-lifetime-value: '-1' is negative"),
        (["psr", "psr.yaml"], {"psr.yaml": "existing_provder: true\n"}, "unknown field 'existing_provder'"),
        (["psr", "psr.yaml"], {"psr.yaml": "framework: [true\n"}, "psr.yaml: is not valid YAML"),
        (["psr", "--no-ask", "--existing-provider"], {}, "only_existing_provider_capable is needed"),
        (["monitor", "empty.txt"], {"empty.txt": ""}, "empty.txt: has no text to read"),
        (["monitor", "missing.pdf"], {}, "missing.pdf: no such file"),
        (
            ["monitor", "broken.docx"],
            {"broken.docx": "not a word file"},
            "broken.docx: is not a readable .docx",
        ),
        (
            ["monitor", "answers.yaml"],
            {"answers.yaml": "patient_choise: yes\n"},
            "unknown field 'patient_choise'",
        ),
        (["monitor", "paper.txt", "--buyer", "hospital"], {"paper.txt": "A paper."}, "buyer: 'hospital'"),
        (
            ["monitor", "paper.txt", "--start", "later"],
            {"paper.txt": "A paper."},
            "start: 'later' is not a date",
        ),
    ],
    ids=[
        "unknown-buyer",
        "unknown-service",
        "start-not-a-date",
        "start-not-a-real-date",
        "negative-value",
        "value-not-money",
        "framework-awarded-not-a-date",
        "negative-lifetime-value",
        "misspelt-psr-key",
        "invalid-yaml",
        "missing-needed-answer",
        "empty-paper",
        "missing-paper",
        "unreadable-paper",
        "misspelt-answer-key",
        "monitor-unknown-buyer",
        "monitor-bad-start",
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, monkeypatch, args, files, message):
    monkeypatch.chdir(tmp_path)
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
