"""`commission checklist`: the Monitor questions, which regime applies, the PSR route and modifications.

The flags of `regime`, `psr` and `modification` are the fields of their tools' inputs
(`assistant.commands.options`), so the CLI, the agent and the MCP server take the same arguments.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.commands.lazy import lazy_group
from assistant.emit import Force, Format, Json, Out, emit

checklist_app = typer.Typer(
    cls=lazy_group(lambda group: _commands(group)),
    help="Check a procurement against the regulations: the Monitor questions (2013 regulations), which "
    "regime applies, the Provider Selection Regime route, and whether a contract modification is permitted.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the `checklist` group to the main app; its commands are built when it is used."""
    app.add_typer(checklist_app, name="checklist")


def _commands(group: typer.Typer) -> None:
    """The `regime`, `psr` and `modification` commands, their flags made from the tools' models."""
    from assistant.commands.options import command, output_parameters, parameter
    from tools.checklist import check_modification, which_regime
    from tools.checklist.psr import PsrAnswers

    output = output_parameters()
    group.command("regime")(
        command(
            _spec(which_regime).args_model,
            _regime,
            after=output,
            doc="Say which regime or regimes govern a procurement, or a call-off, with the light touch "
            "threshold on the date.",
        )
    )
    group.command("psr")(
        command(
            PsrAnswers,
            _psr,
            before=[parameter("file", _ANSWERS_FILE, None)],
            after=[parameter("ask", _ASK, None), *output],
        )
    )
    group.command("modification")(
        command(
            _spec(check_modification).args_model,
            _modification,
            after=output,
            doc="Check whether a change of a contract's value (and term) is permitted, and the notice "
            "it needs.",
        )
    )


def _spec(function: Any) -> Any:
    from assistant.toolspec import spec_for

    return spec_for(function)


_BUYER_HELP = (
    "nhs (an ICB, CCG or NHS England), nhs-trust (an NHS trust or foundation trust), council, or joint "
    "(an ICB, CCG or NHS England with a council)."
)
_ANSWERS_FILE = Annotated[
    Path | None, typer.Argument(help="A YAML of answers (the flags' names with underscores).")
]
_ASK = Annotated[bool | None, typer.Option(help="Ask for missing answers (the default at a terminal).")]


@checklist_app.command("monitor")
def monitor(
    file: Annotated[
        Path, typer.Argument(help="The paper (.txt, .md, .docx, .pdf, .html) or a YAML of answers.")
    ],
    start: Annotated[str | None, typer.Option(help="The date the procurement starts.")] = None,
    buyer: Annotated[str | None, typer.Option(help=_BUYER_HELP)] = None,
    service: Annotated[str | None, typer.Option(help="health, social-care or other.")] = None,
    format: Format = None,
    as_json: Json = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """Check a paper against the seven Monitor questions and the wider checks of the 2013 regulations."""
    from tools.checklist.monitor import check_monitor_file

    result = check_monitor_file(file, start=start, buyer=buyer, service=service)
    emit(result, format=format, as_json=as_json, out=out, force=force)


def _regime(given: dict[str, Any], **output: Any) -> None:
    from assistant.commands.options import run_tool
    from tools.checklist import which_regime

    emit(run_tool(_spec(which_regime), given), **output)


def _modification(given: dict[str, Any], **output: Any) -> None:
    from assistant.commands.options import run_tool
    from tools.checklist import check_modification

    emit(run_tool(_spec(check_modification), given), **output)


def _psr(given: dict[str, Any], file: Path | None, ask: bool | None, **output: Any) -> None:
    """Decide the Provider Selection Regime process (reg 6), the notices and standstill, and the key criteria.

    Answers come from a YAML file, from flags (which win), or, at a terminal, from questions.
    """
    from assistant.commands.options import validate_options
    from tools.checklist.psr import PsrAnswers, decide_psr
    from tools.inputs import load_model

    answers = load_model(file, PsrAnswers).model_dump(exclude_unset=True) if file else {}
    validated = validate_options(PsrAnswers, {**answers, **given})
    asking = sys.stdin.isatty() if ask is None else ask
    emit(decide_psr(validated, _ask if asking else None), **output)


def _ask(key: str, question: str) -> Any:
    # Questions go to stderr so that --json output stays clean for piping. A bad amount is asked again,
    # so the answers already given are not lost.
    if key.endswith("_value"):
        from tools.errors import InputError
        from tools.types import parse_pounds

        while True:
            answer = typer.prompt(question, err=True)
            try:
                return parse_pounds(answer, field=None)
            except InputError as error:
                typer.echo(f"{error}. Try again.", err=True)
    return typer.confirm(question, default=None, err=True)
