"""The chat driven for real in a pseudo-terminal: start, ask, a slash command, Ctrl-C, quit, resume."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import ROOT

COMMISSION = ROOT / ".venv" / "bin" / "commission"
PROMPT = "›"


def spawn(home: Path, *arguments: str, scripted: bool = False) -> pexpect.spawn:
    env = {name: value for name, value in os.environ.items() if not name.startswith("COMMISSION_")}
    env |= {
        "COMMISSION_HOME": str(home),
        "TERM": "xterm",
        "PYTHONPATH": str(ROOT),
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    command, args = (
        (sys.executable, ["-m", "tests.scripted_chat", *arguments])
        if scripted
        else (str(COMMISSION), list(arguments))
    )
    return pexpect.spawn(
        command, args, env=env, cwd=str(home.parent), dimensions=(40, 120), encoding="utf-8", timeout=60
    )


def quit_cleanly(child: pexpect.spawn) -> None:
    child.sendline("/quit")
    child.expect("Goodbye.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.slow
def test_offline_chat_answers_runs_a_tool_survives_ctrl_c_and_resumes(indexed_home_copy):
    home = indexed_home_copy
    child = spawn(home, "chat")
    child.expect("No language model is configured")
    child.expect("COMMISSION_LLM_BASE_URL")
    child.expect(PROMPT)
    child.sendline("estates pass through cost")
    child.expect("County Durham, 9 November 2017")
    child.expect(PROMPT)
    child.sendline("/checklist regime --start 2025-03-01 --buyer council --service other")
    child.expect("Procurement Act 2023")
    child.expect(PROMPT)
    child.send("half a question")
    child.sendcontrol("c")  # at the prompt: drops the line, keeps the session
    child.sendline("/sources")
    child.expect("Community Contract Procurement Update")
    quit_cleanly(child)

    child = spawn(home, "chat", "--resume")
    child.expect("Resuming conversation")
    child.expect("Last question:.*estates pass through cost")
    child.expect(PROMPT)
    child.sendline("/sources")
    child.expect("County Durham, 9 November 2017")
    quit_cleanly(child)
    history = pexpect.run(
        str(COMMISSION),
        args=["history"],
        env={"COMMISSION_HOME": str(home), "PATH": os.environ["PATH"]},
        encoding="utf-8",
    )
    assert "estates pass through cost" in history


def test_ctrl_c_stops_a_streaming_answer_and_the_next_question_is_answered(tmp_path):
    home = tmp_path / "home"
    child = spawn(home, "chat", scripted=True)
    child.expect("The paper index has not been built yet")
    child.expect("Build it now")
    child.sendline("n")
    child.expect("Run `commission index` when you are ready")
    child.expect(PROMPT)
    child.sendline("Tell me everything")
    child.expect("word5 ")
    child.sendcontrol("c")
    child.expect("Stopped.")
    assert "word299" not in child.before
    child.expect(PROMPT)
    child.sendline("And briefly?")
    child.expect(r"add_weeks\(weeks=2\)")
    child.expect("The second answer: 14 days.")
    child.expect(PROMPT)
    quit_cleanly(child)
