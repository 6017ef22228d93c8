"""No exception escapes a surface: hostile input to every tool, through the toolkit and on the command line.

Every registered tool, given arbitrary JSON-like arguments (huge and non-finite numbers, dates out of
range, control characters, nested rubbish) or its own valid arguments with one part made hostile, gives a
result or a `CommissionError`, never any other exception, and its result renders as the surfaces render it.
Through the LangChain toolkit `.invoke()` never raises. On the command line each hostile input is exit 2
(or another code for a known error) and one line on stderr.

The property tests are derandomised and small enough for every test run; `make fuzz` runs them longer
(`COMMISSION_FUZZ_EXAMPLES`, with a fresh random seed each time).
"""

from __future__ import annotations

import copy
import json
import os
import shlex
import stat
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.messages import ToolMessage
from pydantic import BaseModel, ValidationError
from typer.testing import CliRunner

from assistant import errors
from assistant.cli import app
from assistant.registry import all_specs
from assistant.render import data, markdown
from assistant.toolkit import get_tools
from assistant.toolspec import ToolSpec
from tools.errors import CommissionError, InputError, describe_validation_error

FUZZ = os.environ.get("COMMISSION_FUZZ_EXAMPLES")
HOSTILE = settings(
    max_examples=int(FUZZ) if FUZZ else 25,
    derandomize=not FUZZ,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# search_papers needs the embedding index (built in 10-25 s); its arguments are tested in test_search.py.
SPECS = [spec for spec in all_specs() if spec.name != "search_papers"]

TIMELINE = "| Stage | Date |\n|---|---|\n| Advert | 1 April 2026 |\n| Contract award | 1 June 2026 |\n"
VALID: dict[str, list[dict[str, Any]]] = {
    "list_routes": [{}],
    "plan_timeline": [
        {"route": "pa-open", "go_live": "2027-06-01", "today": "2026-01-05", "value": 1_200_000},
        {
            "route": "pcr-open",
            "start": "2024-01-08",
            "mobilisation": "12 weeks",
            "meetings": ["2024-03-05", "2024-06-04"],
            "durations": {"evaluation": 30},
        },
    ],
    "check_timeline": [{"timeline": TIMELINE, "route": "pa-open", "value": 500_000}],
    "compute_envelope": [
        {
            "unit": "£000",
            "base_year": "2025/26",
            "years": 3,
            "lines": [
                {"category": "Acute", "commissioner": "ICB", "amount": 20567},
                {"category": "Estates", "commissioner": "Council", "amount": 5000, "pass_through": True},
            ],
            "reduction": {"total_percent": 7, "profile": "compound"},
            "growth_percent_per_year": [1, 2, 3],
            "inflation_percent_per_year": 2,
            "investments": [
                {"name": "Care", "commissioner": "ICB", "category": "Acute", "amount": 250, "from_year": 2}
            ],
            "ring_fences": [{"name": "staffing", "min_percent": 60}],
            "one_off": [{"name": "mobilisation", "amount": 1000, "year": 1}],
            "third_sector_share_percent": {"min": 10, "max": 20},
            "savings_target_per_year": {"min": 100, "max": 700, "commissioner": "ICB"},
            "printed_totals": {"ICB": 20567, "total": 25567},
            "decimal_places": 0,
        }
    ],
    "capitation": [
        {"budget": 4_200_000, "population": 1000, "unit": "£", "cohorts": None},
        {
            "budget": 4200,
            "population": 300,
            "unit": "£000",
            "cohorts": [{"name": "85+", "population": 100, "weight": 2}, {"name": "rest", "population": 200}],
        },
    ],
    "gain_loss_share": [
        {"expected": 1000, "actual": 900, "shares": {"ICB": 50, "Provider": 50}, "dead_band": 10, "cap": 50},
        {"expected": 900, "actual": 1000, "shares": {"ICB": 100}, "collar": 20, "unit": "£m"},
    ],
    "check_monitor_questions": [
        {"paper": "We engaged patients and listened to their needs.", "start": "2015-06-01", "buyer": "nhs"}
    ],
    "which_regime": [
        {"start": "2025-03-01", "buyer": "council", "service": "other", "value": 100_000},
        {"start": "2024-06-01", "buyer": "nhs", "service": "health", "framework_awarded": "2023-01-02"},
    ],
    "psr_route": [
        {
            "existing_provider": True,
            "only_existing_provider_capable": False,
            "patient_choice_unrestricted": False,
            "existing_contract_expiring": True,
            "materially_different": False,
            "change_attributable_to_authority": True,
            "existing_lifetime_value": 1_000_000,
            "proposed_lifetime_value": 1_600_000,
            "existing_provider_satisfactory": True,
        }
    ],
    "check_modification": [
        {"regime": "pa2023", "original_value": 1_000_000, "new_value": 1_100_000},
        {
            "regime": "pcr2015",
            "original_value": 1_000_000,
            "new_value": 1_200_000,
            "original_term_months": 36,
            "new_term_months": 48,
            "light_touch": True,
        },
    ],
    "draft_statement_of_intent": [{"title": "Community services", "date": "2026-01-05", "population": 1000}],
}

NASTY: list[Any] = [
    *(None, True, 0, -1, 2**63, -(2**63), 10**30, -(10**30), 10**400, 1e308, -1e308, 5e-324),
    *(float("nan"), float("inf"), float("-inf"), date(1, 1, 1), date(9999, 12, 31), [], {}),
    *("1e999", "-1e999", "1e30", "1e-999", "NaN", "nan", "Infinity", "-inf", "£1e30", "1.2m", "-£5"),
    *("9999-12-31", "0001-01-01", "2025-02-30", "99999999 months", "999999999", "-5 days", "0 days"),
    *("", " ", "\x00", "\n\r\t", "[bold]x[/]", "%s{}", "\ud800", "x" * 5000, "9" * 1_000_001),
]
"""Values that have broken tools: each is tried in every place of every tool's valid arguments."""
SCALARS = st.one_of(
    st.sampled_from(NASTY),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.dates(),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in `value` that can be replaced: each argument, and each member of lists and mappings."""
    if prefix:
        yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, member in items:
        yield from paths(member, (*prefix, key))


def replaced(value: dict[str, Any], path: tuple[Any, ...], new: Any) -> dict[str, Any]:
    changed = copy.deepcopy(value)
    target: Any = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return changed


@st.composite
def one_part_hostile(draw: st.DrawFn, spec: ToolSpec) -> dict[str, Any]:
    """The tool's own valid arguments with one argument, or one member of one, made hostile."""
    base = draw(st.sampled_from(VALID[spec.name]))
    names = [(name,) for name in spec.args_model.model_fields]
    places = sorted(set(paths(base)) | set(names), key=repr)
    path = draw(st.sampled_from(places)) if places else (draw(st.text(max_size=10)),)
    return replaced(base, path, draw(st.sampled_from(NASTY) | JSON))


def arguments(spec: ToolSpec) -> st.SearchStrategy[dict[str, Any]]:
    names = list(spec.args_model.model_fields)
    by_name = st.fixed_dictionaries({}, optional={name: JSON for name in names})
    keys = st.sampled_from(names) | st.text(max_size=10) if names else st.text(max_size=10)
    anything = st.dictionaries(keys, JSON, max_size=4)
    return st.one_of(one_part_hostile(spec), by_name, anything)


def flags(spec: ToolSpec) -> list[str]:
    return [f"--{name.replace('_', '-')}" for name in spec.args_model.model_fields]


def test_every_tool_except_the_paper_search_has_valid_arguments_here_that_work():
    assert {spec.name for spec in SPECS} == set(VALID)
    for spec in SPECS:
        for valid in VALID[spec.name]:
            result = spec.invoke(valid)
            assert markdown(result)


def result_or_known_error(spec: ToolSpec, hostile: dict[str, Any]) -> None:
    """Call the tool and render its result as the surfaces do; only a `CommissionError` may be raised."""
    try:
        result = spec.invoke(hostile)
    except CommissionError as error:
        message = errors.describe(error)
        assert message, "a known error says what is wrong"
        named = [flag for flag in flags(spec) if flag in message and flag not in repr(hostile)]
        assert not named, f"names a CLI flag, not an argument: {message}"
        return
    # The MCP server sends the result as JSON and Markdown; the toolkit as Markdown.
    json.dumps(data(result), allow_nan=False, default=str)
    assert markdown(result) is not None


def every_place_made_nasty() -> Iterator[Any]:
    for spec in SPECS:
        for number, valid in enumerate(VALID[spec.name]):
            names = {(name,) for name in spec.args_model.model_fields}
            for path in sorted(set(paths(valid)) | names, key=repr):
                name = f"{spec.name}-{number}-{'.'.join(str(part) for part in path)}"
                yield pytest.param(spec, valid, path, id=name)


@pytest.mark.parametrize(("spec", "valid", "path"), list(every_place_made_nasty()))
def test_every_nasty_value_in_every_place_gives_a_result_or_a_known_error(spec, valid, path):
    for nasty in NASTY:
        result_or_known_error(spec, replaced(valid, path, nasty))


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
@HOSTILE
@given(data=st.data())
def test_a_tool_gives_a_result_or_a_known_error_whatever_its_arguments(spec: ToolSpec, data: st.DataObject):
    result_or_known_error(spec, data.draw(arguments(spec), label="arguments"))


@pytest.mark.parametrize("tool", get_tools(SPECS), ids=lambda tool: tool.name)
@HOSTILE
@given(data=st.data())
def test_a_langchain_tool_never_raises_and_reports_a_bad_call_as_an_error_message(tool, data):
    spec = next(spec for spec in SPECS if spec.name == tool.name)
    hostile = data.draw(arguments(spec), label="arguments")
    message = tool.invoke({"type": "tool_call", "id": "call-1", "name": tool.name, "args": hostile})
    assert isinstance(message, ToolMessage)
    assert message.status in ("success", "error")
    if message.status == "error":
        assert message.content.startswith("Error: ")
        assert "\n" not in message.content
        if "this is a bug" in message.content:
            result_or_known_error(spec, hostile)
            raise AssertionError(message.content)


# --- The command line ---------------------------------------------------------------------------------

PSR = (
    "checklist psr --no-ask --existing-provider --no-only-existing-provider-capable "
    "--no-patient-choice-unrestricted --existing-contract-expiring --no-materially-different "
    "--change-attributable-to-authority --existing-provider-satisfactory"
)
PLAN = "timeline plan --route pa-open --start 2026-01-05"
TEN_MEGABYTES = "9" * 10_000_000


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(shlex.split(line), id=name)
        for name, line in {
            "far-go-live": "timeline plan --route pa-open --go-live 9999-12-31",
            "huge-duration": f"{PLAN} --duration evaluation=999999999",
            "huge-mobilisation": f"{PLAN} --mobilisation '99999999 months'",
            "huge-budget": "envelope capitation --budget 1e30 --population 10",
            "gainshare-1e999": "envelope gainshare --expected 1e999 --actual 1 --share A=100",
            "psr-1e999": f"{PSR} --proposed-lifetime-value 1e999 --existing-lifetime-value 1",
            "regime-nan": "checklist regime --start 2025-01-01 --buyer nhs --service health --value NaN",
            "empty-budget": "envelope capitation --budget '' --population 10",
            "empty-route": "timeline plan --route '' --start 2026-01-05",
        }.items()
    ]
    + [
        pytest.param(
            ["checklist", "regime", "--start", TEN_MEGABYTES, "--buyer", "nhs", "--service", "health"],
            id="ten-megabyte-date",
        ),
        pytest.param(
            ["envelope", "capitation", "--budget", TEN_MEGABYTES, "--population", "10"],
            id="ten-mb-budget",
        ),
    ],
)
def test_hostile_input_on_the_command_line_is_one_line_and_a_non_zero_exit(arguments):
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr[:500]
    assert "Traceback" not in result.output
    assert len(lines[0]) < 1000
    assert "this is a bug" not in lines[0]


