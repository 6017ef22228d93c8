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

from assistant.render import markdown
from assistant.toolspec import spec_for
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
from tools.intent.figures import printed_table, regime_sentences
from tools.intent.model import PLACEHOLDER, Table
from tools.intent.render_md import render_markdown
from tools.intent.timetable import duration

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


def test_envelope_figures_are_rounded_for_people_and_add_up_as_printed(tmp_path):
    # JSON without the tool's printed table is rounded by the envelope tool's own rule: whole £000, each
    # group adding to the printed total. In 2017/18 the CCG's 27,356.48 and the Council's 39,456.26 would
    # make 66,812 rounded one by one; the total prints as 66,813, so the unit goes to the larger remainder.
    envelope = table(full_draft(tmp_path), "Financial envelope")
    assert envelope.caption == "Financial envelope by financial year (£000)"
    assert envelope.columns == ["£000", "2016/17", "2017/18"]
    rows = {row[0]: row[1:] for row in envelope.rows}
    assert rows == {
        "CCG total": ["27,852", "27,357"],
        "Council total": ["40,172", "39,456"],
        "Complex & Specialist": ["34,253", "33,643"],
        "Estates": ["5,000", "5,000"],
        "Total recurrent": ["68,024", "66,813"],
        "Retained by commissioners (pass-through)": ["5,000", "5,000"],
        "Provider envelope": ["63,024", "61,813"],
        "Ring-fence: clinical staffing": ["41,596", "40,796"],
    }
    assert [envelope.rows[index][0] for index in envelope.bold_rows] == [
        "CCG total",
        "Council total",
        "Total recurrent",
        "Provider envelope",
    ]
    printed = {label: [int(cell.replace(",", "")) for cell in cells] for label, cells in rows.items()}
    for year in range(2):
        assert printed["CCG total"][year] + printed["Council total"][year] == printed["Total recurrent"][year]
        assert (
            printed["Retained by commissioners (pass-through)"][year] + printed["Provider envelope"][year]
            == printed["Total recurrent"][year]
        )


def test_envelope_warnings_reach_the_draft_and_information_does_not(tmp_path):
    markdown = render_markdown(full_draft(tmp_path))
    assert "- Warning: 2017/18 savings fall short of the target." in markdown
    assert "reconciles" not in markdown


@pytest.mark.parametrize(
    ("unit", "amount", "expected"),
    [
        ("£", 592200000, "592,200,000"),
        ("£", 1234.5, "1,235"),
        ("£000", 20567, "20,567"),
        ("£000", 45695.76, "45,696"),
        ("£m", 96.4, "96.4"),
        ("£m", 592.25, "592.3"),
    ],
)
def test_money_follows_the_envelope_tools_rule_with_the_unit_in_the_heading(unit, amount, expected):
    year = {"year": "2015/16", "total": amount, "provider_envelope": amount, "retained": 0}
    envelope = Envelope.model_validate(json.loads(json.dumps({"unit": unit, "years": [year]})))
    drafted = table(build_draft(StatementInput(), envelope=envelope), "Financial envelope")
    assert drafted.columns[0] == unit
    assert drafted.rows[0] == ["Total recurrent", expected]


def test_the_timetable_shows_stage_dates_and_duration_with_one_footnote_for_assumptions(tmp_path):
    draft = full_draft(tmp_path)
    timetable = table(draft, "Timetable")
    assert timetable.columns == ["Stage", "Dates", "Duration"]
    assert timetable.rows == [
        ["Statement of intent issued", "3 September 2025", "1 day"],
        ["Provider response", "4 September to 31 October 2025", "57 days*"],
        ["Governing body decision", "12 March 2026", "1 day"],
    ]
    assert timetable.footnote is not None and timetable.footnote.startswith("* A typical duration assumed")
    markdown = render_markdown(draft)
    section = markdown.split("## 10. Timetable")[1].split("## 11.")[0]
    follows = "10.1 The timetable below follows the collaborative, non-competitive commissioning route."
    assert follows in section
    # Route ids, rule labels and planning notes stay out of the section; the appendix has them.
    assert "UNCONFIRMED" not in markdown
    for kept_out in ("collaborative route under", "waits for the governing body", "Officer's plan"):
        assert kept_out not in section
    appendix = markdown.split("## Appendix A. How this timetable was built")[1]
    assert "for the route collaborative" in appendix
    assert "- Provider response: Typical duration: 8 weeks (an assumption to confirm)" in appendix
    assert "- The decision waits for the governing body meeting on 12 March 2026." in appendix


def test_a_timetable_without_assumptions_has_no_footnote():
    stages = [{"name": "Notice", "start": "2025-11-03", "end": "2025-11-03", "rule": "PSR 2023 reg 12"}]
    draft = build_draft(StatementInput(), timeline=Timeline.model_validate({**TIMELINE, "stages": stages}))
    assert table(draft, "Timetable").footnote is None


