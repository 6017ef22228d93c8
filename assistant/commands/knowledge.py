"""`commission index` and `commission search`: build the paper index and search it with citations."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from assistant.retrieval.indexer import IndexReport
    from assistant.retrieval.passages import Passage


def register(app: typer.Typer) -> None:
    """Add `index` and `search` to the main app."""
    app.command("index")(index)
    app.command("search")(search)


def index(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Extra files or folders to index (.txt .md .pdf .docx .html).")
    ] = None,
    rebuild: bool = typer.Option(
        False, "--rebuild", help="Embed everything afresh and forget earlier folders."
    ),
    if_missing: bool = typer.Option(False, "--if-missing", help="Build only when there is no usable index."),
) -> None:
    """Index the bundled papers plus any files or folders you name (unchanged files are skipped)."""
    from assistant.console import console, err_console, safe
    from assistant.errors import KnowledgeIndexError
    from assistant.retrieval.indexer import build_index
    from assistant.retrieval.store import Store

    if if_missing and not paths and not rebuild:
        try:
            count = Store().open_current().count()
        except KnowledgeIndexError:
            pass
        else:
            console.print(f"The paper index is ready ({count} passages).")
            return
    with _progress_bar(err_console) as progress:
        report = build_index(paths or [], rebuild=rebuild, progress=progress)
    for path, reason in report.failed:
        err_console.print(safe(f"Could not index {path}: {reason}"), highlight=False, soft_wrap=True)
    console.print(_summary(report))
    if report.failed:
        raise typer.Exit(1)


def search(
    query: str = typer.Argument(..., help="What to look for, e.g. 'estates pass through cost'."),
    k: int = typer.Option(5, "-k", help="How many passages to show, best first."),
    paper: str | None = typer.Option(
        None, "--paper", help="Only this paper (part of its name, title or file)."
    ),
    organisation: str | None = typer.Option(
        None, "--organisation", help="Only papers from this organisation."
    ),
    date_from: str | None = typer.Option(None, "--from", help="Only papers dated on or after (2017-01-01)."),
    date_to: str | None = typer.Option(None, "--to", help="Only papers dated on or before (2020-12-31)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list, best first."),
) -> None:
    """Search the indexed papers: ranked passages with their citation and the matching words highlighted."""
    from assistant.retrieval.search import get_retriever
    from tools.types import parse_date

    start = parse_date(date_from, field="--from") if date_from else None
    end = parse_date(date_to, field="--to") if date_to else None
    passages = get_retriever().search(
        query, k, paper=paper, organisation=organisation, date_from=start, date_to=end
    )
    if as_json:
        import json

        typer.echo(json.dumps([p.model_dump(mode="json") for p in passages], indent=2, ensure_ascii=False))
    else:
        _show(passages, query)


def _show(passages: list[Passage], query: str) -> None:
    from rich.text import Text

    from assistant.console import clean, console, safe
    from assistant.retrieval.highlight import matching_spans

    if not passages:
        console.print("No passage in the papers matches that search.")
        return
    for rank, passage in enumerate(passages, start=1):
        citation = passage.citation
        heading = Text(f"{rank}. ", style="bold")
        heading.append(safe(citation.label, "bold cyan"))
        where = f" — {citation.section}" if citation.section and citation.paragraphs else ""
        heading.append(safe(f"  {citation.title}{where}", "dim"))
        text = clean(passage.text)  # highlight the words where they are in the text as shown
        body = Text(text)
        for begin, finish in matching_spans(text, query):
            body.stylize("bold yellow", begin, finish)
        console.print(heading)
        console.print(body, soft_wrap=not console.is_terminal)
        console.print()


def _summary(report: IndexReport) -> str:
    counts = ", ".join(
        f"{len(items)} {label}"
        for label, items in (
            ("added", report.added),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
            ("removed", report.removed),
        )
        if items
    )
    failed = f"; {len(report.failed)} could not be indexed" if report.failed else ""
    papers = f"{report.papers} paper{'s' if report.papers != 1 else ''}"
    passages = f"{report.passages} passage{'s' if report.passages != 1 else ''}"
    return f"Indexed {papers} ({passages}): {counts or 'no changes'}{failed}."


class _progress_bar:
    """A rich progress bar on stderr that `build_index` drives through its (stage, done, total) callback."""

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        )
        self._tasks: dict[str, object] = {}

    def __enter__(self) -> _progress_bar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(stage, total=total)
        self._progress.update(self._tasks[stage], completed=done, total=total)  # type: ignore[arg-type]
