"""The statement's inputs: the fixtures the intent tests share, and reading the YAML, envelope and timeline.

The envelope and timeline fixtures have the JSON shapes issues 4 and 3 fix for those tools' output.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.errors import InputError, UnreadableFileError
from tools.intent import StatementInput, load_statement, template_yaml
from tools.intent.schema import DEFAULT_PRINCIPLES

STATEMENT: dict[str, Any] = {
    "kind": "statement of intent",
    "title": "Commissioning Community Services: A Statement of Intent",
    "date": "2025-09-03",
    "commissioners": ["NHS Derby and Derbyshire ICB", "Derby City Council"],
    "providers": [
        "Derbyshire Community Health Services NHS Foundation Trust",
        "Derbyshire Healthcare NHS Foundation Trust",
    ],
    "area": "Southern Derbyshire",
    "population": 525000,
    "background": [
        "The Health and Wellbeing Board has agreed a draft vision for services in Southern Derbyshire."
    ],
    "services_in_scope": ["Community nursing", "Intermediate care and reablement"],
    "services_out_of_scope": ["Children's community services"],
    "vision": ["Empowered citizens, able to find helpful information that promotes their independence."],
    "key_characteristics": [
        {
            "title": "Workforce",
            "text": "Significant changes to the current workforce.",
            "points": ["Generic workers"],
        },
        "Flexibility and adaptability will be essential components of future service design.",
    ],
    "impact_on_flows_and_pathways": {
        "statements": ["Fewer people admitted to acute services where this can be avoided"],
        "metrics": [
            {
                "name": "Emergency admissions of people aged 85 and over",
                "baseline": "4,120 a year",
                "target": "3,700 a year",
                "by": date(2027, 3, 31),
                "source": "SUS 2024/25",
            }
        ],
    },
    "impact_on_peoples_experience": {
        "statements": ["People only have to tell their story once"],
        "metrics": [{"name": "People who know who to contact", "baseline": "61%", "target": "80%"}],
    },
    "impact_on_cost_and_efficiency": {
        "statements": ["Estate rationalisation is considered"],
        "metrics": [{"name": "Community hospital beds", "baseline": 212, "target": 112}],
    },
    "envelope_file": "data/envelope.json",
    "envelope_notes": ["The envelope is indicative until both boards approve it."],
    "timeline_file": "data/timeline.json",
    "governance": ["A joint programme board of commissioners and providers will meet monthly."],
    "response": {
        "asks": ["Your preliminary thinking on the principles and impacts above"],
        "deadline": "31 October 2025",
        "send_to": "the Collaborative Commissioning Programme Office",
    },
    "right_to_revert": "if sufficient progress is not evident.",
    "procurement": {"buyer": "joint", "service": "health"},
}

ENVELOPE: dict[str, Any] = {
    "unit": "£000",
    "years": [
        {
            "year": "2016/17",
            "total": 68024.37,
            "provider_envelope": 63024.37,
            "retained": 5000,
            "by_commissioner": {"CCG": 27852.24, "Council": 40172.13},
            "by_category": {"Complex & Specialist": 34252.9, "Estates": 5000},
            "ring_fences": [{"name": "clinical staffing", "amount": 41596.08}],
        },
        {
            "year": "2017/18",
            "total": 66812.74,
            "provider_envelope": 61812.74,
            "retained": 5000,
            "by_commissioner": {"CCG": 27356.48, "Council": 39456.26},
            "by_category": {"Complex & Specialist": 33642.81, "Estates": 5000},
            "ring_fences": [{"name": "clinical staffing", "amount": 40796.41}],
        },
    ],
    "checks": [
        {"severity": "warning", "message": "2017/18 savings fall short of the target."},
        {"severity": "info", "message": "The printed total reconciles with its lines."},
    ],
}

TIMELINE: dict[str, Any] = {
    "route": "collaborative",
    "regime": "Provider Selection Regime (PSR)",
    "stages": [
        {
            "name": "Statement of intent issued",
            "canonical": "statement",
            "start": "2025-09-03",
            "end": "2025-09-03",
            "rule": "Officer's plan",
        },
        {
            "name": "Provider response",
            "canonical": "response",
            "start": "2025-09-04",
            "end": "2025-10-31",
            "rule": "Typical duration: 8 weeks [UNCONFIRMED assumption: check it and edit it if it is wrong]",
        },
        {
            "name": "Governing body decision",
            "canonical": "decision",
            "start": "2026-03-12",
            "end": "2026-03-12",
            "rule": "Meeting date given",
        },
    ],
    "notes": ["The decision waits for the governing body meeting on 12 March 2026."],
}


def statement(**changes: Any) -> dict[str, Any]:
    """The full statement with fields changed; a value of None leaves the field out."""
    data = copy.deepcopy(STATEMENT)
    for field, value in changes.items():
        if value is None:
            data.pop(field, None)
        else:
            data[field] = value
    return data


def write_statement(
    folder: Path, data: dict[str, Any] | None = None, *, envelope: Any = ENVELOPE, timeline: Any = TIMELINE
) -> Path:
    """The statement YAML in `folder/papers`, with its envelope and timeline JSON under `data/` beside it."""
    papers = folder / "papers"
    (papers / "data").mkdir(parents=True, exist_ok=True)
    (papers / "data" / "envelope.json").write_text(json.dumps(envelope), encoding="utf-8")
    (papers / "data" / "timeline.json").write_text(json.dumps(timeline), encoding="utf-8")
    path = papers / "statement.yaml"
    path.write_text(yaml.safe_dump(STATEMENT if data is None else data, allow_unicode=True), encoding="utf-8")
    return path


def test_linked_files_are_read_relative_to_the_yaml_folder(tmp_path):
    loaded = load_statement(write_statement(tmp_path))
    assert loaded.envelope is not None and loaded.timeline is not None
    assert str(loaded.envelope.years[0].total) == "68024.37"
    assert loaded.timeline.stages[1].end == date(2025, 10, 31)


def test_metric_dates_and_numbers_read_as_the_officer_wrote_them(tmp_path):
    loaded = load_statement(write_statement(tmp_path))
    flows = loaded.statement.impact_on_flows_and_pathways.metrics[0]
    cost = loaded.statement.impact_on_cost_and_efficiency.metrics[0]
    assert (flows.by, cost.baseline, loaded.statement.population) == ("31 March 2027", "212", "525000")
    assert loaded.statement.response.deadline == date(2025, 10, 31)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param({}, list(DEFAULT_PRINCIPLES), id="left-out-gives-the-defaults"),
        pytest.param({"guiding_principles": ["Only this one."]}, ["Only this one."], id="replaced"),
        pytest.param({"guiding_principles": []}, [], id="emptied-on-purpose"),
    ],
)
def test_guiding_principles_default_to_southern_derbyshire(given, expected):
    assert StatementInput.model_validate(given).principles() == expected


def test_the_template_parses_and_keeps_the_default_principles():
    parsed = StatementInput.model_validate(yaml.safe_load(template_yaml()))
    assert parsed.principles() == list(DEFAULT_PRINCIPLES)
    assert parsed.commissioners == [] and parsed.date is None


@pytest.mark.parametrize(
    ("envelope", "timeline", "message"),
    [
        pytest.param("{not json", TIMELINE, "envelope_file", id="envelope-not-json"),
        pytest.param(
            {"unit": "£000"}, TIMELINE, "not an envelope; give the envelope tool's YAML", id="neither"
        ),
        pytest.param({**ENVELOPE, "unit": "$"}, TIMELINE, "unit", id="envelope-unknown-unit"),
        pytest.param(ENVELOPE, "[1, 2", "timeline_file", id="timeline-not-json"),
        pytest.param(
            ENVELOPE,
            {**TIMELINE, "stages": [{"name": "x", "start": "soon"}]},
            "start",
            id="timeline-bad-date",
        ),
        pytest.param(ENVELOPE, [TIMELINE], "timeline_file", id="timeline-not-an-object"),
    ],
)
def test_linked_files_that_do_not_parse_are_named(tmp_path, envelope, timeline, message):
    path = write_statement(tmp_path)
    data = tmp_path / "papers" / "data"
    for name, content in (("envelope.json", envelope), ("timeline.json", timeline)):
        (data / name).write_text(
            content if isinstance(content, str) else json.dumps(content), encoding="utf-8"
        )
    with pytest.raises(InputError, match=message):
        load_statement(path)


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        pytest.param("", UnreadableFileError, "is empty", id="empty"),
        pytest.param("area: [unclosed", UnreadableFileError, "not valid YAML", id="malformed"),
        pytest.param("vison: a typo", InputError, "unknown field 'vison'", id="unknown-field"),
        pytest.param(
            "response: {dedline: 2025-10-31}", InputError, "response.dedline", id="unknown-nested-field"
        ),
        pytest.param("date: 31/02/2025", InputError, "not a real date", id="impossible-date"),
        pytest.param("procurement: {buyer: ccg}", InputError, "procurement.buyer", id="unknown-buyer"),
        pytest.param(
            "envelope_file: nowhere.json", InputError, "envelope_file.*no such file", id="missing-envelope"
        ),
    ],
)
def test_bad_statement_files_give_one_line_errors(tmp_path, text, error, message):
    path = tmp_path / "statement.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=message) as raised:
        load_statement(path)
    assert "\n" not in str(raised.value)


def test_blank_entries_count_as_not_given():
    parsed = StatementInput.model_validate({"vision": ["  ", "A vision."], "area": "  ", "response": None})
    assert (parsed.vision, parsed.area, parsed.response.asks) == (["A vision."], None, [])


BANES_PLAN: dict[str, Any] = {
    "unit": "£000",
    "base_year": "2015/16",
    "years": 4,
    "lines": [
        {"category": "Complex & Specialist", "commissioner": "CCG", "amount": 20567},
        {"category": "Complex & Specialist", "commissioner": "Council", "amount": 14296},
    ],
    "reduction_by_commissioner": {"Council": {"total_percent": 7}},
}


def _linked(tmp_path: Path, *, envelope: Any = ENVELOPE, timeline: Any = TIMELINE, suffix: str = ".yaml"):
    """A statement whose envelope and timeline files hold `envelope` and `timeline` (YAML by default)."""
    papers = tmp_path / "papers"
    papers.mkdir(parents=True, exist_ok=True)
    for name, content in (("envelope", envelope), ("timeline", timeline)):
        text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
        (papers / f"{name}{suffix}").write_text(text, encoding="utf-8")
    path = papers / "statement.yaml"
    data = {**STATEMENT, "envelope_file": f"envelope{suffix}", "timeline_file": f"timeline{suffix}"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_an_envelope_yaml_is_computed_as_the_envelope_tool_computes_it(tmp_path):
    from tools.envelope.report import compute
    from tools.envelope.schema import spec_from

    loaded = load_statement(_linked(tmp_path, envelope=BANES_PLAN))
    assert loaded.envelope is not None and loaded.envelope.table is not None
    expected = compute(spec_from(copy.deepcopy(BANES_PLAN))).model_dump(mode="json")
    assert loaded.envelope.table.model_dump(mode="json") == expected["table"]
    assert str(loaded.envelope.years[-1].by_commissioner["Council"]) == "13295.28"  # 14,296 × 0.93


def test_a_timeline_to_plan_is_planned_as_the_timeline_tool_plans_it(tmp_path):
    from tools.timeline import plan_timeline

    request = {"route": "psr-competitive", "start": "2026-09-01", "value": 2400000}
    loaded = load_statement(_linked(tmp_path, timeline=request))
    planned = plan_timeline("psr-competitive", start="2026-09-01", value=2400000)
    assert loaded.timeline is not None
    assert (loaded.timeline.route, loaded.timeline.regime) == ("psr-competitive", "psr2023")
    assert [(s.name, s.start, s.end) for s in loaded.timeline.stages] == [
        (s.name, s.start, s.end) for s in planned.stages
    ]


def test_json_output_and_yaml_input_give_the_same_draft(tmp_path):
    from tools.envelope.report import compute
    from tools.envelope.schema import spec_from
    from tools.intent import draft_from_file
    from tools.intent.render_md import render_markdown
    from tools.timeline import plan_timeline

    request = {"route": "psr-msp", "start": "2026-09-01"}
    from_input = render_markdown(
        draft_from_file(_linked(tmp_path / "a", envelope=BANES_PLAN, timeline=request))
    )
    outputs = {
        "envelope": compute(spec_from(copy.deepcopy(BANES_PLAN))).model_dump(mode="json"),
        "timeline": plan_timeline("psr-msp", start="2026-09-01").model_dump(mode="json"),
    }
    from_output = render_markdown(
        draft_from_file(
            _linked(
                tmp_path / "b",
                envelope=json.dumps(outputs["envelope"]),
                timeline=json.dumps(outputs["timeline"]),
                suffix=".json",
            )
        )
    )
    assert from_input == from_output


@pytest.mark.parametrize(
    ("envelope", "timeline", "message"),
    [
        pytest.param(
            {"title": "Envelope"},
            TIMELINE,
            "envelope_file: .*envelope.yaml: not an envelope; give the envelope tool's YAML input "
            r"\(unit, base_year, lines: see `commission envelope template`\) or its JSON output",
            id="envelope-neither",
        ),
        pytest.param(
            ENVELOPE,
            {"stages": "soon"},
            "timeline_file: .*timeline.yaml: not a timeline; give a timeline to plan "
            r"\(route, with start or go_live.*\) or the timeline tool's JSON output",
            id="timeline-neither",
        ),
        pytest.param(ENVELOPE, ["psr-msp"], "not a timeline", id="timeline-a-list"),
        pytest.param({**BANES_PLAN, "yeras": 4}, TIMELINE, "envelope_file: .*yeras", id="envelope-typo"),
        pytest.param(
            {**BANES_PLAN, "years": 5, "reduction_by_commissioner": {"ICB": {"total_percent": 7}}},
            TIMELINE,
            "envelope_file: .*reduction_by_commissioner = 'ICB'",
            id="envelope-unknown-commissioner",
        ),
        pytest.param(ENVELOPE, {"route": "psr-msp"}, "timeline_file: .*start/go_live", id="timeline-no-date"),
        pytest.param(ENVELOPE, {"route": "psr-msp", "strat": "2026-09-01"}, "strat", id="timeline-typo"),
        pytest.param(
            ENVELOPE, {"route": "no-such-route", "start": "2026-09-01"}, "no-such-route", id="no-route"
        ),
    ],
)
def test_a_linked_file_that_is_neither_input_nor_output_says_which_two_it_takes(
    tmp_path, envelope, timeline, message
):
    with pytest.raises(InputError, match=message) as raised:
        load_statement(_linked(tmp_path, envelope=envelope, timeline=timeline))
    assert "\n" not in str(raised.value)
