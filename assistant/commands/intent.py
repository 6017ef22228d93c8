"""`commission intent`: the YAML starter, and drafting a statement of intent as Markdown or Word."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.emit import Force, write
from assistant.output import check_output_path
from tools.errors import InputError

_FORMATS = (".docx", ".md")


def register(app: typer.Typer) -> None:
    """Add the `intent` group to the main app."""
    group = typer.Typer(
        help="Draft a statement of intent or of commissioner requirements, and export it to Word.",
        no_args_is_help=True,
    )
    group.command("template")(template)
    group.command("draft")(draft)
    app.add_typer(group, name="intent")


def template(
    out: Annotated[Path | None, typer.Option("--out", help="Write the starter to this file.")] = None,
    force: Force = False,
) -> None:
    """Print a commented YAML starter for a statement of intent."""
    from tools.intent import template_yaml

    text = template_yaml()
    if out is None:
        typer.echo(text, nl=False)
        return
    write(out, text, force=force)


def draft(
    file: Annotated[Path, typer.Argument(help="The statement's YAML (see: commission intent template).")],
    out: Annotated[Path | None, typer.Option("--out", help="Write FILE.docx (Word) or FILE.md.")] = None,
    force: Force = False,
) -> None:
    """Draft the statement from FILE, then list the gaps still to complete.

    Without --out the draft is printed as Markdown and the gaps go to stderr, so `> draft.md` keeps the draft.
    """
    from assistant.console import err_console, print_markdown
    from tools.intent import draft_from_file, render_docx, render_gaps, render_markdown

    if out is not None:
        if out.suffix.lower() not in _FORMATS:
            raise InputError(f"--out: {out} must end in .docx (Word) or .md (Markdown)")
        check_output_path(out, force=force)
    statement = draft_from_file(file)
    if out is None:
        print_markdown(render_markdown(statement))
    else:
        content = render_docx(statement) if out.suffix.lower() == ".docx" else render_markdown(statement)
        write(out, content, force=force)
    err_console.print(render_gaps(statement), markup=False, highlight=False)
