"""Inputs at their bounds (issue 13): drafting, timeline checking and the Monitor check stay linear.

Each figure is work an input at (or past) its bound costs, so a hostile input costs no more than this:
the drafter on 10,000 paragraphs (past the 200-entry list bound, to show it is linear, not quadratic);
a 500-row timeline (the row bound); a paper of 2,000,000 characters (the Monitor check's bound); and the
refusal of a YAML "billion laughs" and of a YAML just past 100,000 values.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from benchmarks.bench_timeline import timeline
from benchmarks.timing import median, report, time_calls

KNOWLEDGE_PAPER = "knowledge/sheffield-2015-active-support-and-recovery-procurement-approach.txt"
BILLION_LAUGHS = '- &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"- &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def paragraphs(count: int) -> Any:
    """A statement with `count` paragraphs of background, built without validation (past the bound)."""
    from tools.intent import StatementInput

    return StatementInput.model_construct(
        background=[f"Paragraph {n} of the background and the case for change." for n in range(count)]
    )


def draft(statement: Any, build: Callable[[Any], Any], render: Callable[[Any], str]) -> str:
    return render(build(statement))


def paper(characters: int) -> str:
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / KNOWLEDGE_PAPER).read_text(encoding="utf-8")
    return (text * (characters // len(text) + 1))[:characters]


def main() -> None:
    from tools.checklist.monitor import MAX_PAPER_CHARS, check_monitor_questions
    from tools.errors import InputError
    from tools.inputs import MAX_VALUES, load_yaml_text
    from tools.intent import build_draft, render_markdown
    from tools.timeline import check_timeline
    from tools.timeline.reader import MAX_ROWS

    for count in (1_000, 10_000):
        statement = paragraphs(count)
        seconds = median(time_calls(partial(draft, statement, build_draft, render_markdown), runs=5))
        report(f"draft and render {count:,} paragraphs (median)", seconds)
    rows = timeline(MAX_ROWS)
    seconds = median(time_calls(lambda: check_timeline(rows), runs=5))
    report(f"check a {MAX_ROWS}-row timeline (median)", seconds)
    text = paper(MAX_PAPER_CHARS)
    report(
        f"Monitor check of {MAX_PAPER_CHARS:,} characters (median)",
        median(time_calls(lambda: check_monitor_questions(text), runs=3)),
    )

    def refused(yaml_text: str) -> None:
        try:
            load_yaml_text(yaml_text, source="bench")
        except InputError:
            return
        raise AssertionError("the bounded loader read what it should refuse")

    report("refuse a YAML billion laughs (median)", median(time_calls(lambda: refused(BILLION_LAUGHS))))
    many = "- 1\n" * (MAX_VALUES + 1)
    report(
        f"refuse a YAML of {MAX_VALUES + 1:,} values (median)",
        median(time_calls(lambda: refused(many), runs=3)),
    )


if __name__ == "__main__":
    main()