# --- The one line for any error --------------------------------------------------------------------------


def explode(kind: type[BaseException] = OverflowError) -> None:
    raise kind("date value out of range")


def test_a_bug_is_one_line_naming_its_kind_and_the_log_holding_its_traceback(clean_environ):
    try:
        explode()
    except OverflowError as error:
        line = errors.unexpected(error, context="test")
    log = clean_environ / "logs" / "errors.log"
    assert line == (
        f"Unexpected error (OverflowError): this is a bug in commission; details are in {log}. "
        "Please report it."
    )
    written = log.read_text()
    assert "Traceback (most recent call last)" in written and "in explode" in written and ", test" in written
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_the_log_is_rotated_past_a_megabyte(clean_environ, monkeypatch):
    monkeypatch.setattr(errors, "LOG_LIMIT", 2000)
    for _ in range(6):
        errors.unexpected(ValueError("x" * 500))
    log = clean_environ / "logs" / "errors.log"
    assert log.stat().st_size <= 2000
    assert (clean_environ / "logs" / "errors.log.1").exists()


def test_a_bug_whose_log_cannot_be_written_is_still_one_line(clean_environ):
    clean_environ.write_text("a file where the folder should be")
    line = errors.unexpected(RuntimeError("boom"))
    assert line.startswith("Unexpected error (RuntimeError): this is a bug in commission; its details could")
    assert line.endswith("Please report it.")


