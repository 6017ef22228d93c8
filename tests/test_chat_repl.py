"""The chat driven for real in a pseudo-terminal: start, ask, a slash command, Ctrl-C, quit, resume."""

from __future__ import annotations

import io
import os
import re
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import ROOT

COMMISSION = ROOT / ".venv" / "bin" / "commission"
PROMPT = "›"


def spawn(
    home: Path, *arguments: str, scripted: bool = False, rows: int = 40, columns: int = 120
) -> pexpect.spawn:
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
        command,
        args,
        env=env,
        cwd=str(home.parent),
        dimensions=(rows, columns),
        encoding="utf-8",
        timeout=60,
        # As a terminal starts it: a test run launched in the background (`make test &`) ignores SIGINT,
        # the child would inherit that, and Python would then never raise KeyboardInterrupt on Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
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


REDRAW = re.compile(r"(?:\x1b\[1A\x1b\[2K)+")  # rich's Live moving up over the lines it drew last time


def test_an_answer_taller_than_the_terminal_is_not_repeated(tmp_path):
    """Each redraw fits the screen, so no line scrolls off to be drawn again; then the answer, once."""
    child = spawn(tmp_path / "home", "chat", scripted=True, rows=12, columns=60)
    child.expect("Build it now")
    child.sendline("n")
    child.expect(PROMPT)
    child.logfile_read = shown = io.StringIO()
    child.sendline("Tell me everything")  # 300 words: about 45 lines at 60 columns
    child.expect("word299")
    child.expect(PROMPT)
    output = shown.getvalue()
    redraws = [len(run.group(0)) // len("\x1b[1A\x1b[2K") for run in REDRAW.finditer(output)]
    assert redraws and max(redraws) < 12
    final = output[list(REDRAW.finditer(output))[-1].end() :]
    for word in ("word0", "word150", "word299"):
        assert len(re.findall(rf"\b{word}\b", final)) == 1
    quit_cleanly(child)
