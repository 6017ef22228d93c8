"""The checker: the County Durham paper, each finding a reviewer would raise, timelines in every format."""

import re
from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import EXAMPLES
from tools.errors import InputError
from tools.timeline import check_timeline
from tools.timeline.reader import read_rows, read_timeline_file

DURHAM = EXAMPLES / "county-durham-2017-timeline.md"


def table(*rows: tuple[str, str]) -> str:
    return "| Stage | When |\n|---|---|\n" + "\n".join(f"| {stage} | {when} |" for stage, when in rows)


def messages(result, severity):
    return [f"{f.stage}: {f.message}" for f in result.findings if f.severity == severity]


@pytest.fixture(scope="module")
def durham():
    return check_timeline(read_timeline_file(DURHAM))


def test_durham_reads_all_seven_stages_with_their_ranges(durham):
    read = [(s.name, s.canonical, s.start, s.end) for s in durham.stages]
    assert read == [
        (
            "Executives sign off procurement strategy",
            "strategy-approval",
            date(2017, 10, 21),
            date(2017, 10, 31),
        ),
        ("Publication of tender", "contract-notice", date(2017, 11, 1), date(2017, 11, 10)),
        ("Dialog sessions", "dialogue", date(2017, 12, 1), date(2018, 1, 31)),
        ("Publication of final tender documentation", "final-tenders", date(2018, 1, 1), date(2018, 2, 28)),
        ("Evaluation and contract award", "evaluation", date(2018, 4, 1), date(2018, 4, 30)),
        ("Evaluation and contract award", "contract-signature", date(2018, 4, 1), date(2018, 4, 30)),
        ("Mobilisation", "mobilisation", date(2018, 5, 1), date(2018, 9, 30)),
        ("Service Commences", "service-start", date(2018, 10, 1), date(2018, 10, 31)),
    ]
    assert len({s.name for s in durham.stages}) == 7


def test_durham_infers_competitive_dialogue_under_pcr_2015_and_says_so(durham):
    assert (durham.route, durham.regime) == ("pcr-dialogue", "pcr2015")
    inferred = [f.message for f in durham.findings if f.rule.startswith("Route and regime inferred")]
    assert inferred and "Competitive dialogue" in inferred[0] and "21 October 2017" in inferred[0]


def test_durham_gets_the_findings_a_procurement_lawyer_would_raise(durham):
    errors = messages(durham, "error")
    assert len(errors) == 3
    assert any("no 'Standstill'" in e for e in errors)
    assert any("no 'Contract award notice'" in e for e in errors)
    assert any("no 'Award decision notices'" in e for e in errors)
    rules = {re.split(r" [\[(]", f.rule)[0] for f in durham.findings if f.severity == "error"}
    assert rules == {"PCR 2015 reg 86", "PCR 2015 reg 87", "PCR 2015 reg 50(1)"}
    warnings = messages(durham, "warning")
    assert any("as few as 21 days" in w and "minimum is 30" in w for w in warnings)  # requests to participate
    assert durham.has_errors


