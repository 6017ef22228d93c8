"""The statement of intent drafter: sections in order, placeholders exactly where input is missing, figures
carried through exactly, and nothing in the draft that the input did not supply."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assistant.toolspec import result_text, spec_for
from tests.conftest import EXAMPLES
from tests.test_intent_inputs import ENVELOPE, TIMELINE, statement, write_statement
from tools.errors import InputError
from tools.formatting import long_date
from tools.intent import (
    AGENT_TOOLS,
    Envelope,
    StatementInput,
    Timeline,
    build_draft,
    draft_from_file,
    draft_statement_of_intent,
)
from tools.intent.figures import regime_sentences
from tools.intent.model import PLACEHOLDER, Table
from tools.intent.render_md import render_markdown

ISSUE_ORDER = [
    "Background",
    "Vision",
    "Guiding principles",
    "Key characteristics of a transformed system",
    "Impact on flows and pathways",
    "Impact on people's experience",
    "Impact on cost and efficiency",
    "Financial envelope",
    "Governance",
    "Timetable",
    "What we ask of providers",
    "Procurement approach and the right to revert",
]


def full_draft(tmp_path: Path, **changes):
    return draft_from_file(write_statement(tmp_path, statement(**changes)))


def table(draft, section: str, caption: str | None = None) -> Table:
    blocks = next(s.blocks for s in draft.sections if s.title == section)
    return next(b for b in blocks if isinstance(b, Table) and (caption is None or b.caption == caption))


def test_sections_come_in_the_order_officers_expect(tmp_path):
    draft = full_draft(tmp_path)
    assert [s.title for s in draft.sections] == ISSUE_ORDER
    headings = re.findall(r"^## \d+\. (.+)$", render_markdown(draft), flags=re.M)
    assert headings == ISSUE_ORDER


def test_a_complete_input_leaves_no_placeholder_and_no_gap(tmp_path):
    draft = full_draft(tmp_path)
    assert draft.gaps == []
    assert "[To complete" not in render_markdown(draft)


def test_an_empty_input_marks_every_gap_in_place_once():
    draft = build_draft(StatementInput())
    marked = {match[len("[To complete: ") : -1] for match in PLACEHOLDER.findall(render_markdown(draft))}
    assert marked == {gap.needed for gap in draft.gaps}
    assert len(draft.gaps) == len({(gap.needed, gap.field) for gap in draft.gaps})
    assert {gap.field for gap in draft.gaps} >= {"commissioners", "vision", "envelope_file", "timeline_file"}


@pytest.mark.parametrize(
    ("changes", "gaps"),
    [
        ({"commissioners": None}, {"commissioners"}),
        ({"providers": []}, {"providers"}),
        ({"area": None}, {"area"}),
        ({"date": None}, {"date", "procurement.start"}),
        ({"population": ""}, {"population"}),
        ({"background": None}, {"background"}),
        ({"services_in_scope": None}, {"services_in_scope"}),
        ({"services_out_of_scope": None}, {"services_out_of_scope"}),
        ({"vision": None}, {"vision"}),
        ({"guiding_principles": []}, {"guiding_principles"}),
        ({"key_characteristics": None}, {"key_characteristics"}),
        ({"key_characteristics": [{"title": "Workforce"}]}, {"key_characteristics"}),
        (
            {"impact_on_flows_and_pathways": None},
            {"impact_on_flows_and_pathways", "impact_on_flows_and_pathways.metrics"},
        ),
        (
            {"impact_on_peoples_experience": {"statements": ["Told once"]}},
            {"impact_on_peoples_experience.metrics"},
        ),
        (
            {
                "impact_on_cost_and_efficiency": {
                    "statements": ["x"],
                    "metrics": [{"name": "Beds", "target": "112"}],
                }
            },
            {"impact_on_cost_and_efficiency.metrics.baseline"},
        ),
        ({"envelope_file": None}, {"envelope_file"}),
        ({"timeline_file": None}, {"timeline_file"}),
        ({"governance": None}, {"governance"}),
        ({"response": None}, {"response.asks", "response.send_to", "response.deadline"}),
        ({"response": {"asks": ["Plans"], "send_to": "the office"}}, {"response.deadline"}),
        ({"right_to_revert": None}, {"right_to_revert"}),
        ({"procurement": {"service": "health"}}, {"procurement.buyer"}),
        ({"procurement": None}, {"procurement.buyer", "procurement.service"}),
        ({"procurement": {"buyer": "council", "service": "other"}, "date": "2012-06-01"}, {"procurement"}),
    ],
    ids=lambda value: ",".join(value) if isinstance(value, dict) else None,
)
def test_each_missing_input_is_a_placeholder_and_a_gap(tmp_path, changes, gaps):
    draft = full_draft(tmp_path, **changes)
    assert {gap.field for gap in draft.gaps} == gaps
    assert len(PLACEHOLDER.findall(render_markdown(draft))) >= len(draft.gaps)


def test_envelope_figures_are_carried_through_exactly(tmp_path):
    rows = {row[0]: row[1:] for row in table(full_draft(tmp_path), "Financial envelope").rows}
    assert table(full_draft(tmp_path), "Financial envelope").columns == ["", "2016/17", "2017/18"]
    assert rows == {
        "Total": ["£68,024.37k", "£66,812.74k"],
        "Provider envelope": ["£63,024.37k", "£61,812.74k"],
        "Retained by commissioners": ["£5,000k", "£5,000k"],
        "Commissioner: CCG": ["£27,852.24k", "£27,356.48k"],
        "Commissioner: Council": ["£40,172.13k", "£39,456.26k"],
        "Category: Complex & Specialist": ["£34,252.90k", "£33,642.81k"],
        "Category: Estates": ["£5,000k", "£5,000k"],
        "Ring-fence: clinical staffing": ["£41,596.08k", "£40,796.41k"],
    }


def test_envelope_warnings_reach_the_draft_and_information_does_not(tmp_path):
    markdown = render_markdown(full_draft(tmp_path))
    assert "- Warning: 2017/18 savings fall short of the target." in markdown
    assert "reconciles" not in markdown


@pytest.mark.parametrize(
    ("unit", "amount", "expected"),
    [
        ("£", 592200000, "£592,200,000"),
        ("£", 1234.5, "£1,234.50"),
        ("£000", 20567, "£20,567k"),
        ("£000", 45695.76, "£45,695.76k"),
        ("£m", 96.4, "£96.4m"),
        ("£m", 592.2, "£592.2m"),
    ],
)
def test_money_keeps_the_unit_and_every_digit(unit, amount, expected):
    year = {"year": "2015/16", "total": amount, "provider_envelope": amount, "retained": 0}
    envelope = Envelope.model_validate(json.loads(json.dumps({"unit": unit, "years": [year]})))
    draft = build_draft(StatementInput(), envelope=envelope)
    assert table(draft, "Financial envelope").rows[0] == ["Total", expected]


def test_timeline_dates_and_rules_are_carried_through_exactly(tmp_path):
    draft = full_draft(tmp_path)
    assert table(draft, "Timetable").rows == [
        ["Statement of intent issued", "3 September 2025", "3 September 2025", "Officer's plan"],
        [
            "Provider response",
            "4 September 2025",
            "31 October 2025",
            "Typical duration: 8 weeks [UNCONFIRMED assumption: check it and edit it if it is wrong]",
        ],
        ["Governing body decision", "12 March 2026", "12 March 2026", "Meeting date given"],
    ]
    assert "- The decision waits for the governing body meeting on 12 March 2026." in render_markdown(draft)
    assert "follows the collaborative route under the Provider Selection Regime (PSR)." in render_markdown(
        draft
    )


def test_a_timeline_stage_without_dates_is_a_gap():
    timeline = Timeline.model_validate({**TIMELINE, "stages": [{"name": "Co-design", "start": "2025-11-03"}]})
    draft = build_draft(StatementInput(), timeline=timeline)
    assert table(draft, "Timetable").rows == [
        ["Co-design", "3 November 2025", "[To complete: the end of Co-design]", ""]
    ]


def test_metrics_tables_show_baselines_and_targets(tmp_path):
    draft = full_draft(tmp_path)
    flows = table(draft, "Impact on flows and pathways")
    assert flows.columns == ["Measure", "Baseline", "Target", "By when", "Source"]
    assert flows.rows == [
        [
            "Emergency admissions of people aged 85 and over",
            "4,120 a year",
            "3,700 a year",
            "31 March 2027",
            "SUS 2024/25",
        ]
    ]
    assert table(draft, "Impact on cost and efficiency").rows == [["Community hospital beds", "212", "112"]]


PCCR = "National Health Service (Procurement, Patient Choice and Competition) (No. 2) Regulations 2013"
PCR = "Public Contracts Regulations 2015"
PSR = "Health Care Services (Provider Selection Regime) Regulations 2023"


@pytest.mark.parametrize(
    ("start", "buyer", "service", "regimes"),
    [
        ("2023-12-31", "nhs", "health", [PCCR, PCR]),
        ("2023-12-31", "council", "health", [PCR]),
        ("2024-01-01", "joint", "health", [PSR]),
        ("2025-02-23", "council", "social-care", [PCR]),
        ("2025-02-24", "council", "other", ["Procurement Act 2023"]),
    ],
    ids=["pccr-last-day", "council-health-2023", "psr-first-day", "pcr-last-day", "act-first-day"],
)
def test_the_regime_follows_the_date_buyer_and_service(start, buyer, service, regimes):
    statement = StatementInput(date=start, procurement={"buyer": buyer, "service": service})
    section = render_markdown(build_draft(statement)).split("## 12.")[1]
    bullets = [line[2:] for line in section.splitlines() if line.startswith("- ")]
    assert [
        next(name for name in (PCCR, PCR, PSR, "Procurement Act 2023") if b.startswith(name)) for b in bullets
    ] == regimes


def test_a_date_the_regime_check_does_not_cover_is_a_gap():
    statement = StatementInput(date="2012-06-01", procurement={"buyer": "nhs", "service": "health"})
    draft = build_draft(statement)
    assert [gap.field for gap in draft.gaps if gap.field.startswith("procurement")] == ["procurement"]


def test_the_procurement_start_overrides_the_date_of_issue():
    statement = StatementInput(
        date="2023-11-01", procurement={"buyer": "nhs", "service": "health", "start": "2024-01-02"}
    )
    assert "On 2 January 2024, when this procurement starts" in render_markdown(build_draft(statement))


# Nothing invented: every number and capitalised word in the draft comes from the input, from the regime the
# tools.regimes data gives for the date, or from the fixed wording below (headings and sentence openings),
# which holds no number and no name.
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
PARAGRAPH_NUMBER = re.compile(r"^(?:## )?\d+\.\d*\s", flags=re.M)
WORD = re.compile(r"[A-Za-z][A-Za-z'’&-]*")
MONTHS = {long_date(date(2025, month, 1)).split()[1] for month in range(1, 13)}
SENTENCE_OPENINGS = {"All", "As", "In", "It", "Please", "The", "These", "This", "To", "We", "What", "Who"}
LABELS = {"Area", "Basis", "Commissioners", "Date", "Measure", "Measures", "Providers", "Ring-fence"}
FIXED_WORDS = {word for title in ISSUE_ORDER for word in title.split()} | SENTENCE_OPENINGS | LABELS
FIXED_WORDS |= {"Service", "Stage", "Start", "Statement", "Title"}


def numbers(text: str) -> set[Decimal]:
    return {Decimal(token.replace(",", "")).normalize() for token in NUMBER.findall(text)}


def capitalised(text: str) -> set[str]:
    return {word for word in WORD.findall(text) if word[0].isupper()}


def invented(markdown: str, supplied: str) -> tuple[set[Decimal], set[str]]:
    """The numbers and capitalised words in `markdown` that neither `supplied` nor the fixed wording holds."""
    output = PARAGRAPH_NUMBER.sub("", markdown)
    known = {word.lower() for word in WORD.findall(supplied)} | {
        word.lower() for word in FIXED_WORDS | MONTHS
    }
    return numbers(output) - numbers(supplied), {
        word for word in capitalised(output) if word.lower() not in known
    }


def regime_text(data: dict) -> str:
    procurement = data["procurement"]
    start = date.fromisoformat(procurement.get("start", data["date"]))
    return " ".join(regime_sentences(start, procurement["buyer"], procurement["service"]))


@pytest.mark.parametrize(
    "changes",
    [{}, {"date": "2023-06-01", "procurement": {"buyer": "nhs", "service": "health"}}],
    ids=["psr", "pccr-and-pcr"],
)
def test_no_figure_date_or_name_appears_that_the_input_did_not_supply(tmp_path, changes):
    data = statement(**changes)
    supplied = yaml.safe_dump(data) + json.dumps(ENVELOPE) + json.dumps(TIMELINE) + regime_text(data)
    assert invented(render_markdown(draft_from_file(write_statement(tmp_path, data))), supplied) == (
        set(),
        set(),
    )


@pytest.mark.parametrize(
    "kind", ["statement of intent", "statement of commissioner requirements"], ids=["intent", "requirements"]
)
def test_a_draft_without_facts_holds_no_figure_and_no_name(kind):
    assert invented(render_markdown(build_draft(StatementInput(kind=kind))), "") == (set(), set())


def test_the_agent_tool_takes_the_same_fields_and_returns_markdown_and_gaps():
    spec = spec_for(AGENT_TOOLS[0])
    fields = set(spec.json_schema()["properties"])
    file_fields = {"envelope_file", "timeline_file"}
    assert fields == set(StatementInput.model_fields) - file_fields | {"envelope", "timeline"}
    arguments = statement(envelope_file=None, timeline_file=None)
    draft = spec.invoke({**arguments, "envelope": ENVELOPE, "timeline": TIMELINE})
    result = draft.model_dump(mode="json")
    assert result["gaps"] == []
    assert "| Total | £68,024.37k | £66,812.74k |" in result_text(draft)
    assert [section["title"] for section in result["sections"]] == ISSUE_ORDER


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "memo"}, "kind"),
        ({"date": "next Tuesday"}, "date"),
        ({"procurement": {"buyer": "ccg"}}, "buyer"),
        ({"response": {"deadline": "2025-02-30"}}, "deadline"),
    ],
    ids=["unknown-kind", "not-a-date", "unknown-buyer", "impossible-deadline"],
)
def test_the_agent_tool_names_a_bad_argument(arguments, message):
    with pytest.raises(InputError, match=message):
        spec_for(AGENT_TOOLS[0]).invoke(arguments)


def test_statement_of_commissioner_requirements_uses_sheffield_wording():
    draft = build_draft(StatementInput(kind="statement of commissioner requirements", date=date(2015, 10, 1)))
    assert draft.title == "Statement of commissioner requirements"
    assert (
        "the key likely outcome measures, the essential features and the financial envelope"
        in render_markdown(draft)
    )
    assert "ongoing dialogue" not in render_markdown(draft)


def test_the_envelope_tools_real_output_is_carried_through():
    from tools.envelope import compute_envelope

    # The B&NES baseline as the shared example gives it (outline business case, Table 3).
    banes = yaml.safe_load((EXAMPLES / "banes-2015-envelope.yaml").read_text(encoding="utf-8"))
    lines = banes["lines"]
    assert len(lines) == 6
    result = spec_for(compute_envelope).invoke(
        {
            "unit": "£000",
            "base_year": "2015/16",
            "lines": lines,
            "years": 4,
            "reduction": {"total_percent": 7},
        }
    )
    envelope = Envelope.model_validate(json.loads(json.dumps(result.model_dump(mode="json"))))
    rows = {
        row[0]: row[1:]
        for row in table(build_draft(StatementInput(), envelope=envelope), "Financial envelope").rows
    }
    # B&NES Table 3, and 7% off £69,236k by 2019/20: 69,236 x 0.93 = 64,389.48.
    assert rows["Total"][0] == "£69,236k" and rows["Total"][-1] == "£64,389.48k"
    assert (rows["Commissioner: CCG"][0], rows["Commissioner: Council"][0]) == ("£28,348k", "£40,888k")


def test_the_timeline_tools_real_output_is_carried_through():
    from tools.timeline import plan_timeline

    arguments = {"route": "psr-direct-c", "start": "2025-09-03", "today": "2025-09-01"}
    planned = json.loads(json.dumps(spec_for(plan_timeline).invoke(arguments).model_dump(mode="json")))
    draft = build_draft(StatementInput(), timeline=Timeline.model_validate(planned))
    expected = [
        [
            stage["name"],
            *(long_date(date.fromisoformat(stage[key])) for key in ("start", "end")),
            stage["rule"],
        ]
        for stage in planned["stages"]
    ]
    assert expected and table(draft, "Timetable").rows == expected
    assert expected[0][1] == "3 September 2025"
    assert planned["regime"] == "psr2023"
    assert "under the Health Care Services (Provider Selection Regime) Regulations 2023." in render_markdown(
        draft
    )


def test_the_agent_tool_checks_the_envelope_it_is_given_directly():
    tool = spec_for(draft_statement_of_intent)
    with pytest.raises(InputError, match="unit"):
        tool.invoke({"envelope": {**ENVELOPE, "unit": "euros"}})
    assert tool.invoke({"envelope": ENVELOPE}).gaps[0].field == "commissioners"
