"""The `commission` command line: thin wiring of the command modules; the one place errors become messages.

Each module in `assistant/commands/` registers its own commands with `register(app)`. Heavy libraries
(chromadb, onnxruntime, langchain) are imported inside the commands that use them, so `--help` is fast.

Whatever a command raises ends as one line on stderr and a non-zero exit: a known error
(`CommissionError`) its own message and exit code; Ctrl-C "Interrupted." and 130; anything else, a bug,
the line `assistant.errors.unexpected` writes, with exit 1 and the traceback in the error log
(`COMMISSION_DEBUG=1` re-raises it instead). Click's own usage errors, `--help` and `typer.Exit` pass
through untouched.
"""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from assistant import __version__
from assistant.commands import chat, checklist, envelope, intent, knowledge, plugin, rules, timeline
from assistant.errors import debugging, describe
from tools.errors import CommissionError
from tools.textfiles import reporting_encodings


class CommissionGroup(TyperGroup):
    """Turns every error, from any sub-command, into one line on stderr and a non-zero exit code.

    A file read in an encoding other than UTF-8 is named on stderr (`Read FILE as Windows-1252`).
    """

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            with reporting_encodings(lambda note: typer.echo(note, err=True)):
                return super().invoke(ctx)
        except (TyperException, typer.Exit, typer.Abort, BrokenPipeError):
            raise  # usage errors, --help and exits are typer's to show; a closed pipe is typer's to quieten
        except CommissionError as error:
            _fail(describe(error), error.exit_code)
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130) from None
        except Exception as error:
            if debugging():
                raise
            _fail(describe(error, context=f"commission {ctx.invoked_subcommand or ''}".strip()), 1)


def _fail(message: str, code: int) -> NoReturn:
    from assistant.console import clean

    typer.echo(f"Error: {clean(message)}", err=True)
    raise typer.Exit(code) from None


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
