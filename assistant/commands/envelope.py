"""`commission envelope`: a funding envelope from a file, its template, capitation and gain/loss share.

`commission envelope FILE` computes the envelope: the group falls back to a hidden `compute` command when
the first word is not one of its sub-commands, so a file name and `capitation`/`gainshare`/`template` can
share the one group.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from assistant.emit import Force, Json, Out
from tools.errors import InputError

if TYPE_CHECKING:
    from decimal import Decimal

    from tools.envelope import EnvelopeResult

FORMAT_HELP = (
    "table, md, csv or json; xlsx for an envelope (with --out). Default: --out's suffix, else table."
)
COHORT_HELP = "A risk-weighted cohort as NAME=POPULATION:WEIGHT (weight 1 if left out); repeat it."
SHARE_HELP = "A party's share as NAME=PERCENT; repeat it (the shares must add to 100)."
DEAD_BAND_HELP = "An amount either side of expected spend that is not shared."


class EnvelopeGroup(TyperGroup):
    """Runs the hidden `compute` command when the first word is a file rather than a sub-command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["compute", *args]
        return super().parse_args(ctx, args)


def register(app: typer.Typer) -> None:
    """Add the `envelope` group to the main app."""
    group = typer.Typer(
        cls=EnvelopeGroup,
        help="Funding envelopes and payment mechanisms in exact money.\n\n"
        "commission envelope FILE [--format table|md|csv|json|xlsx] [--out FILE] computes the envelope in a "
        "YAML or JSON file (start from: commission envelope template).",
        subcommand_metavar="FILE | COMMAND [ARGS]...",
        no_args_is_help=True,
    )
    group.command("compute", hidden=True)(compute)
    group.command("template")(template)
    group.command("capitation")(capitation)
    group.command("gainshare")(gainshare)
    app.add_typer(group, name="envelope")


File = Annotated[Path, typer.Argument(help="The envelope's YAML or JSON file.")]
Unit = Annotated[str, typer.Option("--unit", help="The unit of every amount given and shown: £, £000 or £m.")]