def test_a_known_error_keeps_its_own_message_on_one_line():
    assert errors.describe(InputError("start: 'soon' is not a date;\n  write it like 2025-09-03")) == (
        "start: 'soon' is not a date; write it like 2025-09-03"
    )


class Form(BaseModel):
    """A form with a date, a choice, an amount and a check of its own."""

    model_config = {"extra": "forbid"}
    start: date
    buyer: str
    value: int

    @classmethod
    def check(cls, data: dict[str, Any]) -> str:
        try:
            cls.model_validate(data)
        except ValidationError as error:
            return str(describe_validation_error(error, source="arguments"))
        raise AssertionError("expected a validation error")


def test_a_validation_message_lists_every_problem_naming_fields_and_values_as_given():
    message = Form.check({"start": "soon", "value": "lots", "colour": "red"})
    assert message == (
        "arguments: 4 problems: start = 'soon': Input should be a valid date or datetime, input is too "
        "short; buyer is required; value = 'lots': Input should be a valid integer, unable to parse string "
        "as an integer; unknown field 'colour'; check its spelling"
    )


def test_a_long_or_strange_value_is_cut_to_forty_characters_and_stays_on_one_line():
    message = Form.check({"start": "x" * 100 + "\n" * 5, "buyer": "nhs", "value": 1})
    assert "start = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'" in message
    assert "\n" not in message


