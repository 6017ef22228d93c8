"""Conversations are saved as they happen, survive a crash, resume, and never hold an API key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from assistant.agent import Agent
from assistant.messages import INTERRUPTED, STOPPED, messages_from_records
from assistant.transcripts import (
    REDACTED,
    Transcript,
    conversation_markdown,
    find_conversation,
    list_conversations,
    read_records,
    retrieved_sources,
    turns,
)
from tests.conftest import ROOT
from tests.fake_model import call, scripted
from tests.test_agent import agent_with
from tools.errors import InputError


def test_each_record_is_on_disk_as_soon_as_it_is_written(tmp_path):
    transcript = Transcript.new(tmp_path)
    transcript.write({"type": "message", "role": "user", "content": "First"})
    on_disk = [json.loads(line) for line in transcript.path.read_text(encoding="utf-8").splitlines()]
    assert [r["type"] for r in on_disk] == ["conversation", "message"]
    assert on_disk[1]["content"] == "First"


def test_an_agent_conversation_round_trips_through_the_file(tmp_path):
    transcript = Transcript.new(tmp_path)
    agent, _ = agent_with(
        call("search_papers", {"query": "estates"}), "Kept [County Durham, 9 November 2017, para 39]."
    )
    agent.on_record = transcript.write
    agent.ask("Who keeps the estates?")

    records = read_records(transcript.path)
    restored = messages_from_records(records)
    assert [type(m) for m in restored] == [HumanMessage, AIMessage, ToolMessage, AIMessage]
    assert [m.content for m in restored] == [m.content for m in agent.messages[1:]]
    assert restored[1].tool_calls[0]["args"] == {"query": "estates"}
    assert [s.label for s in retrieved_sources(records)] == ["County Durham, 9 November 2017, para 39"]
    (turn,) = turns(records)
    assert turn.question == "Who keeps the estates?"
    assert turn.sources == ["County Durham, 9 November 2017, para 39"]


CRASHING_CONVERSATION = """
import os, sys
from pathlib import Path
from assistant.agent import Agent
from assistant.toolkit import get_tools
from assistant.toolspec import spec_for
from assistant.transcripts import Transcript
from tests.fake_model import call, scripted
from tests.test_agent import add_weeks

def crash(note: str) -> dict:
    '''Crash the process.

    Args:
        note: anything.
    '''
    os._exit(3)

transcript = Transcript.new(Path(sys.argv[1]))
model = scripted("Hello.", call("add_weeks", {"weeks": 2}), "Fourteen days.", call("crash", {"note": "now"}))
agent = Agent(model, get_tools([spec_for(add_weeks), spec_for(crash)]), on_record=transcript.write)
agent.ask("Hi")
agent.ask("How long is two weeks?")
agent.ask("Crash, please")
"""


def test_a_crash_mid_conversation_loses_nothing_said_before_it_and_the_conversation_resumes(tmp_path):
    folder = tmp_path / "conversations"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = textwrap.dedent(CRASHING_CONVERSATION)
    finished = subprocess.run([sys.executable, "-c", script, str(folder)], env=env, cwd=ROOT, check=False)
    assert finished.returncode == 3
    path = find_conversation(folder)
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"type": "message", "role": "assis')  # a line torn by the crash

    records = read_records(path)
    assert [t.question for t in turns(records)] == ["Hi", "How long is two weeks?", "Crash, please"]
    restored = messages_from_records(records)
    assert [m.content for m in restored if isinstance(m, HumanMessage)] == [
        "Hi",
        "How long is two weeks?",
        "Crash, please",
    ]
    assert restored[-1].content == INTERRUPTED
    assert not restored[-1].tool_calls  # the unanswered tool call is gone, so the next request is valid

    model = scripted("Resumed answer.")
    resumed = Agent(model, [], history=restored, on_record=Transcript(path).write)
    assert resumed.ask("Are you still there?").answer == "Resumed answer."
    sent = model.sent[0]
    assert isinstance(sent[0], SystemMessage)
    assert [m.content for m in sent[1:3]] == ["Hi", "Hello."]
    assert turns(read_records(path))[-1].answer == "Resumed answer."


def test_a_stopped_turn_resumes_without_its_tool_calls(tmp_path):
    transcript = Transcript.new(tmp_path)
    agent, _ = agent_with(call("add_weeks", {"weeks": 1}))
    agent.on_record = transcript.write
    events = agent.stream("Stop me")
    next(events)
    events.close()
    restored = messages_from_records(read_records(transcript.path))
    assert [(type(m), m.content) for m in restored] == [(HumanMessage, "Stop me"), (AIMessage, STOPPED)]


def test_api_keys_are_never_written(tmp_path):
    key = "local-key-7f3a9c2e"
    transcript = Transcript.new(tmp_path, secrets=[key])
    transcript.write({"type": "message", "role": "user", "content": f"my key is {key}"})
    transcript.write({"type": "message", "role": "user", "content": "and sk-proj-abcdefghijklmnopqrstuvwx"})
    text = transcript.path.read_text(encoding="utf-8")
    assert key not in text and "sk-proj-abcdefghij" not in text
    assert text.count(REDACTED) == 2


def test_conversations_are_listed_most_recent_first_and_found_by_id(tmp_path):
    older = Transcript.new(tmp_path)
    older.write({"type": "message", "role": "user", "content": "What is   the\nPSR?"})
    os.utime(older.path, (time.time() - 60, time.time() - 60))
    newer = Transcript.new(tmp_path)
    saved = list_conversations(tmp_path)
    assert [info.id for info in saved] == [newer.id, older.id]
    assert (saved[1].questions, saved[1].title) == (1, "What is the PSR?")
    assert saved[0].title == "(no questions)"
    assert find_conversation(tmp_path) == newer.path
    assert find_conversation(tmp_path, older.id) == older.path


@pytest.mark.parametrize(
    ("conversation", "message"),
    [(None, "there are no saved conversations yet"), ("2099", "matches no saved conversation")],
    ids=["none-saved", "unknown-id"],
)
def test_finding_a_conversation_that_is_not_there_is_a_one_line_error(tmp_path, conversation, message):
    if conversation:
        Transcript.new(tmp_path)
    with pytest.raises(InputError, match=message):
        find_conversation(tmp_path, conversation)


def test_a_conversation_as_markdown(tmp_path):
    transcript = Transcript.new(tmp_path)
    for role, content in [("user", "Question one?"), ("assistant", "Answer one.")]:
        transcript.write({"type": "message", "role": role, "content": content})
    markdown = conversation_markdown(read_records(transcript.path))
    assert markdown.startswith(f"# Conversation {transcript.id}\n")
    assert "## Question one?\n\nAnswer one.\n" in markdown


def test_a_missing_folder_lists_nothing(tmp_path: Path):
    assert list_conversations(tmp_path / "nowhere") == []


def test_a_record_holding_unicode_line_separators_survives_a_resume(tmp_path):
    # Word documents carry U+2028 and U+0085; json.dumps leaves them raw, and they are not line ends here.
    path = tmp_path / "conversation.jsonl"
    record = {"role": "tool", "content": "Passage one\u2028still the same passage\u0085and this"}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert read_records(path) == [record]