@pytest.mark.parametrize(
    ("start", "end", "dates", "duration"),
    [
        ("2026-09-30", "2026-09-30", "30 September 2026", "1 day"),
        ("2026-09-01", "2026-09-29", "1 to 29 September 2026", "4 weeks"),
        ("2026-09-30", "2026-11-11", "30 September to 11 November 2026", "6 weeks"),
        ("2026-12-24", "2027-01-22", "24 December 2026 to 22 January 2027", "29 days"),
        ("2026-12-12", "2026-12-19", "12 to 19 December 2026", "1 week"),
    ],
    ids=["one-day", "same-month", "same-year", "across-years", "one-week"],
)
def test_timetable_dates_and_durations_read_as_a_committee_reads_them(start, end, dates, duration):
    stages = [{"name": "Stage", "start": start, "end": end}]
    draft = build_draft(StatementInput(), timeline=Timeline.model_validate({**TIMELINE, "stages": stages}))
    assert table(draft, "Timetable").rows == [["Stage", dates, duration]]


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


# Nothing invented: every number and capitalised word in the draft comes from the input (the envelope's
# figures as its rounding rule prints them, the timetable's durations counted from its dates), from the
# regime the tools.regimes data gives for the date, or from the fixed wording below (headings and sentence
# openings), which holds no number and no name.
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
PARAGRAPH_NUMBER = re.compile(r"^(?:## )?\d+\.\d*\s", flags=re.M)
WORD = re.compile(r"[A-Za-z][A-Za-z'’&-]*")
MONTHS = {long_date(date(2025, month, 1)).split()[1] for month in range(1, 13)}
SENTENCE_OPENINGS = {"All", "As", "In", "It", "Please", "The", "These", "This", "To", "We", "What", "Who"}
LABELS = {"Area", "Basis", "Commissioners", "Date", "Measure", "Measures", "Providers", "Ring-fence"}
FIXED_WORDS = {word for title in ISSUE_ORDER for word in title.split()} | SENTENCE_OPENINGS | LABELS
FIXED_WORDS |= {"Service", "Stage", "Start", "Statement", "Title", "Appendix", "Dates", "Duration"}
FIXED_WORDS |= {"Statutory", "Planning", "Total", "Retained", "Provider", "Amounts", "A", "How"}


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
    return " ".join(text for _, text in regime_sentences(start, procurement["buyer"], procurement["service"]))


def derived_text() -> str:
    """What the draft works out from the input: the envelope rounded by its rule, the stages' durations."""
    printed = printed_table(Envelope.model_validate(ENVELOPE))
    cells = " ".join(cell for row in printed.rows for cell in row.cells)
    stages = Timeline.model_validate(TIMELINE).stages
    lengths = [duration(stage.start, stage.end) for stage in stages if stage.start and stage.end]
    return " ".join([cells, *lengths])


@pytest.mark.parametrize(
    "changes",
    [{}, {"date": "2023-06-01", "procurement": {"buyer": "nhs", "service": "health"}}],
    ids=["psr", "pccr-and-pcr"],
)
def test_no_figure_date_or_name_appears_that_the_input_did_not_supply(tmp_path, changes):
    data = statement(**changes)
    supplied = " ".join(
        [yaml.safe_dump(data), json.dumps(ENVELOPE), json.dumps(TIMELINE), regime_text(data), derived_text()]
    )
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
    assert "| **Total recurrent** | **68,024** | **66,813** |" in markdown(draft)
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
    # B&NES Table 3, and 7% off £69,236k by 2019/20: 69,236 x 0.93 = 64,389.48, printed as 64,389; the
    # table is the tool's own, row for row (its JSON keeps 64,389.48).
    assert rows["Total recurrent"] == ["69,236", "68,024", "66,813", "65,601", "64,389"]
    assert (rows["CCG total"][0], rows["Council total"][0]) == ("28,348", "40,888")
    assert envelope.table is not None
    assert list(rows) == [row.label for row in envelope.table.rows]


def test_the_timeline_tools_real_output_is_carried_through():
    from tools.timeline import plan_timeline

    arguments = {"route": "psr-direct-c", "start": "2025-09-03", "today": "2025-09-01"}
    planned = json.loads(json.dumps(spec_for(plan_timeline).invoke(arguments).model_dump(mode="json")))
    draft = build_draft(StatementInput(), timeline=Timeline.model_validate(planned))
    rows = table(draft, "Timetable").rows
    assert [row[0] for row in rows] == [stage["name"] for stage in planned["stages"]]
    assert rows[0] == ["Assessment against the key criteria", "3 September to 15 October 2025", "6 weeks*"]
    assert planned["regime"] == "psr2023"
    markdown = render_markdown(draft)
    assert "The timetable below follows direct award process C." in markdown
    assert (
        "The timetable was planned under the Health Care Services (Provider Selection Regime) Regulations "
        "2023 (S.I. 2023/1348)."
    ) in markdown


def test_the_agent_tool_checks_the_envelope_it_is_given_directly():
    tool = spec_for(draft_statement_of_intent)
    with pytest.raises(InputError, match="unit"):
        tool.invoke({"envelope": {**ENVELOPE, "unit": "euros"}})
    assert tool.invoke({"envelope": ENVELOPE}).gaps[0].field == "commissioners"
