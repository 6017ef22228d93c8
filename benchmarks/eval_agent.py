"""`make eval-agent`: the whole assistant on officer questions, against whatever model is configured.

Each question in `agent_questions.yaml` is asked in a fresh conversation, with every tool and the paper
index, and scored on what an officer or an IT team deciding whether a model is good enough needs:

    tool choice        the expected tool was called
    argument validity  of all tool calls made, the share that ran (not refused for their arguments)
    expected arguments the expected tool was called, ran, and with the expected arguments
    facts              the answer states every expected fact
    grounded           the answer states no figure or date that no tool or passage gave
    truncated          the answer was cut off by the model's length limit
    seconds            per answer, tool calls included

A question whose turn fails (the endpoint refuses, the request cannot fit) counts as failed on every
measure, and its one-line reason is listed. Run `python -m benchmarks.eval_agent --limit 5 --verbose`
for a quick look at a few questions, one line each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

QUESTIONS = Path(__file__).with_name("agent_questions.yaml")


class AgentQuestion(BaseModel):
    """One question, the tool and arguments a good answer uses, and the facts it states."""

    model_config = ConfigDict(extra="forbid")

    question: str
    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    facts: list[str | list[str]] = Field(default_factory=list)


@dataclass
class Outcome:
    """How one question went."""

    question: AgentQuestion
    seconds: float
    tools_called: list[str] = field(default_factory=list)
    calls_made: int = 0
    calls_ran: int = 0
    arguments_match: bool = False
    facts_found: bool = False
    grounded: bool = False
    truncated: bool = False
    error: str | None = None

    @property
    def tool_chosen(self) -> bool:
        return self.question.tool in self.tools_called


def load_questions(path: Path = QUESTIONS) -> list[AgentQuestion]:
    """The questions in `path`, each checked against `AgentQuestion`."""
    from tools.inputs import load_yaml_text

    data = load_yaml_text(path.read_text(encoding="utf-8"), source=path.name)
    return [AgentQuestion.model_validate(item) for item in data["questions"]]


def ask(
    question: AgentQuestion,
    new_agent: Callable[[], Any],
    clock: Callable[[], float] = time.perf_counter,
) -> Outcome:
    """Ask one question of a fresh agent and score the turn."""
    from tools.errors import CommissionError

    began = clock()
    try:
        result = new_agent().ask(question.question)
    except CommissionError as error:
        return Outcome(question, clock() - began, error=" ".join(str(error).split()))
    data = result.to_json()
    calls = data["tool_calls"]
    ran = [call for call in calls if call.get("status", "ok") == "ok"]
    return Outcome(
        question,
        clock() - began,
        tools_called=[call["name"] for call in calls],
        calls_made=len(calls),
        calls_ran=len(ran),
        arguments_match=any(
            call["name"] == question.tool and _matches(question.arguments, call["arguments"]) for call in ran
        ),
        facts_found=all(_found(fact, data["answer"]) for fact in question.facts),
        grounded=bool(data.get("grounded", True)),
        truncated=data.get("finish_reason") == "length",
    )


def _matches(expected: dict[str, Any], given: dict[str, Any]) -> bool:
    for name, value in expected.items():
        if name not in given:
            return False
        if isinstance(value, str):
            if value.lower() not in str(given[name]).lower():
                return False
        elif given[name] != value:
            return False
    return True


def _found(fact: str | list[str], answer: str) -> bool:
    options = [fact] if isinstance(fact, str) else fact
    return any(option.lower() in answer.lower() for option in options)


def report(outcomes: Sequence[Outcome], *, verbose: bool = False) -> str:
    """The figures, one a line, then any failures (and with `verbose`, every question)."""
    total = len(outcomes)
    made = sum(outcome.calls_made for outcome in outcomes)
    ran = sum(outcome.calls_ran for outcome in outcomes)
    seconds = [outcome.seconds for outcome in outcomes]
    lines = [
        _rate("tool choice accuracy", sum(o.tool_chosen for o in outcomes), total),
        _rate("argument validity", ran, made, unit="calls"),
        _rate("expected arguments", sum(o.arguments_match for o in outcomes), total),
        _rate("facts in the answer", sum(o.facts_found for o in outcomes), total),
        _rate("grounding rate", sum(o.grounded for o in outcomes), total),
        _rate("truncation rate", sum(o.truncated for o in outcomes), total),
        _rate("failed turns", sum(o.error is not None for o in outcomes), total),
        f"  {'seconds per answer':<22} median {statistics.median(seconds) if seconds else 0:.1f}, "
        f"mean {statistics.fmean(seconds) if seconds else 0:.1f}",
    ]
    for number, outcome in enumerate(outcomes, start=1):
        if outcome.error:
            lines.append(f"  question {number} failed: {outcome.error}")
        elif verbose:
            marks = "".join(
                mark if ok else "."
                for mark, ok in zip(
                    "TAFG",
                    (outcome.tool_chosen, outcome.arguments_match, outcome.facts_found, outcome.grounded),
                    strict=True,
                )
            )
            called = ", ".join(outcome.tools_called) or "no tool"
            lines.append(f"  {number:>2} {marks} {outcome.seconds:5.1f}s  {called}")
    return "\n".join(lines)


def _rate(name: str, count: int, total: int, *, unit: str = "questions") -> str:
    share = f"{100 * count / total:.0f}%" if total else "n/a"
    return f"  {name:<22} {share:>5}  ({count} of {total} {unit})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, help="ask only the first N questions")
    parser.add_argument("--verbose", action="store_true", help="one line per question (TAFG: which passed)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="a YAML of questions")
    arguments = parser.parse_args(argv)

    from assistant.agent import Agent
    from assistant.config import Settings
    from assistant.llm import make_chat_model
    from assistant.toolkit import get_tools

    settings = Settings()
    model = make_chat_model(settings)
    if model is None:
        print(
            "No model is configured: set COMMISSION_LLM_BASE_URL and COMMISSION_LLM_MODEL (see .env.example)."
        )
        return 1
    questions = load_questions(arguments.questions)[: arguments.limit]
    tools = get_tools()
    print(f"Agent evaluation: {len(questions)} questions, model {model.client.endpoint.model!r}")
    print(f"  at {model.client.endpoint.shown_url}, context window {model.context_window():,} tokens\n")

    def new_agent() -> Agent:
        return Agent(model, tools, max_tool_rounds=settings.agent_max_tool_rounds)

    outcomes = []
    for number, question in enumerate(questions, start=1):
        print(f"  [{number}/{len(questions)}] {question.question[:70]}", file=sys.stderr)
        outcomes.append(ask(question, new_agent))
    print(report(outcomes, verbose=arguments.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
