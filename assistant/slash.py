"""The chat's slash commands. They work with or without a model.

`/timeline`, `/envelope`, `/checklist`, `/intent` and `/search` run the `commission` command of the same
name in this process (`run_cli`), so each command is parsed in one place. An error in any command, known
or a bug, prints one line and the chat carries on.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.output import write_output
from assistant.registry import slash_commands
from assistant.transcripts import conversation_markdown

if TYPE_CHECKING:
    from assistant.chat import ChatSession

Handler = Callable[["ChatSession", list[str]], bool]

_CHAT_HELP = (
    ("/help", "This list."),
    ("/tools", "The tools the assistant can call."),
)
_SESSION_HELP = (
    ("/sources", "The passages behind the last answer."),
    ("/save [FILE]", "Save this conversation as Markdown."),
    ("/export md\\|docx [FILE]", "Export the last answer with its sources."),
    ("/new", "Start a new conversation."),
    ("/quit", "Leave (Ctrl-D works too)."),
)


def help_text() -> str:
    """`/help`: the chat's own commands and one row per tool package (`assistant.registry.PACKAGES`)."""
    from assistant.registry import slash_help

    rows = [*_CHAT_HELP, *slash_help(), *_SESSION_HELP]
    table = "\n".join(f"| `{usage}` | {summary} |" for usage, summary in rows)
    return (
        "**Ask a question** in plain words. Esc then Enter starts a new line; pasted text may span lines.\n\n"
        f"| Command | What it does |\n|---|---|\n{table}\n\n"
        "Every command takes `--help`, e.g. `/checklist psr --help`.\n"
    )


def handle_line(session: ChatSession, line: str) -> bool:
    """Act on one line typed at the prompt; False when the officer wants to leave."""
    text = line.strip()
    if not text:
        return True
    if not text.startswith("/"):
        session.ask(text)
        return True
    name, _, rest = text[1:].partition(" ")
    handler = COMMANDS.get(name.lower())
    if handler is None:
        from rich.text import Text

        from assistant.console import clean

        unknown = Text.assemble((f"Unknown command /{clean(name)}.", "red"), " Type /help for the list.")
        session.console.print(unknown, highlight=False)
        return True
    from assistant.chat import print_error
    from assistant.errors import describe

    try:
        arguments = shlex.split(rest)
    except ValueError as error:
        print_error(session.console, f"{error}; check the quotes.")
        return True
    try:
        return handler(session, arguments)
    except Exception as error:  # a slash command must never end the session
        print_error(session.console, describe(error, context=f"/{name.lower()}"))
        return True


def run_cli(arguments: list[str]) -> int:
    """Run `commission ARGUMENTS...` in this process and return its exit status.

    The command line is found as a shell finds it, through the `commission` console script, so this module
    imports no `assistant.cli` (which imports the chat, which imports this module).
    """
    from importlib import import_module
    from importlib.metadata import entry_points

    from typer.main import get_command

    (script,) = entry_points(group="console_scripts", name="commission")
    command = get_command(import_module(script.module).app)
    try:
        command.main(args=arguments, prog_name="commission", standalone_mode=True)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return 0


def _cli(command: str) -> Handler:
    def run(session: ChatSession, arguments: list[str]) -> bool:
        agreed = _agreed_to_write(session, arguments)
        if agreed is not None:
            run_cli([command, *agreed])
        return True

    return run


def _agreed_to_write(session: ChatSession, arguments: list[str]) -> list[str] | None:
    """The arguments to run, once the officer has agreed to the file `--out` writes (and to replacing one
    that exists, which adds `--force`); None when they said no."""
    at = next((i for i, word in enumerate(arguments) if word == "--out" or word.startswith("--out=")), None)
    if at is None or "--help" in arguments:
        return arguments
    named = arguments[at].partition("=")[2] or (arguments[at + 1] if at + 1 < len(arguments) else "")
    if not named:
        return arguments  # the command itself says --out needs a file
    path = Path(named)
    if not session.confirm(f"Write {path}?"):
        session.console.print("Nothing written.")
        return None
    if path.exists() and "--force" not in arguments:
        if not session.confirm(f"{path} already exists. Replace it?"):
            session.console.print("Nothing written.")
            return None
        return [*arguments, "--force"]
    return arguments


