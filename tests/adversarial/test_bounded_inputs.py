"""Hostile inputs meet a bound, named in a one-line refusal, before they can cost time or memory.

From the adversarial audit (issue 13): a YAML "billion laughs" of a few hundred bytes, 100,000 nested
brackets, a 10 MB search query, a 3 MB paper, a 501-row timeline, a 16,000-paragraph statement. Each is
refused in one line that names the bound; none raises a traceback. Timing targets live in
`benchmarks/bench_bounds.py`; here the tests simply finish.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from typer.testing import CliRunner

from assistant.cli import app
from tools.errors import InputError

runner = CliRunner()

# Nine levels of nine aliases: 387,420,489 strings once expanded, from under 800 bytes.
BILLION_LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
# The same as a list: a timeline given inline reads as YAML when its first line starts with "-".
BILLION_LAUGHS_LIST = '- &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"- &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
ALIASES = "YAML aliases (&name and *name) are not accepted; write the values out"
NESTED = "nested more than 50 levels deep"
DEEP_YAML = {
    "flow": "[" * 100_000,
    "block-list": "- " * 100_000,
    "flow-mapping": "{a: " * 100_000,
    "block-mapping": "".join(f"{'  ' * level}k{level}:\n" for level in range(100)),
}


def one_line_error(result: Any, code: int = 2) -> str:
    """The CLI's error line, after checking it is one line, no traceback, and the exit code."""
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output
    return result.stderr


def call_mcp_tool(name: str, arguments: dict[str, Any]) -> Any:
    from assistant.mcp_server import build_server

    async def session() -> Any:
        async with Client(build_server()) as client:
            return await client.call_tool(name, arguments)

    return anyio.run(session)


def written(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- YAML aliases ------------------------------------------------------------------------------------


def test_a_billion_laughs_timeline_file_is_refused_in_one_line_naming_the_file(tmp_path):
    path = written(tmp_path, "timeline.yaml", BILLION_LAUGHS)
    error = one_line_error(runner.invoke(app, ["timeline", "check", path]))
    assert error == f"Error: {path}: {ALIASES}\n"


def test_a_billion_laughs_envelope_file_is_refused_in_one_line_naming_the_file(tmp_path):
    path = written(tmp_path, "envelope.yaml", BILLION_LAUGHS)
    error = one_line_error(runner.invoke(app, ["envelope", path]))
    assert error == f"Error: {path}: {ALIASES}\n"


def test_a_billion_laughs_given_inline_to_the_mcp_check_timeline_tool_is_a_one_line_tool_error():
    result = call_mcp_tool("check_timeline", {"timeline": BILLION_LAUGHS_LIST})
    assert result.is_error
    text = result.content[0].text
    assert "\n" not in text and f"timeline: {ALIASES}" in text


def test_an_anchor_without_an_alias_is_fine_and_an_undefined_alias_is_just_not_yaml():
    from tools.inputs import NotYamlError, load_yaml_text

    assert load_yaml_text("a: &first 1\nb: 2\n", source="x") == {"a": 1, "b": 2}
    with pytest.raises(NotYamlError, match=r"^x: is not valid YAML"):
        load_yaml_text("*Draft* timeline", source="x")  # prose, not an alias bomb


def test_a_manifest_with_aliases_is_ignored_like_any_unreadable_manifest(tmp_path):
    from assistant.retrieval.papers import load_manifest

    (tmp_path / "manifest.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    assert load_manifest(tmp_path) == {}


# --- Nesting -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", list(DEEP_YAML.values()), ids=list(DEEP_YAML))
def test_deeply_nested_yaml_is_one_line_naming_the_depth_limit(tmp_path, text):
    path = written(tmp_path, "envelope.yaml", text)
    error = one_line_error(runner.invoke(app, ["envelope", path]))
    assert error.startswith(f"Error: {path}: {NESTED}")


def test_100000_nested_brackets_in_json_are_one_line_not_a_recursion_error(tmp_path):
    path = written(tmp_path, "envelope.json", "[" * 100_000 + "]" * 100_000)
    error = one_line_error(runner.invoke(app, ["envelope", path]))
    assert error.startswith(f"Error: {path}: {NESTED}")


def test_deeply_nested_yaml_given_inline_as_a_timeline_is_refused():
    from tools.timeline import check_timeline

    with pytest.raises(InputError, match=f"^timeline: {NESTED}"):
        check_timeline("[" * 100_000)


@pytest.mark.parametrize("kind", ["yaml", "json"])
def test_fifty_levels_are_read_and_fifty_one_are_refused(tmp_path, kind):
    from tools.inputs import load_data

    fifty = tmp_path / f"fifty.{kind}"
    fifty.write_text("[" * 50 + "]" * 50, encoding="utf-8")
    assert load_data(fifty) is not None
    deeper = tmp_path / f"deeper.{kind}"
    deeper.write_text("[" * 51 + "]" * 51, encoding="utf-8")
    with pytest.raises(InputError, match=NESTED):
        load_data(deeper)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("start: 2025-02-30\n", "holds a value that cannot be read (day is out of range for month)"),
        ("amount: " + "9" * 5000 + "\n", "holds a number of more than 4,300 digits"),
    ],
    ids=["impossible-date", "huge-number"],
)
def test_a_value_yaml_cannot_read_is_named_not_raised(text, message):
    from tools.inputs import load_yaml_text

    with pytest.raises(InputError, match=f"^x: {re.escape(message)}"):
        load_yaml_text(text, source="x")


