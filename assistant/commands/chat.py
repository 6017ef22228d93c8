"""`commission chat`, `commission ask` and `commission history`: the assistant itself."""

from __future__ import annotations

import json
from typing import Any

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("chat")(chat)
    app.command("ask")(ask)
    app.command("history")(history)


def chat(
    resume: bool = typer.Option(False, "--resume", help="Continue the last conversation."),
    conversation: str | None = typer.Option(
        None, "--conversation", metavar="ID", help="Continue this conversation (see `commission history`)."
    ),
) -> None:
    """Talk to the assistant: questions answered from the papers, and every tool by slash command.

    Works without a language model too (offline mode): answers are then the best passages.
    """
    from assistant.chat import start_chat
    from assistant.config import Settings

    start_chat(Settings(), resume=resume, conversation=conversation)


def ask(
    question: str = typer.Argument(..., help="The question, in quotes."),
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON: answer, sources, tool_calls, finish_reason, grounded; or error."
    ),
) -> None:
    """Answer one question and exit (for scripts): with the model, or offline with the best passages."""
    try:
        data = _answer(question, as_json=as_json)
    except Exception as error:
        if as_json:  # scripts read stdout: a failure is JSON there too, and the one line on stderr
            typer.echo(json.dumps({"error": _error_json(error)}, indent=2, ensure_ascii=False))
        raise
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        from assistant.console import print_markdown

        print_markdown(data["answer"])


def _answer(question: str, *, as_json: bool) -> dict[str, Any]:
    from assistant.chat import configured_model
    from assistant.config import Settings
    from assistant.console import err_console
    from assistant.errors import InputError
    from assistant.offline import NO_MODEL, answer_offline

    if not question.strip():
        raise InputError(
            'QUESTION is empty; ask something, e.g. commission ask "What is a pass-through cost?"'
        )
    settings = Settings()
    model = configured_model(settings)
    if model is None:
        data = answer_offline(question).to_json()
        if not as_json:
            err_console.print(NO_MODEL, style="yellow")
        return data
    return _ask_model(model, question, settings, quiet=as_json)


def _error_json(error: Exception) -> dict[str, Any]:
    from assistant.errors import one_line
    from tools.errors import CommissionError

    if isinstance(error, CommissionError):
        return {"type": type(error).__name__, "message": one_line(str(error)), "exit_code": error.exit_code}
    # The traceback is logged once, by the CLI, which also prints the one line saying where.
    kind = type(error).__name__
    return {"type": "UnexpectedError", "message": f"an unexpected error ({kind})", "exit_code": 1}


def _ask_model(model: Any, question: str, settings: Any, *, quiet: bool) -> dict[str, Any]:
    from assistant.agent import Agent
    from assistant.console import clean, err_console
    from assistant.events import Notice, ToolFinished, ToolStarted
    from assistant.toolkit import get_tools

    def show(event: object) -> None:
        if quiet:
            return
        if isinstance(event, ToolStarted):
            err_console.print(clean(f"⚙ {event.brief()}"), style="cyan", markup=False)
        elif isinstance(event, ToolFinished):
            mark = "✓" if event.ok else "✗"
            err_console.print(clean(f"  {mark} {event.summary}"), style="dim", markup=False)
        elif isinstance(event, Notice):
            err_console.print(clean(event.text), style="yellow", markup=False)

    agent = Agent(model, get_tools(), max_tool_rounds=settings.agent_max_tool_rounds)
    return agent.ask(question, on_event=show).to_json()


def history() -> None:
    """List saved conversations, most recent first; continue one with `commission chat --conversation ID`."""
    from rich.table import Table

    from assistant.config import Settings
    from assistant.console import console, safe
    from assistant.transcripts import list_conversations

    saved = list_conversations(Settings().conversations_dir)
    if not saved:
        typer.echo("No saved conversations yet. Start one with `commission chat`.")
        return
    table = Table(box=None, header_style="bold")
    for column in ("ID", "Last used", "Questions"):
        table.add_column(column, no_wrap=True)
    table.add_column("First question")
    for info in saved:
        table.add_row(info.id, f"{info.updated:%d %b %Y %H:%M}", str(info.questions), safe(info.title))
    console.print(table)
