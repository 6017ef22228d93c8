"""`commission ask` with a model: one turn through the real CLI, with a scripted model injected."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant import agent, registry
from assistant.cli import app
from assistant.errors import ModelError
from assistant.toolspec import spec_for
from tests.fake_model import call, scripted
from tests.test_agent import add_weeks, search_papers

runner = CliRunner()


@pytest.fixture
def model(monkeypatch):
    """Inject a scripted model and two test tools in place of the configured ones."""

    monkeypatch.setenv("COMMISSION_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # configured, never called
    monkeypatch.setenv("COMMISSION_LLM_MODEL", "scripted")

    def use(*turns, failure=None):
        fake = scripted(*turns, failure=failure)
        monkeypatch.setattr(agent, "load_model", lambda settings: fake)
        return fake

    monkeypatch.setattr(registry, "all_specs", lambda: (spec_for(search_papers), spec_for(add_weeks)))
    return use


def test_ask_json_prints_answer_sources_and_tool_calls(model):
    model(
        call("search_papers", {"query": "estates", "k": 1}),
        "Commissioners keep it [County Durham, 9 November 2017, para 39].",
    )
    result = runner.invoke(app, ["ask", "--json", "Who keeps the estates budget?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["answer"].startswith("Commissioners keep it [County Durham, 9 November 2017, para 39].")
    assert "**Sources**" in data["answer"]
    assert [source["label"] for source in data["sources"]] == ["County Durham, 9 November 2017, para 39"]
    assert data["tool_calls"] == [
        {"name": "search_papers", "arguments": {"query": "estates", "k": 1}, "status": "ok"}
    ]


def test_ask_shows_tool_calls_on_stderr_and_the_answer_on_stdout(model):
    model(call("add_weeks", {"weeks": 2}), "Two weeks is 14 days.")
    result = runner.invoke(app, ["ask", "How long is two weeks?"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Two weeks is 14 days."
    assert "⚙ add_weeks(weeks=2)" in result.stderr
    assert '✓ {"weeks": 2, "days": 14}' in result.stderr.replace("\n", " ").replace("  ", " ")


def test_a_model_failure_is_one_line_and_exit_1(model):
    model(
        failure=ModelError("the model server at http://localhost:11434/v1 is not answering; is it running?")
    )
    result = runner.invoke(app, ["ask", "Hello?"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: the model server at http://localhost:11434/v1 is not answering; is it running?\n"
    )
