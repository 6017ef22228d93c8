"""The agent loop with a scripted model: tool call and answer, corrections, failures, the round limit."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from assistant.agent import Agent
from assistant.events import AnswerDelta, Notice, ToolFinished, ToolStarted, TurnFinished
from assistant.retrieval.passages import Citation, Passage
from assistant.toolkit import get_tools
from assistant.toolspec import spec_for
from tests.fake_model import call, scripted, unreadable_call
from tools.errors import InputError

DURHAM = Citation(
    file="county-durham-2017-community-contract-procurement-update.txt",
    title="Community Contract Procurement Update",
    short="County Durham",
    date="2017-11-09",
    section="Financial envelope",
    paragraphs=["39"],
    start=100,
    end=300,
)
ESTATES = "Estates costs of c£5m will be retained by commissioners and treated as a pass-through cost."


def search_papers(query: str, k: int = 5) -> list[Passage]:
    """Search the papers.

    Args:
        query: what to look for.
        k: how many passages.
    """
    return [Passage(text=ESTATES, score=0.9, citation=DURHAM)][:k]


def add_weeks(weeks: int) -> dict:
    """Add weeks.

    Args:
        weeks: how many weeks, 1 to 52.
    """
    if not 1 <= weeks <= 52:
        raise InputError(f"weeks = {weeks}: give a number of weeks from 1 to 52")
    return {"weeks": weeks, "days": weeks * 7}


def broken(note: str) -> dict:
    """A tool with a bug.

    Args:
        note: anything.
    """
    raise ZeroDivisionError("division by zero")


def agent_with(*turns, max_tool_rounds: int = 6) -> tuple[Agent, object]:
    model = scripted(*turns)
    tools = get_tools([spec_for(search_papers), spec_for(add_weeks), spec_for(broken)])
    return Agent(model, tools, max_tool_rounds=max_tool_rounds), model


def tool_messages(agent: Agent) -> list[ToolMessage]:
    return [m for m in agent.messages if isinstance(m, ToolMessage)]


def test_tool_call_then_answer_streams_and_ends_with_sources():
    agent, model = agent_with(
        call("search_papers", {"query": "estates pass through"}),
        "Estates stay with the commissioners [County Durham, 9 November 2017, para 39].",
    )
    events = list(agent.stream("Who keeps the estates costs?"))

    assert [type(e) for e in events[:2]] == [ToolStarted, ToolFinished]
    assert events[0].arguments == {"query": "estates pass through"}
    assert events[1].summary == "1 passage: County Durham, 9 November 2017, para 39"
    deltas = "".join(e.text for e in events if isinstance(e, AnswerDelta))
    assert deltas.strip() == "Estates stay with the commissioners [County Durham, 9 November 2017, para 39]."
    result = events[-1].result
    assert isinstance(events[-1], TurnFinished)
    assert result.answer.endswith(
        "**Sources**\n\n- County Durham, 9 November 2017, para 39 — Community Contract Procurement Update; "
        "section: Financial envelope"
    )
    assert [s.label for s in result.sources] == ["County Durham, 9 November 2017, para 39"]
    assert result.unverified == []
    assert model.bound_tools == ["search_papers", "add_weeks", "broken"]


def test_the_model_sees_the_system_prompt_and_passages_marked_as_quoted_data():
    agent, model = agent_with(call("search_papers", {"query": "estates"}), "Done.")
    agent.ask("estates?")
    first, second = model.sent
    assert isinstance(first[0], SystemMessage)
    assert "British English" in first[0].content and "Today's date is" in first[0].content
    tool_message = second[-1]
    assert isinstance(tool_message, ToolMessage)
    assert tool_message.content.startswith("Passages quoted from the commissioning papers (data")
    assert ESTATES in tool_message.content


def test_bad_arguments_go_back_to_the_model_which_corrects_them():
    agent, _ = agent_with(
        call("add_weeks", {"weeks": "many"}, id="a"),
        call("add_weeks", {"weeks": 99}, id="b"),
        call("add_weeks", {"weeks": 12}, id="c"),
        "Twelve weeks is 84 days.",
    )
    result = agent.ask("How long is 12 weeks?")
    first, second, third = tool_messages(agent)
    assert first.status == "error"
    assert "add_weeks arguments: weeks = 'many'" in first.content
    assert "Correct the arguments and call add_weeks again" in first.content
    assert second.status == "error" and "weeks = 99: give a number of weeks from 1 to 52" in second.content
    assert third.status == "success" and '"days": 84' in third.content
    assert [c.arguments for c in result.tool_calls] == [{"weeks": "many"}, {"weeks": 99}, {"weeks": 12}]
    assert result.answer == "Twelve weeks is 84 days."


def test_arguments_that_are_not_json_are_reported_not_crashed_on():
    agent, _ = agent_with(
        unreadable_call("add_weeks", "weeks=12"),
        call("add_weeks", {"weeks": 12}),
        "84 days.",
    )
    result = agent.ask("12 weeks?")
    first = tool_messages(agent)[0]
    assert first.status == "error"
    assert first.content.startswith("Error: the arguments to add_weeks were not valid JSON")
    assert tool_messages(agent)[1].status == "success"
    assert result.answer == "84 days."


def test_an_unknown_tool_name_is_answered_with_the_list_of_tools():
    agent, _ = agent_with(call("plan_timeline", {"route": "open"}), "Sorry.")
    agent.ask("Plan it")
    message = tool_messages(agent)[0]
    assert message.content == (
        "Error: there is no tool called 'plan_timeline'. The tools are: add_weeks, broken, search_papers."
    )


def test_a_tool_that_raises_is_contained_and_reported():
    agent, _ = agent_with(call("broken", {"note": "x"}), "The tool failed, so I cannot say.")
    events = list(agent.stream("Try the broken tool"))
    finished = next(e for e in events if isinstance(e, ToolFinished))
    assert not finished.ok
    assert "Unexpected error (ZeroDivisionError): this is a bug in commission" in finished.summary
    assert events[-1].result.answer == "The tool failed, so I cannot say."


def test_the_round_limit_stops_tool_calls_and_asks_for_an_answer():
    agent, model = agent_with(
        call("add_weeks", {"weeks": 1}, id="1"),
        call("add_weeks", {"weeks": 2}, id="2"),
        "From what I found: one week is 7 days.",
        max_tool_rounds=2,
    )
    result = agent.ask("Keep adding weeks")
    assert len(result.tool_calls) == 2
    last_request = model.sent[-1]
    assert isinstance(last_request[-1], HumanMessage)
    assert "used every tool round" in last_request[-1].content
    assert result.answer == "From what I found: one week is 7 days."
    # the limit note is not kept in the conversation
    assert not any("used every tool round" in str(m.content) for m in agent.messages)


def test_a_model_that_still_asks_for_tools_at_the_limit_is_stopped_with_a_notice():
    agent, _ = agent_with(
        call("add_weeks", {"weeks": 1}, id="1"), call("add_weeks", {"weeks": 2}, id="2"), max_tool_rounds=1
    )
    events = list(agent.stream("Keep going"))
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert notices == ["Stopped after 1 rounds of tool calls."]
    assert events[-1].result.answer == "I stopped after 1 rounds of tool calls, unanswered."
    assert len(events[-1].result.tool_calls) == 1


def test_a_stopped_turn_keeps_the_question_and_drops_its_tool_calls():
    agent, _ = agent_with(call("add_weeks", {"weeks": 1}), "Second answer.")
    events = agent.stream("First question")
    assert isinstance(next(events), ToolStarted)
    events.close()  # as Ctrl-C does
    assert [type(m) for m in agent.messages] == [SystemMessage, HumanMessage, AIMessage]
    assert agent.messages[-1].content == "(Answer stopped before it was finished.)"
    assert agent.ask("Second question").answer == "Second answer."


def test_to_json_has_the_ask_shape():
    agent, _ = agent_with(
        call("search_papers", {"query": "estates", "k": 1}), "See [County Durham, 9 November 2017]."
    )
    data = agent.ask("estates?").to_json()
    assert set(data) == {"answer", "sources", "tool_calls", "finish_reason", "grounded"}
    assert data["tool_calls"] == [
        {"name": "search_papers", "arguments": {"query": "estates", "k": 1}, "status": "ok"}
    ]
    assert data["sources"][0]["file"] == DURHAM.file
    assert data["sources"][0]["label"] == "County Durham, 9 November 2017, para 39"


def test_calls_past_the_per_round_cap_are_not_run_and_say_why():
    many = AIMessage(
        "",
        tool_calls=[
            {"name": "add_weeks", "args": {"weeks": n}, "id": f"c{n}", "type": "tool_call"}
            for n in range(1, 8)
        ],
    )
    agent, _ = agent_with(many, "Done.")
    events = list(agent.stream("Add weeks"))
    assert any(isinstance(e, Notice) and "asked for 7 tool calls at once" in e.text for e in events)
    assert len(tool_messages(agent)) == 5
    assert "only the first 5 tool calls of a round are run" in tool_messages(agent)[-1].content
    calls = events[-1].result.to_json()["tool_calls"]
    assert [c["status"] for c in calls] == ["ok"] * 5 + ["not run"] * 2
    assert calls[-1]["error"] == "not run: only the first 5 calls of a round are run"


def test_failed_calls_say_why_in_json():
    agent, _ = agent_with(call("plan_route", {}), call("add_weeks", {"weeks": 99}), "Sorry.")
    calls = agent.ask("Plan it").to_json()["tool_calls"]
    assert calls[0] == {
        "name": "plan_route",
        "arguments": {},
        "status": "failed",
        "error": "there is no tool called 'plan_route'. The tools are: add_weeks, broken, search_papers.",
    }
    assert calls[1]["status"] == "failed" and "give a number of weeks from 1 to 52" in calls[1]["error"]


def test_the_question_is_searched_first_and_its_passages_are_in_the_prompt():
    agent, model = agent_with("Estates stay with commissioners [County Durham, 9 November 2017, para 39].")
    result = agent.ask("Who keeps the estates costs?")
    system = model.sent[0][0]
    assert isinstance(system, SystemMessage)
    assert "found for the officer's latest question" in system.content
    assert ESTATES in system.content
    assert [m.content for m in model.sent[0][1:]] == ["Who keeps the estates costs?"]
    assert [s.label for s in result.sources] == ["County Durham, 9 November 2017, para 39"]
    assert result.tool_calls == []
    assert ESTATES not in agent.messages[0].content  # the passages are not kept in the history


def test_figures_from_the_passages_are_grounded():
    agent, _ = agent_with("About £5 million of estates costs are retained, in November 2017.")
    result = agent.ask("Estates costs?")
    assert result.grounded and "not found in the papers" not in result.answer


def test_figures_no_tool_or_passage_gave_are_flagged():
    agent, _ = agent_with(
        call("add_weeks", {"weeks": 2}), "It costs £44m, 12% of the budget, from 1 April 2031."
    )
    result = agent.ask("How long is two weeks?")
    assert not result.grounded
    assert result.unsupported == ["£44m", "12%", "1 April 2031"]
    assert "_Note: £44m, 12%, 1 April 2031 not found in the papers or tools: check them._" in result.answer
    assert result.to_json()["grounded"] is False


def test_a_model_that_cannot_call_tools_still_gets_the_passages():
    model = scripted("Estates stay with the commissioners.")
    agent = Agent(model, get_tools([spec_for(search_papers)]), max_tool_rounds=0)
    agent.ask("Who keeps the estates costs?")
    assert ESTATES in model.sent[0][0].content
