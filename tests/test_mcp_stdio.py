"""The real `commission mcp` over stdio, driven by the `mcp` client library as an assistant would drive it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client, types

from assistant import registry
from assistant.render import data, markdown
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

SHEFFIELD_LIKE_PAPER = """NHS Sheffield CCG Governing Body, 14 May 2015.
Direct award of the community equipment contract. Question 1: the services will be procured from the
provider best placed to deliver them. Question 2: patients will benefit from improved quality."""

# One valid call per registered tool, and one its own checks refuse (with a part of the message it gives).
VALID_CALLS: dict[str, dict[str, Any]] = {
    "search_papers": {"query": "estates pass through cost", "k": 3},
    "list_routes": {},
    "plan_timeline": {"route": "pa-open", "start": "2025-09-03"},
    "check_timeline": {
        "timeline": "| Stage | Date |\n|---|---|\n| Tender notice published | 1 October 2025 |\n"
        "| Tender deadline | 10 November 2025 |\n| Contract award | 1 December 2025 |",
        "route": "pa-open",
    },
    "compute_envelope": {
        "unit": "£m",
        "base_year": "2025/26",
        "lines": [{"category": "Community", "commissioner": "ICB", "amount": 10}],
        "years": 2,
        "reduction": {"total_percent": 10, "profile": "even"},
    },
    "capitation": {"budget": 1200000, "population": 1000},
    "gain_loss_share": {"expected": 100, "actual": 90, "shares": {"ICB": 50, "Provider": 50}},
    "check_monitor_questions": {"paper": SHEFFIELD_LIKE_PAPER},
    "which_regime": {"start": "2025-09-03", "buyer": "council", "service": "social-care", "value": 500000},
    "psr_route": {
        "existing_provider": True,
        "only_existing_provider_capable": False,
        "patient_choice_unrestricted": False,
        "existing_contract_expiring": True,
        "materially_different": False,
        "change_attributable_to_authority": False,
        "existing_provider_satisfactory": True,
    },
    "check_modification": {"regime": "psr2023", "original_value": 4000000, "new_value": 4600000},
    "draft_statement_of_intent": {"title": "Statement of intent: community services"},
}
REFUSED_CALLS: dict[str, tuple[dict[str, Any], str]] = {
    "search_papers": ({"query": "standstill", "k": 21}, "k = 21: Input should be less than or equal to 20"),
    "list_routes": ({"regime": "psr"}, "unknown field 'regime'"),
    "plan_timeline": ({"route": "no-such-route", "start": "2025-09-03"}, "'no-such-route' is not a route"),
    "check_timeline": ({"timeline": "nothing here"}, "no stages with dates found"),
    "compute_envelope": (
        {"unit": "£m", "base_year": "2025", "lines": [{"category": "C", "commissioner": "ICB", "amount": 1}]},
        "base_year = '2025': is not a financial year",
    ),
    "capitation": ({"budget": 1000, "population": 0}, "population = 0"),
    "gain_loss_share": (
        {"expected": 100, "actual": 90, "shares": {"ICB": 50, "Provider": 40}},
        "must add up to 100%",
    ),
    "check_monitor_questions": (
        {"paper": "no-such-paper.pdf"},
        "paper: no folder is shared with this server",
    ),
    "which_regime": ({"start": "2025-09-03", "buyer": "hospital", "service": "health"}, "buyer = 'hospital'"),
    "psr_route": ({"existing_provider": "perhaps"}, "existing_provider = 'perhaps'"),
    "check_modification": (
        {"regime": "psr2023", "original_value": 0, "new_value": 100000},
        "original_value: 0 is less than £1",
    ),
    "draft_statement_of_intent": ({"kind": "letter"}, "kind = 'letter'"),
}
TOOL_NAMES = list(VALID_CALLS)
# The tools that need arguments, and the first they need (the others run with none).
FIRST_REQUIRED = {
    "search_papers": "query",
    "plan_timeline": "route",
    "check_timeline": "timeline",
    "compute_envelope": "unit",
    "capitation": "budget",
    "gain_loss_share": "expected",
    "check_monitor_questions": "paper",
    "which_regime": "start",
    "check_modification": "regime",
}

# A server whose only tool prints, both from Python and from a child process, while it works.
NOISY_SERVER = '''
import os
from assistant import registry
from assistant.cli import app
from assistant.toolspec import spec_for

def shout(word: str) -> str:
    """Print a word, then return it.

    Args:
        word: what to print.
    """
    print("printed by the tool:", word)
    os.system("echo printed by a child process")
    return word

registry.all_specs = lambda: (spec_for(shout),)
app(["mcp"])
'''


def server(home: Path, *args: str) -> StdioServerParameters:
    """`python -m assistant mcp` (or `python -c CODE`) with its own home, run from a folder with no `.env`."""
    env = {"COMMISSION_HOME": str(home), "ORT_DISABLE_TELEMETRY": "1", "ANONYMIZED_TELEMETRY": "False"}
    env["PYTHONPATH"] = str(ROOT)
    return StdioServerParameters(command=sys.executable, args=list(args), env=env, cwd=str(home.parent))


async def session_run(params: StdioServerParameters, errlog: Path, calls: list[tuple[str, dict[str, Any]]]):
    """Start the server, list its tools, make `calls`: the listing, the results and any stream faults."""
    faults: list[Exception] = []

    async def on_message(message: Any) -> None:
        if isinstance(message, Exception):
            faults.append(message)

    with errlog.open("w") as log:
        async with (
            stdio_client(params, errlog=log) as (read, write),
            ClientSession(read, write, message_handler=on_message) as session,
        ):
            await session.initialize()
            listing = await session.list_tools()
            results = [await session.call_tool(name, arguments) for name, arguments in calls]
    return listing, results, faults


def test_stdout_carries_only_protocol_messages_even_when_a_tool_prints(tmp_path):
    params = server(tmp_path / "home", "-c", NOISY_SERVER)
    errlog = tmp_path / "stderr.txt"
    listing, [result], faults = anyio.run(session_run, params, errlog, [("shout", {"word": "hello"})])
    assert [tool.name for tool in listing.tools] == ["shout"]
    assert result.structured_content == {"result": "hello"}
    assert faults == []
    assert "printed by the tool: hello" in errlog.read_text()
    assert "printed by a child process" in errlog.read_text()


@pytest.fixture(scope="module")
def served(built_index_home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One session with the real server: the listing, and every tool called well, badly and wrongly."""
    calls = [(name, arguments) for name, arguments in VALID_CALLS.items()]
    calls += [(name, arguments) for name, (arguments, _) in REFUSED_CALLS.items()]
    calls += [(name, {**VALID_CALLS[name], "no_such_argument": 1}) for name in TOOL_NAMES]
    calls += [(name, {}) for name in FIRST_REQUIRED]
    errlog = tmp_path_factory.mktemp("mcp") / "stderr.txt"
    params = server(built_index_home, "-m", "assistant", "mcp")
    listing, results, faults = anyio.run(session_run, params, errlog, calls)
    count = len(TOOL_NAMES)
    return {
        "tools": {tool.name: tool for tool in listing.tools},
        "valid": dict(zip(TOOL_NAMES, results[:count], strict=True)),
        "refused": dict(zip(TOOL_NAMES, results[count : 2 * count], strict=True)),
        "unknown_argument": dict(zip(TOOL_NAMES, results[2 * count : 3 * count], strict=True)),
        "no_arguments": dict(zip(FIRST_REQUIRED, results[3 * count :], strict=True)),
        "faults": faults,
        "stderr": errlog.read_text(),
    }