def test_text_that_cannot_be_encoded_is_not_yaml_rather_than_a_unicode_error():
    from tools.inputs import NotYamlError, load_yaml_text

    with pytest.raises(NotYamlError, match="holds characters that are not text"):
        load_yaml_text("stage: \ud800", source="x")  # a lone surrogate, as JSON's "\ud800" arrives


# --- Sizes and counts --------------------------------------------------------------------------------


def test_a_10_mb_search_query_is_refused_by_length_before_the_index_is_read():
    from assistant.retrieval.tool import search_papers

    with pytest.raises(InputError) as raised:
        search_papers("commissioning " * 750_000)
    assert str(raised.value) == (
        "query: 10,500,000 characters; a query may have at most 2,000; "
        "ask about one thing in a sentence or two"
    )


def test_a_long_paper_filter_is_refused_naming_its_bound():
    from assistant.retrieval.tool import search_papers

    with pytest.raises(InputError, match=r"^paper: 5,000 characters; a filter may have at most 200"):
        search_papers("standstill", paper="x" * 5000)


def test_a_3_mb_monitor_paper_is_refused_naming_the_bound():
    from tools.checklist.monitor import check_monitor_questions

    sentence = "The commissioners engaged with patients and the public about their needs. "
    paper = (sentence * 41_000)[:3_000_000]
    with pytest.raises(InputError) as raised:
        check_monitor_questions(paper)
    message = str(raised.value)
    assert message.startswith(
        "paper: the paper's text has 3,000,000 characters; the check reads at most 2,000,000"
    )
    assert "\n" not in message


def test_a_monitor_answers_file_past_the_bound_is_refused(tmp_path):
    from tools.checklist.monitor import check_monitor_file

    path = tmp_path / "answers.yaml"
    path.write_text("needs_assessment: '" + "We assessed needs. " * 120_000 + "'\n", encoding="utf-8")
    with pytest.raises(InputError, match="has 2,280,000 characters; the check reads at most 2,000,000"):
        check_monitor_file(path)


def timeline_rows(count: int) -> str:
    rows = "\n".join(f"| Evaluation {n} | 1 April 2027 |" for n in range(count))
    return f"| Stage | When |\n|---|---|\n{rows}"


def test_a_501_row_timeline_is_refused_naming_the_bound():
    from tools.timeline import check_timeline

    with pytest.raises(InputError) as raised:
        check_timeline(timeline_rows(501))
    assert str(raised.value).startswith("timeline: has 501 rows; a timeline may have at most 500 rows")


def test_a_500_row_timeline_is_checked():
    from tools.timeline import check_timeline

    result = check_timeline(timeline_rows(500), route="pa-open")
    assert len(result.stages) == 500


def test_a_million_row_yaml_timeline_is_refused_as_it_is_read_by_its_count_of_values():
    from tools.timeline import check_timeline

    with pytest.raises(InputError, match=r"^timeline: holds more than 10,000 values"):
        check_timeline("[" + ", ".join(["[Evaluation, 2027-04-01]"] * 1_000_000) + "]")


