"""`commission rules`: every rule the tools apply, with its regulation, source, status and dates."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the `rules` command to the main app."""
    app.command("rules")(rules)


def rules(
    regime: Annotated[
        str | None,
        typer.Option(help="Only this regime's rules: pcr2006, pcr2015, pa2023, pccr2013 or psr2023."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of the readable list.")] = False,
) -> None:
    """List every rule the tools apply, with its regulation, public source, status and dates.

    A rule "confirmed" quotes the statute's own words; the others come from secondary sources or are
    assumptions, and are labelled UNCONFIRMED wherever the tools use them.
    """
    from tools.ruleset import list_rules

    result = list_rules(regime)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    from assistant.console import print_markdown

    print_markdown(result.to_markdown())
