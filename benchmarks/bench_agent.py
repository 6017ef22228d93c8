"""The assistant: agent overhead per turn, and time from `commission chat` to its first prompt.

Agent overhead is a whole turn with an instant scripted model (no network, no waiting) less the tools'
own time: building the request, streaming events, running tool calls through the toolkit, checking
citations and building the Sources section. The chat start-up is measured in a pseudo-terminal, from
starting the process to the prompt appearing, with the bundled index built.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import median, percentile, report

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.fake_model: the scripted model the tests use

ANSWER = " ".join(
    ["The estates budget is kept by the commissioners [County Durham, 9 November 2017, para 39]."] * 6
)


def main() -> None:
    turn_overhead()
    chat_start_up()


def turn_overhead(runs: int = 50) -> None:
    from assistant.agent import Agent
    from assistant.registry import all_specs
    from assistant.toolkit import get_tools
    from assistant.toolspec import spec_for
    from tests.fake_model import call, scripted
    from tests.test_agent import search_papers

    # Every real tool is bound; the paper search is the tests' instant one, so no index time is counted.
    specs = [spec for spec in all_specs() if spec.name != "search_papers"] + [spec_for(search_papers)]
    tools = get_tools(specs)

    def timed(*turns: object) -> list[float]:
        spent = []
        for _ in range(runs):
            agent = Agent(scripted(*turns), tools)  # type: ignore[arg-type]
            started = time.perf_counter()
            agent.ask("Who keeps the estates budget?")
            spent.append(time.perf_counter() - started)
        return spent

    tool_time = median(timed_tool(search_papers, runs))
    answer_only = timed(ANSWER)
    with_tool = timed(call("search_papers", {"query": "estates"}), ANSWER)
    report("turn overhead, answer only (median)", median(answer_only), target=0.050)
    report(
        "turn overhead, one search call + answer (median, less tool)",
        median(with_tool) - tool_time,
        target=0.050,
    )
    report(
        "turn overhead, one search call + answer (p95, less tool)", percentile(with_tool, 0.95) - tool_time
    )


def timed_tool(function: object, runs: int) -> list[float]:
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        function(query="estates")  # type: ignore[operator]
        spent.append(time.perf_counter() - started)
    return spent


def chat_start_up(runs: int = 5) -> None:
    import pexpect

    from assistant.config import Settings
    from assistant.retrieval.indexer import build_index

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        started = time.perf_counter()
        build_index(settings=Settings(home=home))
        print(f"  (built the bundled index for this in {time.perf_counter() - started:.1f} s)")
        env = {name: value for name, value in os.environ.items() if not name.startswith("COMMISSION_")}
        env |= {"COMMISSION_HOME": str(home), "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
        offline = [_until_prompt(pexpect, env, folder) for _ in range(runs)]
        configured = env | {"COMMISSION_LLM_BASE_URL": "http://127.0.0.1:9/v1", "COMMISSION_LLM_MODEL": "m"}
        with_model = [_until_prompt(pexpect, configured, folder) for _ in range(runs)]
    report("`commission chat` to first prompt, offline (median)", median(offline), target=1.5)
    report("`commission chat` to first prompt, model configured (median)", median(with_model), target=1.5)


def _until_prompt(pexpect: object, env: dict[str, str], cwd: str) -> float:
    started = time.perf_counter()
    child = pexpect.spawn(  # type: ignore[attr-defined]
        str(ROOT / ".venv" / "bin" / "commission"), ["chat"], env=env, cwd=cwd, encoding="utf-8", timeout=30
    )
    child.expect("›")
    spent = time.perf_counter() - started
    child.sendline("/quit")
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    child.close()
    return spent


if __name__ == "__main__":
    main()
