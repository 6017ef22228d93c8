"""The `commission` command line: thin wiring of the command modules; the one place errors become messages.

Each module in `assistant/commands/` registers its own commands with `register(app)`. Heavy libraries
(chromadb, onnxruntime, langchain) are imported inside the commands that use them, so `--help` is fast.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from assistant import __version__
from assistant.commands import chat, checklist, envelope, intent, knowledge, plugin, rules, timeline
from tools.errors import CommissionError


class CommissionGroup(TyperGroup):
    """Turns every known error, from any sub-command, into one line on stderr and its exit code."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CommissionError as error:
            message = " ".join(str(error).split())
            typer.echo(f"Error: {message}", err=True)
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=CommissionGroup,
    name="commission",
    help="A commissioning assistant: search the papers, plan and check procurement timelines, compute "
    "funding envelopes, check the regulations and draft statements of intent.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"commission {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Commissioning assistant for English NHS and council commissioning officers."""


for _module in (knowledge, timeline, envelope, checklist, rules, intent, chat, plugin):
    _module.register(app)


def main() -> None:
    """The console script's entry point."""
    app()