def test_a_yaml_of_more_than_100000_values_is_refused(tmp_path):
    path = written(tmp_path, "envelope.yaml", "lines:\n" + "- 1\n" * 100_001)
    error = one_line_error(runner.invoke(app, ["envelope", path]))
    assert error.startswith(f"Error: {path}: holds more than 100,000 values")


def _draft(**arguments):
    """The drafter as the agent and the MCP server call it."""
    from assistant.toolspec import spec_for
    from tools.intent import draft_statement_of_intent

    return spec_for(draft_statement_of_intent).invoke(arguments)


def test_a_16000_paragraph_statement_is_refused_naming_the_list_bound():
    with pytest.raises(InputError) as raised:
        _draft(background=[f"Paragraph {n}." for n in range(16_000)])
    message = str(raised.value)
    assert "background = " in message and "at most 200 items" in message and "not 16000" in message
    assert len(message) < 300


def test_a_paragraph_past_20000_characters_is_refused_naming_the_bound():
    with pytest.raises(InputError, match="at most 20000 characters"):
        _draft(vision=["x" * 20_001])


def test_the_largest_lists_the_bounds_allow_draft_with_every_paragraph_numbered_in_turn():
    from tools.intent.model import Paragraph

    draft = _draft(
        background=[f"Background {n}." for n in range(200)], vision=[f"Vision {n}." for n in range(200)]
    )
    vision = next(section for section in draft.sections if section.title == "Vision")
    numbers = [block.number for block in vision.blocks if isinstance(block, Paragraph)]
    assert numbers == [f"2.{n}" for n in range(1, 201)]


def test_the_statement_schema_states_its_bounds():
    from tools.intent import StatementInput

    background = StatementInput.model_json_schema()["properties"]["background"]
    assert background["maxItems"] == 200 and background["items"]["maxLength"] == 20_000


def envelope(**changes: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "unit": "£000",
        "base_year": "2025/26",
        "years": 3,
        "lines": [{"category": "Community", "commissioner": "ICB", "amount": 1000}],
    }
    return {**spec, **changes}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"lines": [{"category": "C", "commissioner": "ICB", "amount": 1}] * 2001},
            "lines = ",
        ),
        ({"years": 51}, "years = 51: Input should be less than or equal to 50"),
        ({"years": 0}, "years = 0: a plan needs at least one year"),
        (
            {"lines": [{"category": "C" * 201, "commissioner": "ICB", "amount": 1}]},
            f"lines.0.category = '{'C' * 39}…': String should have at most 200 characters",
        ),
        ({"growth_percent_per_year": [1] * 51}, "at most 50 items"),
    ],
    ids=["2001-lines", "51-years", "no-years", "long-name", "51-percentages"],
)
def test_envelope_bounds_are_named(changes, message):
    from tools.envelope.schema import spec_from

    with pytest.raises(InputError) as raised:
        spec_from(envelope(**changes))
    assert message in str(raised.value)
    if "lines = " in message:
        assert "at most 2000 items" in str(raised.value)


# --- Messages quote a short prefix ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda long: __import__("tools.timeline").timeline.check_timeline(
            f"| Stage | When |\n|---|---|\n| Evaluation | 1 April 2027 |\n| Award | {long} |"
        ), id="timeline-date"),
        pytest.param(lambda long: __import__("tools.checklist").checklist.which_regime(
            "2025-09-03", long, "health"
        ), id="buyer"),
        pytest.param(lambda long: __import__("tools.envelope.schema").envelope.schema.spec_from(
            envelope(printed_totals={long: 1})
        ), id="printed-total"),
    ],
)  # fmt: skip
def test_a_refusal_quotes_at_most_forty_characters_of_a_long_value(call):
    long = "x" * 1_000_000
    try:
        result = call(long)
    except InputError as error:
        message = str(error)
    else:  # the timeline check reports an unreadable date as a finding, not an error
        message = next(f.message for f in result.findings if f.message.startswith("Could not read the date"))
    assert "x" * 41 not in message and "x" * 39 in message
    assert len(message) < 1000
