"""Offline mode: with no model, answers are the best passages, their citations and matching sentences."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.offline import (
    HEADING,
    NO_MODEL,
    NOTHING_FOUND,
    _bold,
    answer_offline,
    outdated_law_note,
    tool_pointer,
)

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
    assert set(data) == {"answer", "sources", "tool_calls", "finish_reason", "grounded"}
    assert data["answer"].startswith(HEADING)
    assert data["tool_calls"] == [
        {"name": "search_papers", "arguments": {"query": "estates pass through cost", "k": 3}, "status": "ok"}
    ]
    assert (data["finish_reason"], data["grounded"]) == ("stop", True)
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


@pytest.mark.slow
@pytest.mark.usefixtures("indexed_home")
def test_an_off_topic_question_finds_nothing_and_says_how_to_rephrase():
    found = answer_offline("What is the capital of France?")
    assert found.passages == [] and found.sources == []
    assert NOTHING_FOUND in found.markdown
    assert "B&NES" not in found.markdown and "apitation" not in found.markdown


@pytest.mark.slow
@pytest.mark.usefixtures("indexed_home")
def test_a_regime_question_names_the_command_and_flags_the_old_law():
    found = answer_offline(
        "Which procurement regime applies to a community nursing contract starting in 2026?"
    )
    assert "`/checklist regime --start 2026-MM-DD --buyer nhs --service health`" in found.markdown
    notes = [
        line for line in found.markdown.splitlines() if line.startswith("> _Note: this passage describes")
    ]
    assert notes and all("for one begun in 2026" in note for note in notes)
    assert any("PCR 2015" in note and "Procurement Act 2023" in note for note in notes) or any(
        "(PCCR)" in note and "Provider Selection Regime (PSR)" in note for note in notes
    )


@pytest.mark.slow
@pytest.mark.usefixtures("indexed_home")
def test_the_durham_estates_question_highlights_the_pass_through_sentence():
    found = answer_offline("How will the estates costs be treated in Durham?")
    assert found.sources[0].label.startswith("County Durham, 9 November 2017, paras")
    assert (
        "**The estates costs for the procurement will be treated as a 'pass-through' cost" in found.markdown
    )
    assert (
        "**39 The value of services" not in found.markdown
        and "£44m across County Durham with" in found.markdown
    )


@pytest.mark.parametrize(
    ("question", "pointer"),
    [
        pytest.param(
            "Which procurement regime applies to a community nursing contract starting in 2026?",
            "/checklist regime --start 2026-MM-DD --buyer nhs --service health",
            id="regime-year",
        ),
        pytest.param(
            "Which rules apply to a council homecare contract starting on 1 April 2026?",
            "/checklist regime --start 2026-04-01 --buyer council --service social-care",
            id="regime-date",
        ),
        pytest.param("Can we use direct award process C under the PSR?", "/checklist psr", id="psr"),
        pytest.param(
            "What timeline should we plan for a start on 2026-09-01?",
            "/timeline plan --start 2026-09-01",
            id="timeline",
        ),
        pytest.param("How do we set the funding envelope?", "/envelope --help", id="envelope"),
        pytest.param("Who keeps the budget for estates?", None, id="none"),
    ],
)
def test_questions_a_tool_answers_name_the_slash_command(question, pointer):
    found = tool_pointer(question)
    assert (found is None) if pointer is None else (found is not None and f"`{pointer}`" in found)


@pytest.mark.parametrize(
    ("text", "when", "expected"),
    [
        pytest.param(
            "We followed the PCR 2015 light touch rules.", date(2025, 3, 1), "Procurement Act 2023", id="pcr"
        ),
        pytest.param(
            "The Monitor questions under the 2013 regulations.", date(2024, 6, 1), "(PSR)", id="pccr"
        ),
        pytest.param(
            "We followed the PCR 2015 light touch rules.", date(2020, 1, 1), None, id="still-in-force"
        ),
        pytest.param("The envelope is £44m.", date(2026, 1, 1), None, id="no-law"),
    ],
)
def test_a_note_under_law_that_no_longer_applies(text, when, expected):
    note = outdated_law_note(text, when)
    assert (note is None) if expected is None else (note is not None and expected in note)