def test_every_registered_tool_has_examples_here():
    assert [spec.name for spec in registry.all_specs()] == TOOL_NAMES
    assert list(REFUSED_CALLS) == TOOL_NAMES


def test_every_registered_tool_is_listed_with_its_description_and_schema(served):
    assert list(served["tools"]) == TOOL_NAMES
    for spec in registry.all_specs():
        tool = served["tools"][spec.name]
        assert (tool.description, tool.input_schema) == (spec.description, spec.json_schema())


def test_the_real_server_writes_only_protocol_messages(served):
    assert served["faults"] == [], served["stderr"]


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_a_valid_call_returns_what_the_function_returns_as_data_and_markdown(served, indexed_home, name):
    result = served["valid"][name]
    assert not result.is_error, result.content[0].text
    spec = registry.get_spec(name)
    assert spec is not None
    returned = spec.invoke(VALID_CALLS[name])
    assert result.content[0].text == markdown(returned)
    expected = data(returned)
    key = "passages" if name == "search_papers" else "result"
    assert result.structured_content == (expected if isinstance(expected, dict) else {key: expected})
    assert json.loads(result.content[1].text) == result.structured_content


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_arguments_a_tool_refuses_come_back_as_its_one_line_message(served, name):
    result = served["refused"][name]
    assert result.is_error
    assert REFUSED_CALLS[name][1] in result.content[0].text
    assert "\n" not in result.content[0].text


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_an_unknown_argument_is_named_in_a_tool_error(served, name):
    result = served["unknown_argument"][name]
    assert result.is_error
    assert result.content[0].text == (
        f"{name} arguments: unknown field 'no_such_argument'; check its spelling"
    )


@pytest.mark.parametrize(("name", "first_required"), FIRST_REQUIRED.items())
def test_no_arguments_name_every_required_one_in_order(served, name, first_required):
    result = served["no_arguments"][name]
    required = registry.get_spec(name).json_schema()["required"]
    assert required[0] == first_required
    problems = "; ".join(f"{field} is required" for field in required)
    count = f"{len(required)} problems: " if len(required) > 1 else ""
    assert result.is_error
    assert result.content[0].text == f"{name} arguments: {count}{problems}"


def test_the_paper_search_finds_the_durham_estates_passage_and_cites_it(served):
    search = served["valid"]["search_papers"]
    passages = search.structured_content["passages"]
    assert len(passages) == 3
    top = passages[0]
    assert top["citation"]["short"] == "County Durham"
    assert top["citation"]["date"] == "2017-11-09"
    assert "'pass-through' cost" in top["text"]
    assert f"**{top['citation']['label']}**" in search.content[0].text


