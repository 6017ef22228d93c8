"""The grounding check: which figures and dates in an answer no tool or passage gave."""

from __future__ import annotations

import pytest

from assistant.grounding import note_for, unsupported_claims


@pytest.mark.parametrize(
    ("answer", "evidence", "unsupported"),
    [
        ("The envelope is £44m.", "in the region of £44m", []),
        ("The envelope is £44m.", '{"total": 44213000}', []),
        ("The envelope is £44.2m.", '{"total": 44213000}', []),
        ("The envelope is £45m.", '{"total": 44213000}', ["£45m"]),
        ("Estates cost £5 million.", "The budget for estates is c£5m", []),
        ("It is £1,234,567.", "1234567", []),
        ("About 66% is clinical.", "approximately 66% of the service value", []),
        ("A quarter, 25%, is shared.", '{"share": 0.25}', []),
        ("It is 30% higher.", '{"share": 0.25}', ["30%"]),
        ("Go-live is 1 April 2027.", '{"go_live": "2027-04-01"}', []),
        ("Go-live is 2 April 2027.", '{"go_live": "2027-04-01"}', ["2 April 2027"]),
        ("The Act of 2023 applies.", "Procurement Act 2023", []),
        ("From 2013-2014 it changed.", "nothing", ["2013", "2014"]),
        ("See [County Durham, 9 November 2017, para 39].", "nothing", []),
        ("Two weeks is 14 days.", "nothing", []),
    ],
    ids=[
        "money-as-written",
        "money-rounded-millions",
        "money-one-decimal",
        "money-wrong",
        "million-in-words",
        "money-with-commas",
        "percent",
        "percent-from-fraction",
        "percent-wrong",
        "date-from-iso",
        "date-wrong",
        "year",
        "years-unsupported",
        "citation-ignored",
        "plain-numbers-not-checked",
    ],
)
def test_unsupported_claims(answer, evidence, unsupported):
    assert unsupported_claims(answer, [evidence]) == unsupported


def test_the_note_names_the_claims():
    assert note_for(["£45m"]) == "_Note: £45m not found in the papers or tools: check it._"
    assert note_for(["£45m", "2031"]) == "_Note: £45m, 2031 not found in the papers or tools: check them._"
