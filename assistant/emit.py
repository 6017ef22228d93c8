"""One output path for every command: `emit(result, format, out, force)`.

A result is shown on the terminal (rendered Markdown, or a table where the command has one) or written to
`--out` in the format asked for, or the one its suffix names. The same options everywhere: `--format`,
`--json` (short for `--format json`), `--out FILE`, `--force`; the same words: "Wrote FILE". How each kind
of result is written in each format is `assistant.render`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from tools.errors import InputError

BOM = "\ufeff"  # so Excel reads the £ sign in a CSV file
BINARY = {"docx": "a Word document", "xlsx": "an Excel workbook"}

Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="md, json, and the others this command lists; default: --out's suffix, else the screen.",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON (short for --format json).")]
Out = Annotated[Path | None, typer.Option("--out", help="Write to this file instead of the screen.")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite the --out file if it exists.")]


def chosen_format(format: str | None, as_json: bool, out: Path | None, formats: list[str]) -> str:
    """The format asked for: `--json`, then `--format`, then `--out`'s suffix, else the screen ("table")."""
    if as_json and format not in (None, "json"):
        raise InputError(f"--json and --format {format}: give one of them")
    chosen = "json" if as_json else format
    if chosen is None and out is not None:
        chosen = {"markdown": "md", "txt": "md"}.get(
            out.suffix.lower().lstrip("."), out.suffix.lower().lstrip(".")
        )
        if chosen not in formats:
            raise InputError(
                f"--out: {out.name} has no format this command writes; end it in {_suffixes(formats)}"
            )
    chosen = (chosen or "table").lower()
    if chosen != "table" and chosen not in formats:
        raise InputError(f"--format: {str(format)[:20]!r} is not one of {', '.join(formats)}")
    if chosen in BINARY and out is None:
        raise InputError(
            f"--format {chosen}: {BINARY[chosen]} cannot go to the screen; add --out FILE.{chosen}"
        )
    return chosen


def _suffixes(formats: list[str]) -> str:
    return ", ".join(f".{name}" for name in formats)


def emit(
    result: Any,
    *,
    format: str | None,
    as_json: bool = False,
    out: Path | None,
    force: bool,
    table: Callable[[Any], None] | None = None,
) -> None:
    """Show `result`, or write it to `out`; `table` draws it on the screen where the command has a table."""
    from assistant import render

    formats = render.formats(result)
    chosen = chosen_format(format, as_json, out, formats)
    if out is None:
        if chosen == "table":
            if table is not None:
                table(result)
            else:
                from assistant.console import print_markdown

                print_markdown(render.markdown(result))
        elif chosen == "md":
            from assistant.console import print_markdown

            print_markdown(render.markdown(result))
        else:
            content = render.render(result, chosen)
            if isinstance(content, bytes):
                sys.stdout.buffer.write(content)
                sys.stdout.flush()
            else:
                text = content.removeprefix(BOM)
                if sys.stdout.isatty():  # what came from files may hold escape sequences: not for a terminal
                    from assistant.console import clean

                    text = clean(text)
                typer.echo(text, nl=not text.endswith("\n"))
        return
    write(out, render.render(result, "md" if chosen == "table" else chosen), force=force, csv=chosen == "csv")


def write(out: Path, content: str | bytes, *, force: bool, csv: bool = False) -> None:
    """Write `content` to `out` (never over an existing file without `force`) and say so."""
    from assistant.output import write_output

    if csv and isinstance(content, str) and not content.startswith(BOM):
        content = BOM + content
    written = write_output(out, content, force=force)
    typer.echo(f"Wrote {written}")