def test_a_value_error_loses_pydantics_prefix_and_does_not_repeat_the_value():
    from pydantic import field_validator

    class Dated(BaseModel):
        start: date

        @field_validator("start", mode="before")
        @classmethod
        def _bounded(cls, value: Any) -> Any:
            raise ValueError(f"{value!r} is after 2100; give a date before 2100")

    try:
        Dated.model_validate({"start": "9999-12-31"})
    except ValidationError as error:
        message = str(describe_validation_error(error, source="arguments"))
    assert message == "arguments: start: '9999-12-31' is after 2100; give a date before 2100"


def test_a_date_given_as_a_date_is_shown_as_written_not_as_python():
    from tools.errors import shown

    assert shown(date(2030, 1, 1)) == "2030-01-01"
    assert shown(None) == "null" and shown(True) == "true"
    assert shown(10**5000) == "a number of about 5,001 digits"


# --- The command line: bugs, interruptions, and what stays typer's --------------------------------------


def _with_command(body: Any) -> CliRunner:
    failing = typer.Typer()
    failing.command("run")(body)
    app.add_typer(failing, name="test-failing")
    return CliRunner()


def _invoke(body: Any, *arguments: str, env: dict[str, str] | None = None) -> Any:
    runner = _with_command(body)
    try:
        return runner.invoke(app, ["test-failing", "run", *arguments], env=env)
    finally:
        app.registered_groups.pop()


def test_a_bug_in_a_command_is_one_line_and_exit_1_with_the_traceback_in_the_log(clean_environ):
    result = _invoke(lambda: explode(OverflowError))
    assert result.exit_code == 1
    log = clean_environ / "logs" / "errors.log"
    assert result.stderr == (
        f"Error: Unexpected error (OverflowError): this is a bug in commission; details are in {log}. "
        "Please report it.\n"
    )
    assert "commission test-failing" in log.read_text()


def test_commission_debug_re_raises_a_bug():
    result = _invoke(lambda: explode(OverflowError), env={"COMMISSION_DEBUG": "1"})
    assert isinstance(result.exception, OverflowError)


def test_ctrl_c_is_interrupted_and_exit_130():
    result = _invoke(lambda: explode(KeyboardInterrupt))
    assert (result.exit_code, result.stderr) == (130, "Interrupted.\n")


def test_typer_exit_and_usage_errors_stay_typers():
    def stop() -> None:
        raise typer.Exit(3)

    assert _invoke(stop).exit_code == 3
    usage = CliRunner().invoke(app, ["envelope", "capitation", "--population", "lots", "--budget", "1"])
    assert usage.exit_code == 2
    assert "Traceback" not in usage.output and "this is a bug" not in usage.output
