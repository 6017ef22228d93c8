"""`commission rules`: every rule the tools apply, with its regulation, source, status and dates."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.emit import Force, Format, Json, Out


def register(app: typer.Typer) -> None:
    """Add the `rules` command to the main app."""
    app.command("rules")(rules)


def rules(
    regime: Annotated[
        str | None,
        typer.Option(help="Only this regime's rules: pcr2006, pcr2015, pa2023, pccr2013 or psr2023."),
    ] = None,
    format: Format = None,
    as_json: Json = False,
    out: Out = None,
    force: Force = False,
) -> None:
    """List every rule the tools apply, with its regulation, public source, status and dates.

    A rule "confirmed" quotes the statute's own words; the others come from secondary sources or are
    assumptions, and are labelled UNCONFIRMED wherever the tools use them.
    """
    from assistant.emit import emit
    from tools.ruleset import list_rules

    emit(list_rules(regime), format=format, as_json=as_json, out=out, force=force)