def compute(
    file: File,
    format: Annotated[str | None, typer.Option("--format", help=FORMAT_HELP)] = None,
    as_json: Json = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """Compute the funding envelope in FILE year by year, with its checks and assumptions."""
    from assistant.emit import chosen_format, emit
    from tools.envelope import display_places, load_spec
    from tools.envelope.report import compute as compute_envelope

    chosen = chosen_format(format, as_json, out, ["md", "json", "csv", "xlsx"])
    spec = load_spec(file)
    result = compute_envelope(spec, places=2 if chosen == "json" else display_places(spec.unit))
    emit(result, format=chosen, out=out, force=force, table=_print_envelope)


def template(out: Out = None, force: Force = False) -> None:
    """Print a commented YAML starter for an envelope file (or write it to --out)."""
    from assistant.emit import write
    from tools.envelope.template import TEMPLATE

    if out is None:
        typer.echo(TEMPLATE, nl=False)
    else:
        write(out, TEMPLATE, force=force)


def capitation(
    budget: Annotated[
        str, typer.Option("--budget", help="The annual budget, e.g. 4200000, £4,200,000 or 4.2m.")
    ],
    population: Annotated[int, typer.Option("--population", help="How many people the budget covers.")],
    cohort: Annotated[list[str] | None, typer.Option("--cohort", help=COHORT_HELP)] = None,
    unit: Unit = "£",
    format: Annotated[str | None, typer.Option("--format", help=FORMAT_HELP)] = None,
    as_json: Json = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """A capitated budget per person per year and per month, split between cohorts by risk weight."""
    from assistant.emit import emit
    from tools.envelope import capitation as capitation_tool
    from tools.types import parse_pounds

    cohorts = [_cohort(text) for text in cohort or []]
    amount = parse_pounds(budget, field="--budget")
    result = capitation_tool(amount, population, unit=_unit(unit), cohorts=cohorts)
    emit(result, format=format, as_json=as_json, out=out, force=force)


def gainshare(
    expected: Annotated[str, typer.Option("--expected", help="Expected (planned) spend.")],
    actual: Annotated[str, typer.Option("--actual", help="Actual outturn spend.")],
    share: Annotated[list[str], typer.Option("--share", help=SHARE_HELP)],
    cap: Annotated[str | None, typer.Option("--cap", help="The largest gain pool.")] = None,
    collar: Annotated[
        str | None, typer.Option("--collar", help="The largest loss pool, as a positive amount.")
    ] = None,
    dead_band: Annotated[str, typer.Option("--dead-band", help=DEAD_BAND_HELP)] = "0",
    unit: Unit = "£",
    format: Annotated[str | None, typer.Option("--format", help=FORMAT_HELP)] = None,
    as_json: Json = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """Split a gain or loss (expected spend minus outturn) between commissioners and providers."""
    from assistant.emit import emit
    from tools.envelope import gain_loss_share
    from tools.types import parse_pounds

    result = gain_loss_share(
        parse_pounds(expected, field="--expected"),
        parse_pounds(actual, field="--actual"),
        _shares(share),
        dead_band=parse_pounds(dead_band, field="--dead-band"),
        cap=None if cap is None else parse_pounds(cap, field="--cap"),
        collar=None if collar is None else parse_pounds(collar, field="--collar"),
        unit=_unit(unit),
    )
    emit(result, format=format, as_json=as_json, out=out, force=force)


def _unit(text: str) -> Any:
    if text not in ("£", "£000", "£m"):
        raise InputError(f"--unit = {text!r}: the tool knows £, £000 and £m")
    return text


def _shares(texts: list[str]) -> dict[str, Decimal]:
    from tools.types import parse_percent

    shares: dict[str, Decimal] = {}
    for text in texts:
        party, equals, percent = text.rpartition("=")
        if not equals or not party.strip():
            raise InputError(f"--share = {text!r}: write it as NAME=PERCENT, e.g. Provider=50")
        if party.strip() in shares:
            raise InputError(f"--share = {text!r}: {party.strip()} is given twice")
        shares[party.strip()] = parse_percent(percent, field=f"--share {party.strip()}")
    return shares


def _cohort(text: str) -> Any:
    from tools.envelope import Cohort
    from tools.inputs import validate

    name, equals, rest = text.rpartition("=")
    population, _, weight = rest.partition(":")
    if not equals or not population.strip().isdigit():
        raise InputError(f"--cohort = {text!r}: write it as NAME=POPULATION:WEIGHT, e.g. 'aged 90+=1200:1.8'")
    data = {
        "name": name.strip(),
        "population": int(population),
        "weight": weight.strip() or "1",
    }
    return validate(data, Cohort, source=f"--cohort {text!r}")


def _print_envelope(result: EnvelopeResult) -> None:
    """The envelope as a rich table, with the checks and assumptions under it."""
    from rich.table import Table

    from assistant.console import console, print_markdown, safe

    table = Table(
        title=safe(result.title or f"Funding envelope from {result.base_year}"), title_justify="left"
    )
    for index, heading in enumerate(result.headings()):
        table.add_column(safe(heading), justify="left" if index == 0 else "right", no_wrap=index > 0)
    for row in result.rows():
        style = "bold" if row.kind in ("subtotal", "total") else None
        table.add_row(
            safe(row.label),
            *(safe(result.cell(row, value)) for value in row.values),
            style=style,
            end_section=row.kind == "total",
        )
    console.print(table)
    notes = (
        ["### Checks", *(f"- **{c.severity.upper()}**: {c.message}" for c in result.checks)]
        if result.checks
        else []
    )
    notes += ["### Assumptions", *(f"- {text}" for text in [*result.assumptions, result.rounding])]
    print_markdown("\n".join(notes))