def test_every_tool_is_annotated_read_only_with_a_title(served):
    for tool in served["tools"].values():
        assert tool.title and tool.annotations.title == tool.title
        assert tool.annotations.read_only_hint and tool.annotations.idempotent_hint
        assert tool.annotations.destructive_hint is False and tool.annotations.open_world_hint is False
        assert tool.output_schema is not None


def test_search_results_link_to_their_papers(served):
    links = [block for block in served["valid"]["search_papers"].content if block.type == "resource_link"]
    assert links and all(str(link.uri).startswith("commission://papers/") for link in links)


@pytest.fixture(scope="module")
def rich_session(built_index_home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One session declaring a root: files in and out of it, resources, prompts, completions, progress."""
    base = tmp_path_factory.mktemp("roots")
    shared, outside = base / "shared", base / "outside"
    shared.mkdir()
    outside.mkdir()
    (shared / "paper.txt").write_text(SHEFFIELD_LIKE_PAPER)
    (outside / "secret.txt").write_text("password = hunter2")
    seen: dict[str, Any] = {"progress": [], "logs": []}

    async def list_roots(context: Any) -> types.ListRootsResult:
        return types.ListRootsResult(roots=[types.Root(uri=shared.as_uri())])

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        seen["logs"].append(params.data)

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen["progress"].append(message)

    async def run() -> None:
        errlog = base / "stderr.txt"
        params = server(built_index_home, "-m", "assistant", "mcp")
        with errlog.open("w") as log:
            async with (
                stdio_client(params, errlog=log) as (read, write),
                ClientSession(
                    read, write, list_roots_callback=list_roots, logging_callback=on_log
                ) as session,
            ):
                await session.initialize()
                monitor = "check_monitor_questions"
                seen["inside"] = await session.call_tool(monitor, {"paper": "paper.txt"})
                seen["outside"] = await session.call_tool(monitor, {"paper": str(outside / "secret.txt")})
                seen["folder"] = await session.call_tool(monitor, {"paper": str(outside)})
                seen["missing"] = await session.call_tool(monitor, {"paper": str(shared / "missing.pdf")})
                seen["search"] = await session.call_tool(
                    "search_papers", {"query": "estates", "k": 1}, progress_callback=on_progress
                )
                seen["resources"] = await session.list_resources()
                first = seen["resources"].resources[0]
                seen["paper"] = await session.read_resource(first.uri)
                seen["prompts"] = await session.list_prompts()
                seen["prompt"] = await session.get_prompt(
                    "check_a_timeline", {"timeline": "| Stage | Date |", "route": "pa-open"}
                )
                seen["routes"] = await session.complete(
                    types.PromptReference(name="check_a_timeline"), {"name": "route", "value": "psr-"}
                )
                seen["buyers"] = await session.complete(
                    types.PromptReference(name="draft_statement_of_intent"), {"name": "buyer", "value": "n"}
                )

    anyio.run(run)
    seen["shared"] = shared
    return seen


def test_a_file_inside_the_clients_root_is_read(rich_session):
    assert not rich_session["inside"].is_error
    assert rich_session["inside"].structured_content["source"].endswith("paper.txt")


def test_a_path_outside_the_roots_a_folder_and_a_missing_file_are_refused_identically(rich_session):
    texts = {rich_session[name].content[0].text for name in ("outside", "folder", "missing")}
    assert all(rich_session[name].is_error for name in ("outside", "folder", "missing"))
    (text,) = texts
    assert str(rich_session["shared"].resolve()) in text
    assert "hunter2" not in text


def test_the_first_search_reports_progress_and_logs_while_the_index_loads(rich_session):
    assert not rich_session["search"].is_error
    assert [message.split(";")[0].split(" in ")[0] for message in rich_session["progress"]] == [
        "Opening the paper index",
        "Opened 5 papers",
        "The paper index is loaded.",
    ]
    assert any("Opened 5 papers; loading the embedding model" in str(data) for data in rich_session["logs"])


def test_each_paper_is_a_resource_with_its_text(rich_session):
    resources = rich_session["resources"].resources
    assert len(resources) == 5
    assert all(str(resource.uri).startswith("commission://papers/") for resource in resources)
    text = rich_session["paper"].contents[0].text
    assert text.startswith("# ") and "- Date: " in text and len(text) > 5000


def test_the_three_jobs_are_prompts_and_their_arguments_complete(rich_session):
    names = [prompt.name for prompt in rich_session["prompts"].prompts]
    assert names == ["ask_the_papers", "draft_statement_of_intent", "check_a_timeline"]
    assert "check_timeline" in rich_session["prompt"].messages[0].content.text
    assert rich_session["routes"].completion.values[:2] == ["psr-direct-a", "psr-direct-b"]
    assert rich_session["buyers"].completion.values == ["nhs", "nhs-trust"]
