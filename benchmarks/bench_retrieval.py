"""Retrieval: start-up, building the bundled index, warm search latency and a search's peak memory.

Whole-process figures run the installed `commission` script in fresh processes, as an officer would;
search latency is measured in-process on a warm retriever, over the evaluation questions. Medians over
several runs on a shared machine: read them as orders of magnitude. Targets from issue 2: `--help` under
0.5 s, building the bundled index under 30 s, warm search p95 under 50 ms.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import median, percentile, report, time_calls

COMMISSION = Path(sys.executable).with_name("commission")
_PEAK_MEMORY = """
from assistant.retrieval.search import get_retriever
from benchmarks.timing import peak_rss_kib
get_retriever().search("estates pass through cost", 5)
print(peak_rss_kib())
"""


def _environment(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "COMMISSION_HOME": str(home),
        "ORT_DISABLE_TELEMETRY": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }


def _run(arguments: list[str], home: Path) -> float:
    started = time.perf_counter()
    subprocess.run(arguments, env=_environment(home), check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    from benchmarks.evaluate import load_questions

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        helps = [_run([str(COMMISSION), "--help"], root / "help") for _ in range(7)]
        report("`commission --help`, whole process (median of 7)", median(helps), target=0.5)

        builds = [_run([str(COMMISSION), "index"], root / f"build-{n}") for n in range(3)]
        report("`commission index` of the bundled papers (median of 3)", median(builds), target=30)

        home = root / "build-0"
        os.environ.update(_environment(home))
        from assistant.retrieval.search import get_retriever

        retriever = get_retriever()
        questions = [q.question for q in load_questions()]
        cycle = iter(questions * 10)
        timings = time_calls(lambda: retriever.search(next(cycle), 5), runs=len(questions) * 3, warmup=3)
        report(f"warm hybrid search p50 ({len(timings)} searches)", median(timings))
        report(f"warm hybrid search p95 ({len(timings)} searches)", percentile(timings, 0.95), target=0.05)

        peaks = []
        for _ in range(3):
            done = subprocess.run(
                [sys.executable, "-c", _PEAK_MEMORY],
                env=_environment(home),
                check=True,
                capture_output=True,
                text=True,
            )
            peaks.append(int(done.stdout.split()[-1]) / 1024)
        label = "peak memory: load the index and search (median of 3)"
        print(f"  {label:<58} {median(peaks):9.1f} MB")


if __name__ == "__main__":
    main()