@pytest.mark.parametrize(
    ("route", "rows", "severity", "expected"),
    [
        (
            "pcr-open",
            [("Contract notice", "1 October 2024"), ("Tender deadline", "20 October 2024")],
            "error",
            "'Tender deadline' allows at most 19 days; the minimum is 30",
        ),
        (
            "pcr-open",
            [("Contract notice", "early October 2024"), ("Tender deadline", "early November 2024")],
            "warning",
            "may allow as few as 22 days",
        ),
        (
            "pcr-open",
            [
                ("Award decision notice", "16 December 2022"),
                ("Standstill", "16 December 2022 - 27 December 2022"),
            ],
            "error",
            "runs to the end of 28 December 2022, counting past Boxing Day (26 December 2022), Christmas Day "
            "(observed) (27 December 2022)",
        ),
        (
            "pa-open",
            [("Contract award notice", "2 April 2026"), ("Standstill", "2 April 2026 to 14 April 2026")],
            "error",
            "runs to the end of 15 April 2026, counting past Good Friday (3 April 2026), Easter Monday",
        ),
        (
            "psr-direct-c",
            [
                ("Notice of intention to award", "1 April 2026"),
                ("Standstill", "2 April 2026 to 15 April 2026"),
            ],
            "error",
            "runs to the end of 16 April 2026",
        ),
        (
            "pcr-open",
            [("Award decision notice", "16 December 2022"), ("Contract signed", "28 December 2022")],
            "error",
            "is before the standstill ends (28 December 2022). Fix: move it to 29 December 2022 or later",
        ),
        (
            "pa-open",
            [("Contract award notice", "early May 2026"), ("Contract signed", "mid-May 2026")],
            "warning",
            "may fall before the standstill ends",
        ),
        (
            "pcr-open",
            [("Tender period", "1 October 2024 to 4 November 2024"), ("Evaluation", "28 October 2024")],
            "error",
            "'Evaluation' (28 October 2024) starts before 'Tender period' ends",
        ),
        (
            "pcr-open",
            [("Service start", "1 March 2024"), ("Contract notice", "1 June 2024")],
            "error",
            "'Service start' comes before 'Contract notice'",
        ),
        (
            "pcr-open",
            [("Contract signed", "1 February 2023"), ("Contract award notice", "15 March 2023")],
            "error",
            "(15 March 2023) is 12 days after the last day allowed, 3 March 2023: within 30 days of "
            "'Contract signed'",
        ),
        (
            "pcr-open",
            [("Contract signed", "3 January 2024"), ("Mobilisation", "4 January 2024 to 31 January 2024")],
            "warning",
            "Mobilisation of at most 28 days is short for a contract of £12,000,000 (about 135 days",
        ),
        (
            "pa-open",
            [("Tender notice", "1 July 2026"), ("Service start", "1 April 2028")],
            "info",
            "'Service start' falls on 1 April 2028, a Saturday",
        ),
        (
            "pcr-open",
            [("Tender notice", "1 July 2024"), ("Award", "TBC")],
            "warning",
            "Could not read the date",
        ),
        (
            "pcr-open",
            [("Tender notice", "1 July 2024"), ("Coffee morning", "2 July 2024")],
            "warning",
            "'Coffee morning' is not a stage this checker recognises",
        ),
        (
            "pcr-open",
            [("Tender notice", "1 July 2026"), ("Service start", "1 April 2027")],
            "warning",
            "does not govern a procurement begun on 1 July 2026",
        ),
    ],
    ids=[
        "tender-short",
        "tender-maybe-short",
        "pcr-standstill-christmas",
        "pa-standstill-easter",
        "psr-standstill-easter",
        "contract-in-standstill",
        "contract-maybe-in-standstill",
        "overlap",
        "out-of-order",
        "award-notice-late",
        "mobilisation-short",
        "weekend-milestone",
        "unreadable-date",
        "unrecognised-stage",
        "wrong-regime",
    ],
)
def test_findings(route, rows, severity, expected):
    result = check_timeline(table(*rows), route=route, value=Decimal("12000000"))
    assert any(expected in message for message in messages(result, severity)), result.findings


def test_a_lawful_timeline_has_no_errors():
    rows = [
        ("Contract notice", "1 October 2024"), ("Tender return", "4 November 2024"),
        ("Evaluation", "5 November 2024 - 6 December 2024"), ("Award decision notice", "9 December 2024"),
        ("Standstill", "9 December 2024 - 19 December 2024"), ("Contract signed", "20 December 2024"),
        ("Contract award notice", "10 January 2025"), ("Mobilisation", "6 January 2025 - 31 March 2025"),
        ("Service start", "1 April 2025"),
    ]  # fmt: skip
    result = check_timeline(table(*rows), route="pcr-open")
    assert not result.has_errors, result.findings


def test_stages_in_yaml_csv_tsv_and_start_end_columns_read_alike():
    expected = [("Publication of tender", "2017-11-01"), ("Dialog sessions", "December 17- January 2018")]
    forms = [
        "- stage: Publication of tender\n  date: 2017-11-01\n"
        "- stage: Dialog sessions\n  date: December 17- January 2018\n",
        "Publication of tender: 2017-11-01\nDialog sessions: December 17- January 2018\n",
        "Stage,When\nPublication of tender,2017-11-01\nDialog sessions,December 17- January 2018\n",
        "Stage\tWhen\nPublication of tender\t2017-11-01\nDialog sessions\tDecember 17- January 2018\n",
        "Notes first.\n\n| Stage | When |\n|---|---|\n| Publication of tender | 2017-11-01 |\n"
        "| Dialog sessions | December 17- January 2018 |\n\nNotes after.",
    ]
    for text in forms:
        assert [(row.name, row.when) for row in read_rows(text)] == expected, text
    rows = read_rows(
        "| Stage | Start | End |\n|---|---|---|\n| Tender period | 1 March 2022 | 5 April 2022 |"
    )
    assert [(r.name, r.when, r.until) for r in rows] == [("Tender period", "1 March 2022", "5 April 2022")]


@pytest.mark.parametrize(
    ("text", "route", "message"),
    [
        ("Just some prose about the procurement.", None, "timeline: no stages with dates found"),
        ("| Stage | When |\n|---|---|\n| Tender | TBC |", None, "no stage has a date"),
        (table(("Tender notice", "1 July 2024")), "pcr-closed", "route: 'pcr-closed' is not a route"),
    ],
    ids=["no-table", "no-dates", "unknown-route"],
)
def test_bad_input_is_an_input_error(text, route, message):
    with pytest.raises(InputError, match=message):
        check_timeline(text, route=route)
