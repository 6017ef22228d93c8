"""`commission checklist`: the Monitor questions, which regime applies, and the PSR route."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tools.formatting import parse_money

checklist_app = typer.Typer(
    help="Check a procurement against the regulations: the Monitor questions (2013 regulations), which "
    "regime applies, and the Provider Selection Regime route.",
    no_args_is_help=True,
)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of the readable report.")]
Out = Annotated[
    Path | None, typer.Option("--out", help="Save the report (or the JSON with --json) to this file.")
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")]
Buyer = Annotated[str, typer.Option("--buyer", help="nhs, council or joint.")]
Service = Annotated[str, typer.Option("--service", help="health, social-care or other.")]
Money = Annotated[str | None, typer.Option(help="An amount in pounds, e.g. 2400000 or £2,400,000.")]
Flag = Annotated[bool | None, typer.Option(show_default=False)]


def register(app: typer.Typer) -> None:
    """Add the `checklist` commands to the main app."""
    app.add_typer(checklist_app, name="checklist")


@checklist_app.command("monitor")
def monitor(
    file: Annotated[
        Path, typer.Argument(help="The paper (.txt, .md, .docx, .pdf, .html) or a YAML of answers.")
    ],
    start: Annotated[str | None, typer.Option(help="The date the procurement starts.")] = None,
    buyer: Annotated[str | None, typer.Option(help="nhs, council or joint.")] = None,
    service: Annotated[str | None, typer.Option(help="health, social-care or other.")] = None,
    as_json: AsJson = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """Check a paper against the seven Monitor questions and the wider checks of the 2013 regulations."""
    from tools.checklist.monitor import check_monitor_file

    _emit(check_monitor_file(file, start=start, buyer=buyer, service=service), as_json, out, force)


@checklist_app.command("regime")
def regime(
    start: Annotated[str, typer.Option(help="The date the procurement starts, e.g. 2025-09-03.")],
    buyer: Buyer,
    service: Service,
    value: Annotated[str | None, typer.Option(help="The estimated contract value in pounds.")] = None,
    as_json: AsJson = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """Say which regime or regimes govern a procurement, with the light touch threshold on the date."""
    from tools.checklist.regime import which_regime
    from tools.formatting import parse_date

    day = parse_date(start, field="--start")
    result = which_regime(day, buyer, service, parse_money(value, field="--value"))  # type: ignore[arg-type]
    _emit(result, as_json, out, force)


@checklist_app.command("psr")
def psr(
    file: Annotated[
        Path | None, typer.Argument(help="A YAML of answers (the flags' names with underscores).")
    ] = None,
    existing_provider: Flag = None,
    only_existing_provider_capable: Flag = None,
    patient_choice_unrestricted: Flag = None,
    existing_contract_expiring: Flag = None,
    materially_different: Flag = None,
    change_attributable_to_authority: Flag = None,
    existing_lifetime_value: Money = None,
    proposed_lifetime_value: Money = None,
    existing_provider_satisfactory: Flag = None,
    framework: Flag = None,
    most_suitable_provider_identifiable: Flag = None,
    ask: Annotated[
        bool | None, typer.Option(help="Ask for missing answers (the default at a terminal).")
    ] = None,
    as_json: AsJson = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """Decide the Provider Selection Regime process (reg 6), the notices and standstill, and the key criteria.

    Answers come from a YAML file, from flags (which win), or, at a terminal, from questions.
    """
    from tools.checklist.psr import PsrAnswers, decide_psr
    from tools.inputs import load_model, validate

    flags = {key: value for key, value in locals().items() if key in PsrAnswers.model_fields}
    given = load_model(file, PsrAnswers).model_dump(exclude_unset=True) if file else {}
    given.update({key: value for key, value in flags.items() if value is not None})
    answers = validate(given, PsrAnswers, source=file or "options")
    asking = sys.stdin.isatty() if ask is None else ask
    _emit(decide_psr(answers, _ask if asking else None), as_json, out, force)


def _ask(key: str, question: str) -> Any:
    # Questions go to stderr so that --json output stays clean for piping.
    if key.endswith("_value"):
        return typer.prompt(question, err=True)
    return typer.confirm(question, default=None, err=True)


def _emit(result: Any, as_json: bool, out: Path | None, force: bool) -> None:
    text = (
        json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False)
        if as_json
        else result.to_markdown()
    )
    if out is not None:
        from assistant.console import console
        from assistant.output import write_output

        write_output(out, text + "\n", force=force)
        console.print(f"Saved {out}")
    elif as_json:
        typer.echo(text)
    else:
        from assistant.console import print_markdown

        print_markdown(text)
