"""Every file in examples/ runs through the command examples/README.md gives for it, and exits as it says.

The repository stands alone: the commands run from the clone's own folder, and nothing in the tests, the
README or the Makefile reaches outside it.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from docx import Document
from typer.testing import CliRunner, Result

from assistant.cli import app
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()
GUIDE = EXAMPLES / "README.md"

# (id, the command as examples/README.md gives it, the exit code it promises, what the output must say)
RUNS: list[tuple[str, str, int, list[str]]] = [
    (
        "county-durham-timeline",
        "commission timeline check examples/county-durham-2017-timeline.md",
        1,
        [
            "Competitive dialogue (PCR 2015)",
            "3 errors",
            "'Award decision notices'",
            "'Contract award notice'",
        ],
    ),
    (
        "pa-open-timeline",
        "commission timeline check examples/pa-open-2026-timeline.md",
        1,
        ["2 errors, 0 warnings", "Saint Patrick's Day", "end it on 20 March 2026 or later"],
    ),
    (
        "homecare-light-touch",
        "commission timeline check examples/council-homecare-2026-light-touch.md --route pa-light-touch",
        0,
        ["Light touch contract (Procurement Act 2023)", "0 errors, 1 warning", "Mobilisation"],
    ),
    (
        "banes-envelope",
        "commission envelope examples/banes-2015-envelope.yaml",
        0,
        ["2015/16 (base)", "28,348", "40,888", "69,236", "reconciles"],
    ),
    (
        "southern-derbyshire-envelope",
        "commission envelope examples/southern-derbyshire-envelope.yaml",
        0,
        ["2014/15 (base)", "592.2", "143.1", "449.1", "reconciles with its 5 lines"],
    ),
    (
        "psr-answers",
        "commission checklist psr examples/psr-answers.yaml",
        0,
        ["Process the authority may use: **Direct Award Process C**", "£400,000 higher (20.0%)"],
    ),
    (
        "statement-of-intent",
        "commission intent draft examples/statement-of-intent.yaml",
        0,
        [
            "NHS Derby and Derbyshire Integrated Care Board and Derby City Council",
            "[To complete: the population served]",
            "| **Provider envelope** | **143.1** |",
            "The timetable below follows the most suitable provider process.",
            "by 28 October 2026",
            "follow the competitive process instead if sufficient progress is not evident",
        ],
    ),
    (
        "modification",
        'commission checklist modification --regime psr2023 --original-value "£2,400,000" '
        '--new-value "£2,880,000" --original-term-months 60 --new-term-months 72',
        0,
        ["**Permitted without a new procurement:** yes", "**Notice:** none needed", "£480,000 (20%)"],
    ),
]


def guide_commands() -> list[list[str]]:
    """Every `commission ...` command examples/README.md shows, in code spans or indented blocks."""
    text = GUIDE.read_text(encoding="utf-8")
    spans = re.findall(r"`(commission [^`]+)`", text)
    blocks = re.findall(r"^ {4}(commission .+)$", text, flags=re.MULTILINE)
    return [shlex.split(command) for command in [*spans, *blocks]]


def run(words: list[str]) -> Result:
    assert words[0] == "commission"
    return runner.invoke(app, words[1:])


@pytest.fixture
def in_the_clone(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository's own folder, as examples/README.md says."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.mark.parametrize(("command", "code", "expected"), [r[1:] for r in RUNS], ids=[r[0] for r in RUNS])
def test_each_example_exits_as_documented(in_the_clone: Path, command: str, code: int, expected: list[str]):
    words = shlex.split(command)
    assert words in guide_commands(), f"examples/README.md does not give: {command}"
    result = run(words)
    assert result.exit_code == code, result.output
    for text in expected:
        assert text in result.stdout, text


def test_every_example_file_is_documented_and_used():
    files = {path.name for path in EXAMPLES.iterdir() if path.is_file() and path.name != "README.md"}
    guide = GUIDE.read_text(encoding="utf-8")
    assert {name for name in files if f"`{name}`" not in guide} == set()
    used = {Path(word).name for _, command, _, _ in RUNS for word in shlex.split(command)}
    statement = yaml.safe_load((EXAMPLES / "statement-of-intent.yaml").read_text(encoding="utf-8"))
    used |= {statement["envelope_file"], statement["timeline_file"]}
    assert files - used == set()


def test_the_statement_lists_its_gaps_and_exports_to_word(in_the_clone: Path, tmp_path: Path):
    markdown = run(["commission", "intent", "draft", "examples/statement-of-intent.yaml"])
    assert markdown.exit_code == 0, markdown.output
    assert "6 gaps to complete:" in markdown.stderr
    out = tmp_path / "statement.docx"
    word = run(["commission", "intent", "draft", "examples/statement-of-intent.yaml", "--out", str(out)])
    assert word.exit_code == 0, word.output
    text = "\n".join(paragraph.text for paragraph in Document(str(out)).paragraphs)
    assert "Commissioning community services: a statement of intent" in text


def test_the_modification_as_json(in_the_clone: Path):
    command = next(shlex.split(c) for i, c, _, _ in RUNS if i == "modification")
    result = run([*command, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["regime"], data["permitted"], data["notice_required"]) == ("psr2023", True, False)


def test_the_committed_json_is_what_its_command_prints_now(in_the_clone: Path, tmp_path: Path):
    """The statement's envelope and timeline JSON, made again by the commands examples/README.md gives."""
    remakes = [words for words in guide_commands() if "--out" in words and words[-1] == "--force"]
    assert len(remakes) == 2
    for words in remakes:
        at = words.index("--out") + 1
        committed = ROOT / words[at]
        fresh = tmp_path / committed.name
        result = run([*words[:at], str(fresh), *words[at + 1 :]])
        assert result.exit_code == 0, result.output
        assert json.loads(fresh.read_text(encoding="utf-8")) == json.loads(
            committed.read_text(encoding="utf-8")
        ), f"{committed.name} is out of date: run `{shlex.join(words)}`"


def test_every_example_and_paper_the_readme_names_is_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\b((?:examples|knowledge)/[\w./-]*\w)", readme))
    assert named, "the README names no example files"
    assert sorted(path for path in named if not (ROOT / path).exists()) == []


# Built in pieces so that this file does not name them itself.
OUTSIDE = ("../" + "shared", "shared/" + "examples", "/" + "work/")


def test_nothing_reaches_outside_the_clone():
    files = [
        *(path for path in (ROOT / "tests").rglob("*") if path.is_file() and "__pycache__" not in path.parts),
        ROOT / "README.md",
        ROOT / "Makefile",
        *(path for path in EXAMPLES.iterdir() if path.is_file()),
    ]
    found = [
        f"{path.relative_to(ROOT)}: {needle}"
        for path in files
        for needle in OUTSIDE
        if needle in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert found == []
