"""The CLI shell: version, help, and the one place known errors become one-line messages."""

import subprocess
import sys

import typer
from typer.testing import CliRunner

from assistant import __version__
from assistant.cli import app
from tests.conftest import ROOT
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


def test_help_loads_no_tool_package_and_a_group_builds_its_commands_when_used():
    """The generated commands import the tools and their rule tables: only the group that runs pays."""
    code = (
        "import sys; from typer.testing import CliRunner; from assistant.cli import app\n"
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0\n"
        "print(sorted(m for m in ('pydantic', 'tools.checklist', 'tools.timeline') if m in sys.modules))\n"
        "assert CliRunner().invoke(app, ['checklist', 'regime', '--help']).exit_code == 0\n"
        "print('tools.checklist' in sys.modules, 'tools.timeline' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.splitlines() == ["[]", "True False"]


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
