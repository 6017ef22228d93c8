"""Every source an answer cites must be a passage retrieved in the conversation; the rest are flagged."""

from __future__ import annotations

import pytest

from assistant.citations import UNVERIFIED, Source, check_citations, sources_section


def source(label: str, paragraphs: list[str], file: str = "paper.txt") -> Source:
    return Source(label, {"file": file, "title": "A paper", "paragraphs": paragraphs}, "text")


DURHAM_39 = source("County Durham, 9 November 2017, para 39", ["39"], "durham.txt")
DURHAM_45 = source("County Durham, 9 November 2017, paras 45–47", ["45", "46", "47"], "durham.txt")
SHEFFIELD = source("Sheffield, 3 September 2015, para 4.2", ["4.2"], "sheffield.txt")
DERBYSHIRE = source("Southern Derbyshire, undated, Appendix 2: Statement of Intent — Vision", [], "derby.txt")
RETRIEVED = [DURHAM_39, DURHAM_45, SHEFFIELD, DERBYSHIRE]


@pytest.mark.parametrize(
    ("cited", "expected"),
    [
        ("County Durham, 9 November 2017, para 39", [DURHAM_39]),
        ("county durham, 9 November 2017, paragraph 39", [DURHAM_39]),
        ("County Durham, 9 November 2017, paras 45-47", [DURHAM_45]),
        ("County Durham, 9 November 2017, para 46", [DURHAM_45]),
        ("County Durham, 9 November 2017, paras 39 and 45", [DURHAM_39, DURHAM_45]),
        ("County Durham, 9 November 2017", [DURHAM_39]),
        ("Sheffield, 3 September 2015, para 4.2", [SHEFFIELD]),
        ("Southern Derbyshire, undated, Appendix 2: Statement of Intent — Vision", [DERBYSHIRE]),
        ("Southern Derbyshire, undated", [DERBYSHIRE]),
    ],
    ids=[
        "exact",
        "case-and-word",
        "range-en-dash-or-hyphen",
        "inside-range",
        "two-passages",
        "paper-only",
        "dotted",
        "section-label",
        "undated-paper-only",
    ],
)
def test_citations_of_retrieved_passages_are_kept(cited, expected):
    check = check_citations(f"As the paper says [{cited}].", RETRIEVED)
    assert check.text == f"As the paper says [{cited}]."
    assert check.cited == expected
    assert check.unverified == []


@pytest.mark.parametrize(
    "cited",
    [
        "County Durham, 9 November 2017, para 12",
        "County Durham, 9 November 2017, paras 39–41",
        "Sheffield, 3 September 2015, para 4",
        "Calderdale, 20 August 2020, para 3",
        "Monitor guidance, 2013",
    ],
    ids=[
        "paragraph-not-retrieved",
        "range-beyond-retrieved",
        "wrong-paragraph",
        "paper-not-retrieved",
        "invented",
    ],
)
def test_citations_nobody_retrieved_are_flagged(cited):
    check = check_citations(f"Claim [{cited}].", RETRIEVED)
    assert check.text == f"Claim [{cited} {UNVERIFIED}]."
    assert check.unverified == [cited]
    assert check.cited == []


@pytest.mark.parametrize(
    "text",
    ["See [the guidance](https://example.org).", "A checklist: [x] done", "Footnote [1] and [see above]"],
    ids=["markdown-link", "checkbox", "not-a-citation"],
)
def test_brackets_that_are_not_citations_are_left_alone(text):
    check = check_citations(text, RETRIEVED)
    assert (check.text, check.cited, check.unverified) == (text, [], [])


def test_one_bracket_with_a_kept_and_a_flagged_citation():
    text = "Both [County Durham, 9 November 2017, para 39; Calderdale, 20 August 2020, para 3]."
    check = check_citations(text, RETRIEVED)
    assert check.text == (
        f"Both [County Durham, 9 November 2017, para 39; Calderdale, 20 August 2020, para 3 {UNVERIFIED}]."
    )
    assert check.cited == [DURHAM_39]


def test_the_sources_section_lists_passages_and_warns_of_unverified_citations():
    section = sources_section([DURHAM_39], unverified=["Calderdale, 20 August 2020, para 3"])
    assert section.splitlines()[:3] == [
        "**Sources**",
        "",
        "- County Durham, 9 November 2017, para 39 — A paper",
    ]
    assert "⚠ Not verified: Calderdale, 20 August 2020, para 3." in section


def test_an_answer_citing_nothing_retrieved_gets_no_sources_list():
    assert sources_section([], unverified=[]) == ""


def test_the_agent_flags_an_invented_citation_and_lists_only_retrieved_sources():
    from tests.fake_model import call
    from tests.test_agent import agent_with

    agent, _ = agent_with(
        call("search_papers", {"query": "estates"}),
        "Kept [County Durham, 9 November 2017, para 39]; invented [Sheffield, 3 September 2015, para 9].",
    )
    result = agent.ask("estates?")
    assert f"[Sheffield, 3 September 2015, para 9 {UNVERIFIED}]" in result.answer
    assert result.unverified == ["Sheffield, 3 September 2015, para 9"]
    assert [s.label for s in result.sources] == ["County Durham, 9 November 2017, para 39"]
    assert "- Sheffield" not in result.answer


def test_a_later_answer_may_cite_a_passage_retrieved_earlier_in_the_conversation():
    from tests.fake_model import call
    from tests.test_agent import agent_with

    agent, _ = agent_with(
        call("search_papers", {"query": "estates"}),
        "First.",
        "As before [County Durham, 9 November 2017, para 39].",
    )
    agent.ask("estates?")
    second = agent.ask("Remind me?")
    assert second.unverified == []
    assert [s.label for s in second.sources] == ["County Durham, 9 November 2017, para 39"]
