"""`commission checklist`: the Monitor questions, which regime applies, the PSR route and modifications."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from tools.types import parse_pounds

checklist_app = typer.Typer(
    help="Check a procurement against the regulations: the Monitor questions (2013 regulations), which "
    "regime applies, the Provider Selection Regime route, and whether a contract modification is permitted.",
    no_args_is_help=True,
)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of the readable report.")]
Out = Annotated[
    Path | None, typer.Option("--out", help="Save the report (or the JSON with --json) to this file.")
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")]
BUYER_HELP = (
    "nhs (an ICB, CCG or NHS England), nhs-trust (an NHS trust or foundation trust), council, or joint "
    "(an ICB, CCG or NHS England with a council)."
)
Buyer = Annotated[str, typer.Option("--buyer", help=BUYER_HELP)]
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
    buyer: Annotated[str | None, typer.Option(help=BUYER_HELP)] = None,
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
    framework_awarded: Annotated[
        str | None,
        typer.Option(help="For a call-off from a framework: the date the framework was awarded."),
    ] = None,
    as_json: AsJson = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """Say which regime or regimes govern a procurement, or a call-off, with the light touch threshold."""
    from tools.checklist.regime import which_regime
    from tools.types import parse_date

    day = parse_date(start, field="--start")
    awarded = parse_date(framework_awarded, field="--framework-awarded") if framework_awarded else None
    amount = None if value is None else parse_pounds(value, field="--value")
    result = which_regime(day, buyer, service, amount, framework_awarded=awarded)  # type: ignore[arg-type]
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


@checklist_app.command("modification")
def modification(
    regime: Annotated[str, typer.Option(help="psr2023, pa2023 or pcr2015.")],
    original_value: Annotated[
        str,
        typer.Option(
            help="The value before the change, e.g. £1,000,000: on award for psr2023 and pcr2015, just "
            "before this modification for pa2023."
        ),
    ],
    new_value: Annotated[str, typer.Option(help="The value after the change, including any added term.")],
    original_term_months: Annotated[
        int | None, typer.Option(help="The maximum term on award, in months (with --new-term-months).")
    ] = None,
    new_term_months: Annotated[int | None, typer.Option(help="The term after the change, in months.")] = None,
    works: Annotated[bool, typer.Option("--works", help="A contract for works.")] = False,
    light_touch: Annotated[bool, typer.Option("--light-touch", help="A light touch contract.")] = False,
    as_json: AsJson = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """Check whether a change of a contract's value (and term) is permitted, and the notice it needs."""
    from tools.checklist.modification import check_modification, modification_regime

    result = check_modification(
        modification_regime(regime),
        _pounds(original_value, "--original-value"),
        _pounds(new_value, "--new-value"),
        original_term_months,
        new_term_months,
        works=works,
        light_touch=light_touch,
    )
    _emit(result, as_json, out, force)


def _pounds(text: str, flag: str) -> Decimal:
    return parse_pounds(text, field=flag)


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
