"""Citations, paper details, highlighting and score fusion: pure functions, no index needed."""

from __future__ import annotations

import itertools
import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.retrieval.highlight import best_sentences, bold_matches, matching_spans
from assistant.retrieval.papers import PaperInfo, infer_info, load_manifest
from assistant.retrieval.passages import Citation, Passage, passages_markdown
from assistant.retrieval.search import standardised
from tests.conftest import KNOWLEDGE


def _citation(**changes: object) -> Citation:
    values: dict[str, object] = {
        "file": "county-durham.txt",
        "title": "Community Contract Procurement Update",
        "short": "County Durham",
        "date": "2017-11-09",
        "section": "Governance",
        "paragraphs": ["39"],
        "start": 10,
        "end": 20,
    }
    return Citation.model_validate(values | changes)


@pytest.mark.parametrize(
    ("changes", "label"),
    [
        pytest.param({}, "County Durham, 9 November 2017, para 39", id="one-paragraph"),
        pytest.param(
            {"paragraphs": ["40", "41"]}, "County Durham, 9 November 2017, paras 40–41", id="paragraphs"
        ),
        pytest.param(
            {"paragraphs": [], "date": "2015-11"}, "County Durham, November 2015, Governance", id="month"
        ),
        pytest.param(
            {"paragraphs": [], "section": "3.0 Procurement — Monitor Tests", "date": "undated"},
            "County Durham, undated, Monitor Tests",
            id="undated-most-specific-heading",
        ),
        pytest.param(
            {"short": "", "paragraphs": [], "section": ""},
            "Community Contract Procurement Update, 9 November 2017",
            id="no-short-name",
        ),
    ],
)
def test_citation_labels(changes: dict[str, object], label: str) -> None:
    assert _citation(**changes).label == label


def test_passage_json_and_markdown() -> None:
    passage = Passage(text="39 The value is £44m.\nIt rises.", score=0.03, citation=_citation())
    data = passage.model_dump(mode="json")
    assert data["citation"]["label"] == "County Durham, 9 November 2017, para 39"
    assert {"text", "score", "citation"} <= data.keys()
    assert {"file", "title", "date", "section"} <= data["citation"].keys()
    assert passage.to_markdown() == (
        "**County Durham, 9 November 2017, para 39** (Community Contract Procurement Update — Governance)\n\n"
        "> 39 The value is £44m.\n> It rises."
    )
    assert passages_markdown([]) == "No passage in the papers matches that search."


def test_the_bundled_manifest_describes_every_bundled_paper() -> None:
    manifest = load_manifest(KNOWLEDGE)
    assert sorted(manifest) == sorted(path.name for path in KNOWLEDGE.glob("*.txt"))
    durham = next(info for name, info in manifest.items() if name.startswith("county-durham"))
    assert (durham.name, durham.date_label()) == ("County Durham", "9 November 2017")


@pytest.mark.parametrize(
    ("value", "label", "bounds"),
    [
        pytest.param("2017-11-09", "9 November 2017", (date(2017, 11, 9), date(2017, 11, 9)), id="day"),
        pytest.param("2015-11", "November 2015", (date(2015, 11, 1), date(2015, 11, 30)), id="month"),
        pytest.param("2016", "2016", (date(2016, 1, 1), date(2016, 12, 31)), id="year"),
        pytest.param("undated", "undated", None, id="undated"),
    ],
)
def test_paper_dates(value: str, label: str, bounds: tuple[date, date] | None) -> None:
    info = PaperInfo(file="x.txt", title="X", date=value)
    assert (info.date_label(), info.date_bounds()) == (label, bounds)


def test_a_paper_without_a_manifest_entry_takes_its_title_and_date_from_its_text() -> None:
    info = infer_info(
        Path("cabinet-report.md"), "# Homecare Recommissioning\n\nCabinet, 3 March 2024\n\nText."
    )
    assert (info.title, info.short, info.date, info.file) == (
        "Homecare Recommissioning",
        "Homecare Recommissioning",
        "2024-03-03",
        "cabinet-report.md",
    )
    assert infer_info(Path("notes.txt"), "just words without a date").date == "undated"


@pytest.mark.parametrize(
    ("name", "matches"),
    [("durham", True), ("Community Contract", True), ("county-durham", True), ("Calderdale", False)],
)
def test_paper_filter_matches_any_name(name: str, matches: bool) -> None:
    info = PaperInfo(
        file="county-durham.txt", title="Community Contract Procurement Update", short="County Durham"
    )
    assert info.matches(name) is matches


TEXT = (
    "The budget for estates is c£5m and will be treated as a pass through cost. "
    "This means that commissioners retain the budget. Funds will not be released without evidence."
)


def test_best_sentences_are_those_with_most_query_words_in_reading_order() -> None:
    assert best_sentences(TEXT, "estates pass through cost") == [
        "The budget for estates is c£5m and will be treated as a pass through cost."
    ]
    assert best_sentences(TEXT, "estates budget commissioners", limit=2) == [
        "The budget for estates is c£5m and will be treated as a pass through cost.",
        "This means that commissioners retain the budget.",
    ]
    assert best_sentences(TEXT, "mobilisation") == []


def test_matching_words_are_found_by_stem_and_bolded() -> None:
    spans = matching_spans("Costs of the estate", "estates cost")
    assert [(s, e) for s, e in spans] == [(0, 5), (13, 19)]
    assert bold_matches("Costs of the estate", "estates cost") == "**Costs** of the **estate**"


def test_scores_of_any_scale_are_standardised_before_they_are_added() -> None:
    bm25 = standardised([12.0, 6.0, 0.0])
    cosines = standardised([0.62, 0.41, 0.20])
    assert list(bm25) == pytest.approx([1.2247449, 0.0, -1.2247449])
    assert list(cosines) == pytest.approx(list(bm25))  # evenly spread: the same whatever the unit
    assert float(bm25.mean()) == pytest.approx(0.0) and float(bm25.std()) == pytest.approx(1.0)


def test_every_evaluation_question_names_a_passage_that_exists() -> None:
    from benchmarks.evaluate import answer_spans, load_questions

    questions = load_questions()
    assert len(questions) >= 30
    assert {q.file for q in questions} == {path.name for path in KNOWLEDGE.glob("*.txt")}
    missing = [q.question for q in questions if not answer_spans(q)]
    assert missing == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=100))
def test_standardising_keeps_the_order_and_centres_the_scores(scores: list[float]) -> None:
    found = standardised(scores)
    assert len(found) == len(scores) and all(math.isfinite(value) for value in found)
    assert abs(float(found.mean())) < 1e-6
    in_order = found[np.argsort(scores, kind="stable")]
    assert all(later >= earlier for earlier, later in itertools.pairwise(in_order))


def test_a_score_that_does_not_vary_adds_nothing() -> None:
    assert list(standardised([0.4, 0.4, 0.4])) == [0.0, 0.0, 0.0]
    assert list(standardised([3.0])) == [0.0]
    assert list(standardised([699050.7056012524] * 3)) == [0.0, 0.0, 0.0]  # whose mean rounds away


def test_the_glossary_adds_the_papers_words_to_a_keyword_query() -> None:
    from assistant.retrieval.search import expand_query

    assert expand_query("What did the regulator ask?") == "What did the regulator ask? Monitor"
    assert expand_query("estates pass through cost") == "estates pass through cost"
