"""Offline mode: with no model, answers are the best passages, their citations and matching sentences."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.offline import HEADING, NO_MODEL, _bold, answer_offline

runner = CliRunner()
DURHAM_ESTATES = "The budget for estates is c£5m and will be treated as a pass through cost."


@pytest.mark.slow
@pytest.mark.usefixtures("indexed_home")
def test_the_best_passages_answer_with_citations_and_the_matching_sentences_in_bold():
    found = answer_offline("Who keeps the budget for estates as a pass through cost?")
    assert found.markdown.startswith(HEADING)
    labels = [source.label for source in found.sources]
    assert len(labels) == 3
    assert any(label.startswith("County Durham, 9 November 2017, paras") for label in labels)
    assert f"- 41 **{DURHAM_ESTATES}**" in found.markdown
    assert "language model" not in found.markdown.replace(HEADING, "")  # no pretend prose


@pytest.mark.slow
@pytest.mark.usefixtures("indexed_home")
def test_ask_offline_prints_passages_and_says_how_to_add_a_model():
    result = runner.invoke(app, ["ask", "estates pass through cost"])
    assert result.exit_code == 0, result.output
    assert "County Durham, 9 November 2017" in result.stdout
    assert "COMMISSION_LLM_BASE_URL" in result.stderr


@pytest.mark.slow
@pytest.mark.usefixtures("indexed_home")
def test_ask_offline_json_has_the_answer_the_sources_and_the_search_it_ran():
    result = runner.invoke(app, ["ask", "--json", "estates pass through cost"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"answer", "sources", "tool_calls"}
    assert data["answer"].startswith(HEADING)
    assert data["tool_calls"] == [
        {"name": "search_papers", "arguments": {"query": "estates pass through cost", "k": 3}}
    ]
    first = data["sources"][0]
    assert first["file"] == "county-durham-2017-community-contract-procurement-update.txt"
    assert first["label"].startswith("County Durham, 9 November 2017, para")
    assert first["label"] in data["answer"]


def test_ask_offline_without_an_index_says_how_to_build_it():
    result = runner.invoke(app, ["ask", "estates"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: There is no paper index yet")
    assert "commission index" in result.stderr


def test_an_empty_question_is_a_usage_error():
    result = runner.invoke(app, ["ask", "  "])
    assert result.exit_code == 2
    assert "QUESTION is empty" in result.stderr


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The budget is c£5m.", "**The budget is c£5m.**"),
        ("- 41 The budget is c£5m.", "- 41 **The budget is c£5m.**"),
        ("4.2 Providers will be invited.", "4.2 **Providers will be invited.**"),
        ("* Estates.", "* **Estates.**"),
    ],
    ids=["plain", "bullet-and-number", "dotted-number", "star-bullet"],
)
def test_bold_leaves_list_markers_outside(sentence, expected):
    assert _bold(sentence) == expected


def test_the_no_model_message_names_every_variable_and_the_example_file():
    for name in ("COMMISSION_LLM_BASE_URL", "COMMISSION_LLM_MODEL", "COMMISSION_LLM_API_KEY", ".env.example"):
        assert name in NO_MODEL
