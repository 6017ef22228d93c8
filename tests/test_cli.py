"""The CLI shell: version, help, and the one place known errors become one-line messages."""

import typer
from typer.testing import CliRunner

from assistant import __version__
from assistant.cli import app
from tools.errors import InputError

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"commission {__version__}"


def test_help_lists_the_command_groups():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in (
        "index",
        "search",
        "timeline",
        "envelope",
        "checklist",
        "intent",
        "chat",
        "ask",
        "mcp",
        "tools",
    ):
        assert command in result.output


def test_known_error_becomes_one_line_and_its_exit_code():
    failing = typer.Typer()

    @failing.command("explode")
    def explode() -> None:
        raise InputError("--start: 'soon' is not a date;\n write it like 2025-09-03")

    app.add_typer(failing, name="test-failing")
    try:
        result = runner.invoke(app, ["test-failing", "explode"])
    finally:
        app.registered_groups.pop()
    assert result.exit_code == 2
    assert result.stderr == "Error: --start: 'soon' is not a date; write it like 2025-09-03\n"
    assert "Traceback" not in result.output
