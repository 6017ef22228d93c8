"""`make eval-agent`'s harness, run on three questions with a scripted model: the printed figures."""

from __future__ import annotations

from itertools import count

from assistant.agent import Agent
from assistant.toolkit import get_tools
from assistant.toolspec import spec_for
from benchmarks.eval_agent import AgentQuestion, ask, load_questions, report
from tests.fake_model import call, scripted
from tests.test_agent import add_weeks, search_papers

QUESTIONS = [
    AgentQuestion(
        question="Who keeps the estates costs?",
        tool="search_papers",
        arguments={"query": "estates"},
        facts=[["£5m", "£5 million"]],
    ),
    AgentQuestion(
        question="How long is 2 weeks?", tool="add_weeks", arguments={"weeks": 2}, facts=["14 days"]
    ),
    AgentQuestion(
        question="How long is 3 weeks?", tool="add_weeks", arguments={"weeks": 3}, facts=["21 days"]
    ),
]


def run(*turns) -> str:
    model = scripted(*turns)
    tools = get_tools([spec_for(search_papers), spec_for(add_weeks)])
    ticks = count()
    outcomes = [
        ask(question, lambda: Agent(model, tools), clock=lambda: float(next(ticks))) for question in QUESTIONS
    ]
    return report(outcomes, verbose=True)


def test_the_harness_prints_each_figure():
    printed = run(
        # 1: the right tool and arguments, a grounded answer with the fact
        call("search_papers", {"query": "estates costs"}),
        "About £5m is kept by commissioners [County Durham, 9 November 2017, para 39].",
        # 2: the wrong arguments first (refused), then right: the answer states an unsupported figure
        call("add_weeks", {"weeks": 99}, id="a"),
        call("add_weeks", {"weeks": 2}, id="b"),
        "Two weeks is 14 days, costing £3m.",
        # 3: no tool at all, and an answer without the fact
        "Three weeks.",
    )
    assert "  tool choice accuracy     67%  (2 of 3 questions)" in printed
    assert "  argument validity        67%  (2 of 3 calls)" in printed
    assert "  expected arguments       67%  (2 of 3 questions)" in printed
    assert "  facts in the answer      67%  (2 of 3 questions)" in printed
    assert "  grounding rate           67%  (2 of 3 questions)" in printed
    assert "  truncation rate           0%  (0 of 3 questions)" in printed
    assert "  failed turns              0%  (0 of 3 questions)" in printed
    assert "  seconds per answer     median 1.0, mean 1.0" in printed
    assert "   1 TAFG   1.0s  search_papers" in printed
    assert "   2 TAF.   1.0s  add_weeks, add_weeks" in printed
    assert "   3 ...G   1.0s  no tool" in printed


def test_a_failed_turn_is_counted_and_its_reason_listed():
    from assistant.errors import ModelError

    model = scripted(failure=ModelError("the model server is not answering"))
    outcome = ask(QUESTIONS[0], lambda: Agent(model, get_tools([spec_for(search_papers)])))
    printed = report([outcome])
    assert "  failed turns            100%  (1 of 1 questions)" in printed
    assert "  question 1 failed: the model server is not answering" in printed


def test_the_question_set_has_at_least_thirty_questions_each_for_a_real_tool():
    from assistant.registry import all_specs

    questions = load_questions()
    names = {spec.name for spec in all_specs()}
    assert len(questions) >= 30
    assert {question.tool for question in questions} <= names
