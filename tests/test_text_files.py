"""Every file an officer gives is read as their machine saved it: UTF-8, UTF-16 or Windows-1252.

The reader itself against each encoding and each refusal, then every command that reads a text file:
the same content in each encoding gives the same result, and a file that cannot be read is one line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import EXAMPLES
from tests.test_intent_inputs import STATEMENT, write_statement
from tools.errors import UnreadableFileError
from tools.textfiles import MB, Encoding, TextFile, read_text_file, reporting_encodings

runner = CliRunner()
TEXT = "Budget: £4,200,000 – 2026/27\nSecond line\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64 + b"secret-content"

# (id, how the bytes are made, the encoding the reader names): Windows saves with CRLF line endings.
ENCODINGS: list[tuple[str, Callable[[str], bytes], Encoding]] = [
    ("utf-8", lambda text: text.encode("utf-8"), "UTF-8"),
    ("utf-8-bom", lambda text: _crlf(text).encode("utf-8-sig"), "UTF-8"),
    ("utf-16-le-bom", lambda text: b"\xff\xfe" + _crlf(text).encode("utf-16-le"), "UTF-16 LE"),
    ("utf-16-be-bom", lambda text: b"\xfe\xff" + _crlf(text).encode("utf-16-be"), "UTF-16 BE"),
    ("windows-1252", lambda text: _crlf(text).encode("cp1252"), "Windows-1252"),
]


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


# --- The reader ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encode", "name"), [(e, n) for _, e, n in ENCODINGS], ids=[i for i, *_ in ENCODINGS]
)
def test_each_encoding_reads_as_the_same_text(tmp_path: Path, encode, name: Encoding) -> None:
    path = tmp_path / "budget.txt"
    path.write_bytes(encode(TEXT))
    read = read_text_file(path)
    assert read == TextFile(path, TEXT, name)
    assert read.note == (None if name == "UTF-8" else f"Read {path} as {name}")


def test_notes_reach_the_reporter_only_inside_its_block(tmp_path: Path) -> None:
    plain, old = tmp_path / "plain.yaml", tmp_path / "old.yaml"
    plain.write_text(TEXT, encoding="utf-8")
    old.write_bytes(TEXT.encode("cp1252"))
    heard: list[str] = []
    with reporting_encodings(heard.append):
        read_text_file(plain)
        read_text_file(old)
    read_text_file(old)
    assert heard == [f"Read {old} as Windows-1252"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda d: d / "absent.yaml", "no such file; check the path", id="missing"),
        pytest.param(lambda d: d, "is a folder; give a file", id="folder"),
        pytest.param(
            lambda d: _write(d / "image.yaml", PNG),
            "is not a text file (it looks binary); save it as text, .yaml or .md",
            id="binary-nul",
        ),
        pytest.param(
            lambda d: _write(d / "odd.yaml", b"\xff\xfe" + "£ secret-content".encode("utf-16-le") + b"\0"),
            "looks binary",
            id="utf-16-odd-length",
        ),
        pytest.param(
            lambda d: _write(d / "bytes.yaml", b"\x81\x8d\x8f\x90\x9d secret-content"),
            "looks binary",
            id="undecodable",
        ),
        pytest.param(
            lambda d: _write(d / "controls.yaml", bytes(range(1, 32)) * 4 + b"secret-content"),
            "looks binary",
            id="control-characters",
        ),
        pytest.param(lambda d: _write(d / "empty.yaml", b""), "is empty", id="empty"),
        pytest.param(lambda d: _write(d / "blank.yaml", b" \r\n\t\n"), "is empty", id="blank"),
        pytest.param(lambda d: _write(d / "bom.yaml", b"\xef\xbb\xbf"), "is empty", id="only-a-bom"),
        pytest.param(
            lambda d: _sparse(d / "huge.yaml", int(12.3 * MB)),
            "is 12.3 MB; the limit for a text file is 10 MB",
            id="too-large",
        ),
    ],
)
def test_each_refusal_is_one_line_naming_the_file(tmp_path: Path, make, reason: str) -> None:
    path = make(tmp_path)
    with pytest.raises(UnreadableFileError) as caught:
        read_text_file(path)
    message = str(caught.value)
    assert reason in caught.value.reason
    assert message.startswith(f"{path}: ")
    assert "\n" not in message and "secret-content" not in message


def test_a_caller_can_state_a_smaller_bound(tmp_path: Path) -> None:
    path = _write(tmp_path / "notes.txt", b"x" * (2 * MB))
    with pytest.raises(UnreadableFileError, match="is 2 MB; the limit for a text file is 1 MB"):
        read_text_file(path, limit=MB)


@pytest.mark.parametrize("method", ["stat", "read_bytes"])
def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    # The tests may run as root, whom chmod does not stop: deny at the call instead.
    path = _write(tmp_path / "locked.yaml", b"a: 1\n")
    real = getattr(Path, method)

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, method, denied)
    with pytest.raises(UnreadableFileError) as caught:
        read_text_file(path)
    assert str(caught.value) == f"{path}: cannot be read: permission denied"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_is_refused_rather_than_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    with pytest.raises(UnreadableFileError, match="is not a regular file"):
        read_text_file(pipe)


# --- Every command that reads a text file ----------------------------------------------------------------

PAPER = """\
# Community services procurement – approach

