"""`commission timeline`: list the routes, plan a procurement timeline, check a proposed one.

Thin wiring: options are parsed here, the work is done by `tools.timeline`, and output is rendered by
`tools.timeline.render` (or a rich table on the terminal).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assistant.emit import Force, Format, Json, Out
from tools.errors import InputError, UnreadableFileError

if TYPE_CHECKING:
    from tools.timeline import Plan, RouteList


def _value(text: str | None) -> Decimal | None:
    from tools.types import parse_pounds

    return None if text is None else parse_pounds(text, field="--value")


def routes(
    format: Format = None,
    as_json: Json = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """List the procurement routes, with a one-line description of each."""
    from assistant.emit import emit
    from tools.timeline import list_routes

    emit(list_routes(), format=format, as_json=as_json, out=out, force=force, table=_routes_table)


def _routes_table(result: RouteList) -> None:
    from rich.table import Table

    from assistant.console import console, safe

    table = Table("Route", "Regime", "Description", title="Procurement routes")
    for route in result.routes:
        table.add_row(safe(route.id), safe(route.regime), safe(route.description))
    console.print(table)


def _plan(given: dict[str, Any], **output: Any) -> None:
    """Plan a procurement timeline forward from --start or backward from --go-live."""
    from assistant.commands.options import run_tool
    from assistant.emit import emit
    from assistant.toolspec import spec_for
    from tools.timeline import plan_timeline

    result = run_tool(spec_for(plan_timeline), given)
    emit(result, **output, table=_print_table)


def plan() -> Any:
    """The `plan` command: its flags are plan_timeline's arguments (--route, --start, --go-live, ...)."""
    from assistant.commands.options import command, output_parameters
    from assistant.toolspec import spec_for
    from tools.timeline import plan_timeline

    formats = "table, md, csv, json, ics (Outlook) or mermaid; default: --out's suffix."
    return command(
        spec_for(plan_timeline).args_model,
        _plan,
        skip=["today"],
        after=output_parameters(Annotated[str | None, typer.Option("--format", help=formats)]),
    )


def _print_table(result: Plan) -> None:
    from rich.table import Table

    from assistant.console import console, safe
    from tools.formatting import long_date

    table = Table(
        "Stage",
        "Start",
        "End",
        "Duration",
        "Rule or assumption",
        title=safe(f"{result.route_name} — {result.regime_name}"),
    )
    for stage in result.stages:
        table.add_row(
            safe(stage.name),
            long_date(stage.start),
            long_date(stage.end),
            safe(stage.duration),
            safe(stage.citation),
        )
    console.print(table)
    for note in result.notes:
        console.print(safe(f"• {note}"))


def check(
    file: Annotated[Path, typer.Argument(help="The timeline: Markdown table, CSV, YAML, .docx or .pdf.")],
    route: Annotated[str | None, typer.Option(help="Route id; inferred from the stages if left out.")] = None,
    value: Annotated[str | None, typer.Option(help="Contract value, to judge mobilisation.")] = None,
    format: Format = None,
    as_json: Json = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """Check a proposed timeline: exit 0 with no errors, 1 with errors, 2 if the file cannot be read."""
    from assistant.emit import emit
    from tools.timeline import check_timeline, read_timeline_file

    text = read_timeline_file(file)
    try:
        result = check_timeline(text, route=route, value=_value(value))
    except InputError as error:
        if str(error).startswith("timeline: "):  # nothing in the file reads as a timeline
            raise UnreadableFileError(file, str(error).removeprefix("timeline: ")) from None
        raise
    emit(result, format=format, as_json=as_json, out=out, force=force)
    if result.has_errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `timeline` command group to the main app."""
    from assistant.commands.lazy import lazy_group

    group = typer.Typer(
        cls=lazy_group(_commands),
        name="timeline",
        no_args_is_help=True,
        help="Plan a procurement timeline for any route, or check a proposed one.",
    )
    app.add_typer(group, name="timeline")


def _commands(group: typer.Typer) -> None:
    group.command("routes")(routes)
    group.command("plan")(plan())
    group.command("check")(check)
