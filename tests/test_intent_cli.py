"""`commission intent template` and `commission intent draft`, through the real entry point."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from typer.testing import CliRunner

from assistant.cli import app
from tests.test_intent_inputs import write_statement

runner = CliRunner()


def test_template_prints_a_starter_that_drafts_into_placeholders(tmp_path):
    result = runner.invoke(app, ["intent", "template"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Statement of intent")
    path = tmp_path / "statement.yaml"
    path.write_text(result.stdout, encoding="utf-8")
    drafted = runner.invoke(app, ["intent", "draft", str(path)])
    assert drafted.exit_code == 0, drafted.output
    assert "[To complete: the commissioners]" in drafted.stdout
    assert "26 gaps to complete:" in drafted.stderr
    assert "- Title block: the commissioners [commissioners]" in drafted.stderr


def test_draft_prints_markdown_on_stdout_and_the_gaps_on_stderr(tmp_path):
    result = runner.invoke(app, ["intent", "draft", str(write_statement(tmp_path))])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Commissioning Community Services: A Statement of Intent")
    assert "| **Total recurrent** | **68,024** | **66,813** |" in result.stdout
    assert "Gaps to complete" not in result.stdout
    assert result.stderr.strip() == "No gaps: every input was given."


@pytest.mark.parametrize("suffix", [".docx", ".md"])
def test_draft_writes_word_or_markdown(tmp_path, suffix):
    out = tmp_path / f"statement{suffix}"
    result = runner.invoke(app, ["intent", "draft", str(write_statement(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.stdout
    if suffix == ".docx":
        headings = [
            p.text for p in Document(BytesIO(out.read_bytes())).paragraphs if p.style.name == "Heading 1"
        ]
        assert headings[0] == "1. Background"
    else:
        assert out.read_text(encoding="utf-8").startswith("# Commissioning Community Services")


def test_an_existing_file_is_never_overwritten_without_force(tmp_path):
    statement = write_statement(tmp_path)
    out = tmp_path / "statement.docx"
    out.write_bytes(b"the officer's edited copy")
    refused = runner.invoke(app, ["intent", "draft", str(statement), "--out", str(out)])
    assert refused.exit_code == 2
    assert refused.stderr.strip() == f"Error: --out: {out} already exists; add --force to overwrite it"
    assert out.read_bytes() == b"the officer's edited copy"
    forced = runner.invoke(app, ["intent", "draft", str(statement), "--out", str(out), "--force"])
    assert forced.exit_code == 0
    assert (
        Document(BytesIO(out.read_bytes())).paragraphs[0].text.startswith("Commissioning Community Services")
    )


def test_template_refuses_to_overwrite_too(tmp_path):
    out = tmp_path / "statement.yaml"
    out.write_text("mine", encoding="utf-8")
    assert runner.invoke(app, ["intent", "template", "--out", str(out)]).exit_code == 2
    assert out.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("setup", "out", "message"),
    [
        pytest.param(lambda p: p / "missing.yaml", None, "no such file", id="missing-yaml"),
        pytest.param(lambda p: _text(p, "area: [open"), None, "not valid YAML", id="malformed-yaml"),
        pytest.param(lambda p: _text(p, "vison: x"), None, "unknown field 'vison'", id="unknown-field"),
        pytest.param(
            lambda p: _linked(p, "envelope.json", "{oops"), None, "envelope_file", id="envelope-broken"
        ),
        pytest.param(
            lambda p: _linked(p, "timeline.json", "{}"), None, "timeline_file", id="timeline-wrong-shape"
        ),
        pytest.param(write_statement, "no-such-folder/out.docx", "does not exist", id="missing-out-folder"),
        pytest.param(write_statement, "out.pdf", "must end in .docx", id="unknown-out-format"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, setup, out, message):
    arguments = ["intent", "draft", str(setup(tmp_path))]
    if out:
        arguments += ["--out", str(tmp_path / out)]
    before = sorted(tmp_path.rglob("*"))
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert sorted(tmp_path.rglob("*")) == before


def _text(folder, text):
    path = folder / "statement.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _linked(folder, name, text):
    path = write_statement(folder)
    (path.parent / "data" / name).write_text(text, encoding="utf-8")
    return path
