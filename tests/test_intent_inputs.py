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
        pytest.param({"unit": "£000"}, TIMELINE, "years", id="envelope-missing-years"),
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
