"""`commission timeline`: list the routes, plan a procurement timeline, check a proposed one.

Thin wiring: options are parsed here, the work is done by `tools.timeline`, and output is rendered by
`tools.timeline.render` (or a rich table on the terminal).
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tools.errors import InputError, UnreadableFileError
from tools.types import parse_pounds

if TYPE_CHECKING:
    from collections.abc import Callable

    from tools.timeline import Plan


class PlanFormat(StrEnum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"
    ics = "ics"
    mermaid = "mermaid"


def _dates(text: str | None, field: str) -> list[date]:
    from tools.types import parse_date

    return [parse_date(part, field=field) for part in (text or "").split(",") if part.strip()]


def _value(text: str | None) -> Decimal | None:
    return None if text is None else parse_pounds(text, field="--value")


def _durations(values: list[str] | None) -> dict[str, int]:
    durations = {}
    for value in values or []:
        stage, _, days = value.partition("=")
        if not days.strip().isdigit():
            raise InputError(f"--duration: {value!r} is not STAGE=DAYS; write it like evaluation=20")
        durations[stage.strip()] = int(days)
    return durations


def routes(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the procurement routes, with a one-line description of each."""
    from tools.timeline import list_routes

    result = list_routes()
    if json_output:
        typer.echo(result.model_dump_json(indent=2))
        return
    from rich.table import Table

    from assistant.console import console

    table = Table("Route", "Regime", "Description", title="Procurement routes")
    for route in result.routes:
        table.add_row(route.id, route.regime, route.description)
    console.print(table)


def plan(
    route: Annotated[str, typer.Option("--route", help="Route id (see `commission timeline routes`).")],
    start: Annotated[str | None, typer.Option("--start", help="Plan forward from this date.")] = None,
    go_live: Annotated[
        str | None, typer.Option("--go-live", help="Plan backward from the service start.")
    ] = None,
    value: Annotated[
        str | None, typer.Option("--value", help="Contract value, e.g. £1,200,000 or 1.2m.")
    ] = None,
    mobilisation: Annotated[
        str | None, typer.Option(help="Mobilisation, e.g. '12 weeks' or '3 months'.")
    ] = None,
    meetings: Annotated[
        str | None, typer.Option(help="Meeting dates for approvals, comma-separated.")
    ] = None,
    duration: Annotated[
        list[str] | None, typer.Option(help="Override a typical duration: STAGE=DAYS.")
    ] = None,
    output_format: Annotated[
        PlanFormat, typer.Option("--format", help="How to print the plan.")
    ] = PlanFormat.table,
    out: Annotated[
        Path | None, typer.Option(help="Write the plan to this file (a table is written as Markdown).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite --out if it exists.")] = False,
) -> None:
    """Plan a procurement timeline forward from --start or backward from --go-live."""
    from tools.timeline import plan_timeline
    from tools.types import parse_date

    result = plan_timeline(
        route,
        start=parse_date(start, field="--start") if start else None,
        go_live=parse_date(go_live, field="--go-live") if go_live else None,
        value=_value(value),
        mobilisation=mobilisation,
        meetings=_dates(meetings, "--meetings"),
        durations=_durations(duration),
    )
    if out is not None:
        from assistant.output import write_output

        fmt = PlanFormat.md if output_format is PlanFormat.table else output_format
        written = write_output(out, _rendered(result, fmt), force=force)
        typer.echo(f"Wrote {written}")
    elif output_format is PlanFormat.table:
        _print_table(result)
    else:
        content = _rendered(result, output_format)
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        else:
            typer.echo(content.removeprefix("\ufeff"), nl=False)


def _rendered(result: Plan, fmt: PlanFormat) -> str | bytes:
    from tools.timeline import render

    renderers: dict[PlanFormat, Callable[[Plan], str | bytes]] = {
        PlanFormat.md: render.plan_markdown,
        PlanFormat.csv: render.plan_csv,
        PlanFormat.json: render.plan_json,
        PlanFormat.ics: render.plan_ics,
        PlanFormat.mermaid: render.plan_mermaid,
    }
    return renderers[fmt](result)


def _print_table(result: Plan) -> None:
    from rich.table import Table

    from assistant.console import console
    from tools.formatting import long_date

    table = Table(
        "Stage",
        "Start",
        "End",
        "Duration",
        "Rule or assumption",
        title=f"{result.route_name} — {result.regime_name}",
    )
    for stage in result.stages:
        table.add_row(
            stage.name, long_date(stage.start), long_date(stage.end), stage.duration, stage.citation
        )
    console.print(table)
    for note in result.notes:
        console.print(f"• {note}")


def check(
    file: Annotated[Path, typer.Argument(help="The timeline: Markdown table, CSV, YAML, .docx or .pdf.")],
    route: Annotated[str | None, typer.Option(help="Route id; inferred from the stages if left out.")] = None,
    value: Annotated[str | None, typer.Option(help="Contract value, to judge mobilisation.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of a report.")] = False,
) -> None:
    """Check a proposed timeline: exit 0 with no errors, 1 with errors, 2 if the file cannot be read."""
    from assistant.console import print_markdown
    from tools.timeline import check_timeline, read_timeline_file

    text = read_timeline_file(file)
    try:
        result = check_timeline(text, route=route, value=_value(value))
    except InputError as error:
        if str(error).startswith("timeline: "):  # nothing in the file reads as a timeline
            raise UnreadableFileError(file, str(error).removeprefix("timeline: ")) from None
        raise
    if json_output:
        typer.echo(result.model_dump_json(indent=2))
    else:
        print_markdown(result.to_markdown())
    if result.has_errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `timeline` command group to the main app."""
    group = typer.Typer(
        name="timeline",
        no_args_is_help=True,
        help="Plan a procurement timeline for any route, or check a proposed one.",
    )
    group.command("routes")(routes)
    group.command("plan")(plan)
    group.command("check")(check)
    app.add_typer(group, name="timeline")
