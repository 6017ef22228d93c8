"""Exporting from the chat: Markdown becomes real Word constructs, an export carries the question and its
sources, and every slash command that writes a file asks first."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from assistant.chat_export import NO_SOURCES, answer_markdown, markdown_to_docx
from assistant.citations import Source
from tests.conftest import EXAMPLES
from tests.fake_model import call, scripted
from tests.test_chat import Chat
from tests.test_intent_inputs import write_statement


def word(markdown: str):
    return Document(BytesIO(markdown_to_docx(markdown)))


def styled(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_lists_are_word_lists_not_literal_dashes():
    document = word("- one\n- two\n  - nested\n\n1. first\n2. second\n\nBetween.\n\n1. again\n")
    assert styled(document) == [
        ("List Bullet", "one"),
        ("List Bullet", "two"),
        ("List Bullet 2", "nested"),
        ("List Number", "first"),
        ("List Number", "second"),
        ("Normal", "Between."),
        ("List Number", "again"),
    ]
    # Each numbered list starts again at 1: its own numbering instance.
    numbers = re.findall(r'<w:numId w:val="(\d+)"/>', document.element.body.xml)
    assert len(numbers) == 3 and numbers[0] == numbers[1] != numbers[2]


def test_bold_italic_code_and_links_become_runs_and_a_hyperlink():
    document = word("Some **bold**, *italic*, `code` and a [guidance page](https://www.gov.uk/psr).")
    (paragraph,) = document.paragraphs
    runs = {run.text: run for run in paragraph.runs}
    assert runs["bold"].bold and runs["italic"].italic and runs["code"].font.name == "Consolas"
    assert "**" not in paragraph.text and "[" not in paragraph.text
    (link,) = paragraph._p.findall(qn("w:hyperlink"))
    target = document.part.rels[link.get(qn("r:id"))].target_ref
    assert target == "https://www.gov.uk/psr"
    assert "".join(t.text for t in link.iter(qn("w:t"))) == "guidance page"


def test_a_link_that_is_not_a_web_or_mail_address_stays_plain_text():
    document = word("See [the notes](notes.md).")
    assert document.paragraphs[0]._p.findall(qn("w:hyperlink")) == []
    assert document.paragraphs[0].text == "See the notes."


def test_tables_headings_and_quotes():
    document = word(
        "## Findings\n\n> Quoted **words**.\n\n| Year | Total |\n|---|---:|\n| 2025/26 | **£1,234** |\n"
    )
    assert styled(document) == [("Heading 2", "Findings"), ("Quote", "Quoted words.")]
    (table,) = document.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Year", "Total"],
        ["2025/26", "£1,234"],
    ]
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)
    figure = table.rows[1].cells[1].paragraphs[0]
    assert [(run.text, run.bold) for run in figure.runs] == [("£1,234", True)]
    assert figure.alignment == 2  # right, as the Markdown aligns it


def test_an_export_carries_the_question_the_answer_and_the_sources():
    source = Source(
        "County Durham, 9 November 2017, para 39", {"title": "Community services"}, "Estates c£5m."
    )
    markdown = answer_markdown("Who keeps the estates budget?", "Commissioners **keep** it.", [source])
    assert markdown == (
        "> **Question:** Who keeps the estates budget?\n\n"
        "Commissioners **keep** it.\n\n"
        "## Sources\n\n"
        "**County Durham, 9 November 2017, para 39 — Community services**\n\n> Estates c£5m.\n"
    )
    assert answer_markdown(None, "An answer.", []).endswith(f"## Sources\n\n{NO_SOURCES}\n")


def test_slash_export_docx_has_the_question_and_the_sources(tmp_path):
    chat = Chat(
        scripted(
            call("search_papers", {"query": "estates"}),
            "Commissioners keep the **estates** budget [County Durham, 9 November 2017, para 39].\n\n"
            "- a point",
        ),
        answers=(True,),
    )
    chat.send("Who keeps the estates budget?")
    target = tmp_path / "answer.docx"
    chat.send(f"/export docx {target}")
    paragraphs = styled(Document(str(target)))
    assert paragraphs[0] == ("Quote", "Question: Who keeps the estates budget?")
    assert ("List Bullet", "a point") in paragraphs
    assert ("Heading 2", "Sources") in paragraphs
    assert any(text.startswith("County Durham, 9 November 2017, para 39") for _, text in paragraphs)


def commands(tmp_path: Path) -> dict[str, tuple[str, Path]]:
    """Each writing slash command with the file it would write."""
    statement = write_statement(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    return {
        "intent": (f"/intent draft {statement} --out {out / 'statement.docx'}", out / "statement.docx"),
        "timeline": (
            f"/timeline plan --route psr-msp --start 2026-09-01 --out {out / 'timeline.json'}",
            out / "timeline.json",
        ),
        "envelope": (f"/envelope {EXAMPLES / 'banes-2015-envelope.yaml'} --out={out / 'e.md'}", out / "e.md"),
        "export": (f"/export md {out / 'answer.md'}", out / "answer.md"),
    }


@pytest.mark.parametrize("name", ["intent", "timeline", "envelope", "export"])
def test_every_writing_command_asks_first_and_writes_nothing_on_no(tmp_path, name):
    line, target = commands(tmp_path)[name]
    chat = Chat(scripted("An answer."), answers=(False,))
    chat.send("A question")
    assert "Nothing written." in chat.send(line)
    assert chat.asked == [f"Write {target}?"]
    assert not target.exists()


@pytest.mark.parametrize("name", ["intent", "timeline", "envelope", "export"])
def test_every_writing_command_writes_on_yes_and_asks_again_before_replacing(tmp_path, name):
    line, target = commands(tmp_path)[name]
    chat = Chat(scripted("An answer."), answers=(True, True, False, True, True))
    chat.send("A question")
    chat.send(line)
    assert target.exists() and target.stat().st_size > 0
    target.write_bytes(b"the officer's edited copy")
    assert "Nothing written." in chat.send(line)  # yes to writing, no to replacing
    assert chat.asked[-1] == f"{target} already exists. Replace it?"
    assert target.read_bytes() == b"the officer's edited copy"
    chat.send(line)  # yes and yes
    assert target.read_bytes() != b"the officer's edited copy"


def test_a_command_that_writes_nothing_asks_nothing(tmp_path):
    chat = Chat()
    chat.send(f"/envelope {EXAMPLES / 'banes-2015-envelope.yaml'}")
    chat.send("/timeline plan --out --help")
    assert chat.asked == []