def _search(session: ChatSession, arguments: list[str]) -> bool:
    """The words before the first option are the query, so `/search estates pass through -k 3` works."""
    words = []
    while arguments and not arguments[0].startswith("-"):
        words.append(arguments.pop(0))
    run_cli(["search", *([" ".join(words)] if words else []), *arguments])
    return True


def _help(session: ChatSession, arguments: list[str]) -> bool:
    from rich.markdown import Markdown

    session.console.print(Markdown(help_text()))
    return True


def _tools(session: ChatSession, arguments: list[str]) -> bool:
    from assistant.console import safe

    for spec in session.tools:
        summary = " ".join(spec.brief.split())
        session.console.print(safe(spec.name, "bold") + safe(f" — {summary}"), highlight=False)
    return True


def _sources(session: ChatSession, arguments: list[str]) -> bool:
    from rich.markdown import Markdown

    from assistant.console import clean

    if not session.last_sources:
        session.console.print("The last answer drew on no passages from the papers.")
        return True
    shown = "\n\n".join(source.to_markdown() for source in session.last_sources)
    session.console.print(Markdown(clean(shown)))
    return True


def _save(session: ChatSession, arguments: list[str]) -> bool:
    if session.transcript is None:
        session.console.print("Nothing to save yet: ask a question first.")
        return True
    default = f"conversation-{session.transcript.id}.md"
    _write(session, Path(arguments[0] if arguments else default), conversation_markdown(session.records))
    return True


def _export(session: ChatSession, arguments: list[str]) -> bool:
    if not arguments or arguments[0] not in ("md", "docx"):
        session.console.print("Usage: /export md|docx [FILE]")
        return True
    if not session.last_answer:
        session.console.print("There is no answer to export yet.")
        return True
    from assistant.chat_export import answer_markdown, markdown_to_docx
    from assistant.transcripts import turns

    kind = arguments[0]
    path = Path(arguments[1] if len(arguments) > 1 else f"answer-{datetime.now():%Y%m%d-%H%M%S}.{kind}")
    asked = turns(session.records)
    question = asked[-1].question if asked else None
    exported = answer_markdown(question, session.last_answer, session.last_sources)
    _write(session, path, markdown_to_docx(exported) if kind == "docx" else exported)
    return True


def _write(session: ChatSession, path: Path, content: str | bytes) -> None:
    """Ask first; ask again before replacing a file that exists."""
    from tools.errors import InputError

    if not session.confirm(f"Write {path}?"):
        session.console.print("Nothing written.")
        return
    force = path.exists() and session.confirm(f"{path} already exists. Replace it?")
    if path.exists() and not force:
        session.console.print("Nothing written.")
        return
    try:
        written = write_output(path, content, force=force)
    except InputError as error:
        from assistant.chat import print_error

        print_error(session.console, str(error))
        return
    from assistant.console import safe

    session.console.print(safe(f"Written to {written.resolve()}"))


def _new(session: ChatSession, arguments: list[str]) -> bool:
    session.new_conversation()
    session.console.print("Started a new conversation.")
    return True


def _quit(session: ChatSession, arguments: list[str]) -> bool:
    return False


COMMANDS: dict[str, Handler] = {
    "help": _help,
    "tools": _tools,
    **{command: _cli(command) for command in slash_commands()},
    "search": _search,  # its own handler: the words before the first option are the query
    "sources": _sources,
    "save": _save,
    "export": _export,
    "new": _new,
    "quit": _quit,
    "exit": _quit,
}
