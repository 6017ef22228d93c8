"""Searching the bundled papers: the CLI, the agent tool, exact terms, filters and bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.retrieval.search import get_retriever
from assistant.retrieval.tool import AGENT_TOOLS, search_papers
from assistant.toolspec import spec_for
from tools.errors import InputError

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("indexed_home")


def test_the_durham_estates_paragraph_with_its_citation() -> None:
    result = runner.invoke(app, ["search", "estates pass through cost", "-k", "3"])
    assert result.exit_code == 0, result.output
    first = result.output.split("\n2. ")[0]
    assert first.startswith("1. County Durham, 9 November 2017, paras")
    assert "41 The budget for estates is c£5m and will be treated as a pass through cost" in result.output
    assert "'pass-through' cost for the service provider" in first or "c£5m" in first


def test_json_output_is_a_list_best_first() -> None:
    result = runner.invoke(app, ["search", "estates pass through cost", "--json", "-k", "2"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert len(items) == 2 and items[0]["score"] >= items[1]["score"]
    citation = items[0]["citation"]
    assert citation["file"] == "county-durham-2017-community-contract-procurement-update.txt"
    assert (citation["title"], citation["date"], citation["section"]) == (
        "Community Contract Procurement Update",
        "2017-11-09",
        "Governance",
    )
    assert isinstance(items[0]["text"], str) and citation["label"].startswith(
        "County Durham, 9 November 2017"
    )


@pytest.mark.parametrize(
    ("query", "file_start", "words"),
    [
        pytest.param("TUPE", "county-durham", "TUPE", id="acronym"),
        pytest.param("£44m", "county-durham", "£44m", id="money"),
        pytest.param("Regulation 3", "sheffield", "Regulation 3", id="regulation-number"),
        pytest.param("Prime Contractor", "banes", "Prime", id="contracting-model"),
        pytest.param("PCRs Chapter 3 Section 7", "calderdale", "Light Touch Regime", id="regulation-section"),
        pytest.param("care wedge levels of funding", "southern-derbyshire", "wedge", id="paraphrase"),
    ],
)
def test_exact_terms_and_paraphrases_find_their_paper(query: str, file_start: str, words: str) -> None:
    passages = search_papers(query, k=3)
    assert passages[0].citation.file.startswith(file_start)
    assert any(words.lower() in p.text.lower() for p in passages)


@pytest.mark.parametrize(
    ("filters", "files"),
    [
        pytest.param({"paper": "Durham"}, {"county-durham"}, id="paper-short-name"),
        pytest.param({"paper": "banes-2015"}, {"banes"}, id="paper-file-name"),
        pytest.param({"organisation": "Calderdale"}, {"calderdale"}, id="organisation"),
        pytest.param(
            {"organisation": "ccg"},
            {"sheffield", "calderdale", "county-durham", "banes", "southern-derbyshire"},
            id="organisation-any-case",
        ),
        pytest.param(
            {"date_from": date(2017, 1, 1), "date_to": date(2018, 12, 31)}, {"county-durham"}, id="dates"
        ),
        pytest.param(
            {"date_from": date(2015, 11, 30), "date_to": date(2015, 12, 31)}, {"banes"}, id="month-date"
        ),
        pytest.param({"date_to": date(2016, 1, 1)}, {"sheffield", "banes"}, id="undated-left-out"),
    ],
)
def test_filters_keep_only_matching_papers(filters: dict[str, object], files: set[str]) -> None:
    # k = 100 reaches past the top few, so every paper the filter allows should appear.
    passages = get_retriever().search("procurement of community services", 100, **filters)  # type: ignore[arg-type]
    found = {p.citation.file.rsplit("-", 1)[0] for p in passages}
    assert {prefix for prefix in files if any(name.startswith(prefix) for name in found)} == files
    assert all(any(p.citation.file.startswith(prefix) for prefix in files) for p in passages)


def test_cli_filters_and_dates() -> None:
    result = runner.invoke(
        app,
        [
            "search",
            "procurement",
            "--paper",
            "Sheffield",
            "--from",
            "1 September 2015",
            "--to",
            "2015-09-30",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert {item["citation"]["short"] for item in json.loads(result.output)} == {"Sheffield"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(["search", "  "], "query is empty", id="empty-query"),
        pytest.param(["search", "estates", "-k", "0"], "k = 0", id="k-zero"),
        pytest.param(
            ["search", "estates", "--paper", "Leeds"], "paper = 'Leeds': no indexed paper matches", id="paper"
        ),
        pytest.param(["search", "estates", "--from", "31/02/2020"], "--from", id="bad-date"),
        pytest.param(
            ["search", "x", "--from", "2020-01-01", "--to", "2019-01-01"], "swap them", id="dates-reversed"
        ),
    ],
)
def test_bad_search_input_is_a_usage_error(arguments: list[str], message: str) -> None:
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and message in result.output


def test_a_filter_that_matches_nothing_lists_the_papers() -> None:
    with pytest.raises(InputError, match="the papers are: B&NES; Calderdale; County Durham; Sheffield"):
        search_papers("estates", organisation="Leeds City Council")


def test_the_tool_contract_describes_every_argument() -> None:
    assert [search_papers] == AGENT_TOOLS
    spec = spec_for(search_papers)
    schema = spec.json_schema()
    assert set(schema["properties"]) == {"query", "k", "paper", "organisation", "date_from", "date_to"}
    assert all(prop.get("description") for prop in schema["properties"].values())
    assert schema["required"] == ["query"]
    assert "citation" in spec.description


def test_the_tool_through_its_contract_and_its_limits() -> None:
    spec = spec_for(search_papers)
    passages = spec.invoke({"query": "mobilisation fund", "k": 2, "date_from": "2017-01-01"})
    assert len(passages) == 2 and passages[0].citation.short == "County Durham"
    with pytest.raises(InputError, match="k = 21"):
        spec.invoke({"query": "estates", "k": 21})
    with pytest.raises(InputError, match="unknown field 'pages'"):
        spec.invoke({"query": "estates", "pages": 2})


def test_the_retriever_is_loaded_once_and_reused(indexed_home: Path) -> None:
    assert get_retriever() is get_retriever()


def test_search_modes_rank_the_same_passages_differently() -> None:
    retriever = get_retriever()
    by_mode = {
        mode: retriever.search("estates pass through cost", 3, mode=mode) for mode in ("bm25", "dense")
    }
    assert all(passages for passages in by_mode.values())
    assert retriever.rank_bm25("zzzz qqqq") == []


def test_the_sheffield_monitor_questions_find_appendix_1() -> None:
    passages = get_retriever().search("What are the seven Monitor questions Sheffield answered?", 8)
    labels = [p.citation.label for p in passages]
    assert any(label.startswith("Sheffield, 3 September 2015, Appendix 1, part ") for label in labels), labels


def test_labels_of_the_banes_envelope_passages_differ() -> None:
    passages = get_retriever().search("funding envelope", 100, paper="B&NES")
    envelope = [p.citation.label for p in passages if p.citation.section.endswith("5.4 The Funding Envelope")]
    assert len(envelope) > 1 and len(set(envelope)) == len(envelope)
    assert all(", 5.4 The Funding Envelope, part " in label for label in envelope)