Report to the Governing Body, 9 November 2017.

1 The CCG has assessed the needs of the population and consulted patients and the public on the model.

2 The contract is worth £2.4 million a year – five years in all – and will be advertised in an open
tender to all capable providers, evaluated on quality and value for money.
"""


def _envelope(folder: Path) -> tuple[Path, str]:
    text = (EXAMPLES / "banes-2015-envelope.yaml").read_text(encoding="utf-8")
    text = text.replace("at least seven years, ideally ten", "at least seven years – ideally ten")
    return folder / "envelope.yaml", text


def _statement(folder: Path) -> tuple[Path, str]:
    background = [*STATEMENT["background"], "Spend is £68 million a year – in 2025/26 prices."]
    path = write_statement(folder, {**STATEMENT, "background": background})
    return path, path.read_text(encoding="utf-8")


def _psr(folder: Path) -> tuple[Path, str]:
    text = (EXAMPLES / "psr-answers.yaml").read_text(encoding="utf-8")
    return folder / "answers.yaml", "# Foot care – about £2 million\n" + text


def _timeline(folder: Path) -> tuple[Path, str]:
    text = (EXAMPLES / "county-durham-2017-timeline.md").read_text(encoding="utf-8")
    return folder / "timeline.md", text + "\nThe contract is worth £3 million.\n"


# (id, the command's words, what follows the file, the file and its content, the suffix it reads)
COMMANDS: list[tuple[str, list[str], list[str], Callable[[Path], tuple[Path, str]], str]] = [
    ("envelope", ["envelope"], ["--format", "json"], _envelope, ".yaml"),
    ("intent-draft", ["intent", "draft"], [], _statement, ".yaml"),
    ("checklist-monitor", ["checklist", "monitor"], ["--json"], lambda d: (d / "paper.md", PAPER), ".md"),
    ("checklist-psr", ["checklist", "psr"], ["--json", "--no-ask"], _psr, ".yaml"),
    ("timeline-check", ["timeline", "check"], ["--json"], _timeline, ".md"),
]
COMMAND_IDS = [command[0] for command in COMMANDS]
VARIANTS = [(command, encoding) for command in COMMANDS for encoding in ENCODINGS]


def _cases(items: list) -> dict:
    return {"argvalues": items, "ids": [f"{c[0]}-{e[0]}" for c, e in items]}


@pytest.mark.parametrize(("command", "encoding"), **_cases(VARIANTS))
def test_every_encoding_gives_the_utf8_result(tmp_path: Path, command, encoding) -> None:
    _, words, options, setup, _ = command
    _, encode, name = encoding
    path, text = setup(tmp_path)
    path.write_text(text, encoding="utf-8")
    expected = runner.invoke(app, [*words, str(path), *options])
    assert expected.exit_code in (0, 1), expected.output
    assert "£" in text and "–" in text

    path.write_bytes(encode(text))
    result = runner.invoke(app, [*words, str(path), *options])
    note = "" if name == "UTF-8" else f"Read {path} as {name}\n"
    assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
    assert result.stderr == note + expected.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=COMMAND_IDS)
@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda d, suffix: d, "is a folder; give a file", id="folder"),
        pytest.param(lambda d, suffix: _write(d / f"image{suffix}", PNG), "looks binary", id="binary"),
        pytest.param(lambda d, suffix: _write(d / f"empty{suffix}", b""), "is empty", id="empty"),
        pytest.param(lambda d, suffix: d / f"missing{suffix}", "no such file; check the path", id="missing"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_line_and_exit_2(
    tmp_path: Path, command, make, reason: str
) -> None:
    _, words, options, _, suffix = command
    path = make(tmp_path, suffix)
    result = runner.invoke(app, [*words, str(path), *options])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {path}: ") and reason in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")
    assert "Traceback" not in result.output and "secret-content" not in result.output
