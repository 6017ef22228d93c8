"""The chat in-process: answers with and without a model, slash commands, Ctrl-C, saving, resuming."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document
from langchain_core.outputs import ChatGenerationChunk
from rich.console import Console
from typer.testing import CliRunner

from assistant.chat import ChatSession
from assistant.cli import app
from assistant.config import Settings
from assistant.errors import ModelError
from assistant.slash import handle_line
from assistant.toolspec import spec_for
from assistant.transcripts import find_conversation, read_records, turns
from tests.fake_model import ScriptedChatModel, call, scripted
from tests.test_agent import add_weeks, search_papers

TOOLS = (spec_for(search_papers), spec_for(add_weeks))
"""The tools every test chat is given: a paper search that needs no index, and a plain tool."""


class Chat:
    """A session whose output is captured and whose yes/no questions are answered from a list."""

    def __init__(self, model: Any = None, answers: tuple[bool, ...] = ()) -> None:
        self.stream = io.StringIO()
        self.answers = list(answers)
        self.asked: list[str] = []
        console = Console(file=self.stream, width=120, force_terminal=False, color_system=None)
        self.session = ChatSession(
            Settings(), console=console, confirm=self.confirm, tools=TOOLS, model=model
        )

    def confirm(self, question: str) -> bool:
        self.asked.append(question)
        return self.answers.pop(0) if self.answers else False

    def send(self, line: str) -> str:
        start = self.stream.tell()
        self.keep_going = handle_line(self.session, line)
        return self.stream.getvalue()[start:]


def test_with_a_model_tool_calls_are_shown_and_the_answer_is_rendered_with_sources():
    chat = Chat(
        scripted(
            call("search_papers", {"query": "estates"}),
            "Commissioners keep the **estates** budget [County Durham, 9 November 2017, para 39].",
        )
    )
    shown = chat.send("Who keeps the estates budget?")
    assert "⚙ search_papers(query='estates')" in shown
    assert "✓ 1 passage: County Durham, 9 November 2017, para 39" in shown
    assert "Commissioners keep the estates budget [County Durham, 9 November 2017, para 39]." in shown
    assert "Sources" in shown and "**" not in shown  # rendered, not raw Markdown
    assert [s.label for s in chat.session.last_sources] == ["County Durham, 9 November 2017, para 39"]
    assert "Estates costs of c£5m" in chat.send("/sources")


class InterruptedModel(ScriptedChatModel):
    """Streams a few words of its answer, then the officer presses Ctrl-C."""

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for count, chunk in enumerate(super()._stream(*args, **kwargs)):
            if count == 3:
                raise KeyboardInterrupt
            yield chunk


def test_ctrl_c_stops_the_answer_not_the_session():
    model = InterruptedModel(
        messages=iter(["The answer is long and will be cut off here.", "Second answer."])
    )
    chat = Chat(model)
    shown = chat.send("A long question")
    assert "Stopped." in shown
    assert chat.keep_going
    assert "Second answer." in chat.send("Another question")
    questions = [t.question for t in turns(chat.session.records)]
    assert questions == ["A long question", "Another question"]


def test_a_model_failure_is_reported_and_the_session_carries_on():
    chat = Chat(scripted(failure=ModelError("the model server is not answering")))
    assert "Error: the model server is not answering" in chat.send("Hello?")
    assert chat.keep_going


@pytest.mark.slow
@pytest.mark.usefixtures("indexed_home_copy")
def test_offline_a_question_gets_the_best_passages_and_is_saved():
    chat = Chat(model=None)
    shown = chat.send("estates pass through cost")
    assert "No language model is configured" in shown
    assert "County Durham, 9 November 2017" in shown
    records = read_records(chat.session.transcript.path)
    (turn,) = turns(records)
    assert turn.question == "estates pass through cost"
    assert turn.sources and turn.sources[0].startswith("County Durham")
    assert "County Durham" in chat.send("/sources")


def test_offline_without_an_index_the_question_gets_the_fix():
    chat = Chat(model=None)
    shown = chat.send("estates")
    assert "Error: There is no paper index yet" in shown and "commission index" in shown
    assert chat.keep_going


def test_a_tool_runs_by_slash_command_through_the_cli(capsys):
    chat = Chat()
    chat.send("/checklist regime --start 2025-03-01 --buyer council --service other")
    assert "Procurement Act 2023" in capsys.readouterr().out
    chat.send("/checklist regime --start someday --buyer council --service other")
    assert "Error: --start: 'someday' is not a date" in capsys.readouterr().err
    assert chat.keep_going


def test_a_bug_in_a_slash_command_or_an_answer_is_one_line_and_the_chat_goes_on(monkeypatch, clean_environ):
    def broken(arguments):
        raise OverflowError("date value out of range")

    monkeypatch.setattr("assistant.slash.run_cli", broken)
    chat = Chat()
    log = clean_environ / "logs" / "errors.log"
    bug = f"Error: Unexpected error (OverflowError): this is a bug in commission; details are in {log}."
    assert chat.send("/timeline plan --route pa-open").startswith(bug)
    assert chat.keep_going
    chat = Chat(scripted(failure=RuntimeError("the stream broke")))
    assert "Error: Unexpected error (RuntimeError): this is a bug in commission" in chat.send("Hello?")
    assert "/[bold]x." in Chat().send("/[bold]x")  # what was typed is shown, never read as markup


def test_a_timeline_is_planned_by_slash_command(capsys):
    Chat().send("/timeline plan --route pcr-open --go-live 2027-04-01 --format md")
    out = capsys.readouterr().out
    assert "Tender period" in out and "PCR 2015 reg 27" in out


def test_search_takes_unquoted_words(capsys, monkeypatch):
    seen = []
    monkeypatch.setattr("assistant.slash.run_cli", lambda arguments: seen.append(arguments) or 0)
    Chat().send("/search estates pass through -k 2 --paper Durham")
    assert seen == [["search", "estates pass through", "-k", "2", "--paper", "Durham"]]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/help", "/export md|docx [FILE]"),
        ("/tools", "add_weeks — Add weeks."),
        ("/frobnicate", "Unknown command /frobnicate. Type /help for the list."),
        ('/timeline plan --route "open', "No closing quotation; check the quotes."),
        ("/sources", "The last answer drew on no passages from the papers."),
        ("/save", "Nothing to save yet: ask a question first."),
        ("/export md", "There is no answer to export yet."),
        ("/export pdf", "Usage: /export md|docx [FILE]"),
    ],
    ids=[
        "help",
        "tools",
        "unknown",
        "bad-quotes",
        "no-sources",
        "nothing-to-save",
        "nothing-to-export",
        "bad-kind",
    ],
)
def test_slash_commands_without_a_model(line, expected):
    chat = Chat()
    assert expected in chat.send(line)
    assert chat.keep_going


def test_quit_ends_the_session():
    chat = Chat()
    chat.send("/quit")
    assert not chat.keep_going


def test_save_and_export_ask_before_writing_and_never_overwrite_unasked(tmp_path):
    chat = Chat(
        scripted("The answer, with **bold** words.\n\n- a point"), answers=(False, True, True, True, False)
    )
    chat.send("A question")
    target = tmp_path / "answer.md"
    assert "Nothing written." in chat.send(f"/export md {target}")
    assert not target.exists()
    assert "Written to" in chat.send(f"/export md {target}")
    exported = target.read_text(encoding="utf-8")
    assert exported.startswith(
        "> **Question:** A question\n\nThe answer, with **bold** words.\n\n- a point\n"
    )
    chat.send(f"/export md {target}")  # yes to writing, no to replacing
    assert chat.asked[-1] == f"{target} already exists. Replace it?"
    assert target.read_text(encoding="utf-8") == exported


def test_export_docx_writes_a_word_document(tmp_path):
    chat = Chat(scripted("## Findings\n\nThe answer, with **bold** words.\n\n- a point"), answers=(True,))
    chat.send("A question")
    target = tmp_path / "answer.docx"
    chat.send(f"/export docx {target}")
    paragraphs = [(p.style.name, p.text) for p in Document(str(target)).paragraphs]
    assert paragraphs == [
        ("Quote", "Question: A question"),
        ("Heading 2", "Findings"),
        ("Normal", "The answer, with bold words."),
        ("List Bullet", "a point"),
        ("Heading 2", "Sources"),
        ("Normal", "The answer drew on no passages from the papers."),
    ]


def test_save_writes_the_conversation_as_markdown(tmp_path):
    chat = Chat(scripted("First answer.", "Second answer."), answers=(True,))
    chat.send("First question")
    chat.send("Second question")
    target = tmp_path / "conversation.md"
    chat.send(f"/save {target}")
    text = target.read_text(encoding="utf-8")
    assert "## First question\n\nFirst answer.\n\n## Second question\n\nSecond answer.\n" in text


def test_new_starts_a_fresh_conversation_and_resume_continues_the_last():
    first = Chat(scripted("First answer."))
    first.send("First question")
    first_path = first.session.transcript.path
    assert "Started a new conversation." in first.send("/new")
    assert first.session.transcript is None and first.session.last_answer == ""

    model = scripted("Continued answer.")
    again = Chat(model)
    again.session.resume(find_conversation(Settings().conversations_dir))
    shown = again.stream.getvalue()
    assert f"Resuming conversation {first_path.stem} (1 question so far)." in shown
    assert "First answer." in shown
    again.send("And then?")
    assert [m.content for m in model.sent[0][1:]] == ["First question", "First answer.", "And then?"]
    assert [t.question for t in turns(read_records(first_path))] == ["First question", "And then?"]


def test_history_lists_saved_conversations_and_resume_without_one_is_a_one_line_error():
    runner = CliRunner()
    assert (
        runner.invoke(app, ["history"]).stdout
        == "No saved conversations yet. Start one with `commission chat`.\n"
    )
    refused = runner.invoke(app, ["chat", "--resume"])
    assert refused.exit_code == 2
    assert refused.stderr.startswith("Error: --resume: there are no saved conversations yet")

    chat = Chat(scripted("An answer."))
    chat.send("What is the PSR?")
    listed = runner.invoke(app, ["history"])
    assert listed.exit_code == 0
    row = listed.stdout.splitlines()[1].split()
    assert row[0] == chat.session.transcript.id
    assert " ".join(row[-5:]) == "1 What is the PSR?"
    unknown = runner.invoke(app, ["chat", "--conversation", "1999"])
    assert unknown.exit_code == 2 and "matches no saved conversation" in unknown.stderr
