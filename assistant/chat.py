"""`commission chat`: the terminal conversation, with a model or without one.

With a model, each question runs the agent: tool calls are shown as they run and the answer streams in
as rendered Markdown. With no model configured (offline mode) the chat says so and answers with the best
passages. Either way every tool works by slash command (`assistant.slash`), each turn is saved as it
happens (`assistant.transcripts`), and Ctrl-C stops the current answer, never the session. An error, known
or a bug, is one line (`assistant.errors.describe`) and the chat carries on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

from assistant.citations import Source
from assistant.config import Settings
from assistant.console import clean, safe
from assistant.errors import describe
from assistant.events import AnswerDelta, Event, Notice, ToolFinished, ToolStarted, TurnFinished
from assistant.offline import NO_MODEL, answer_offline
from assistant.transcripts import Transcript, find_conversation, read_records, retrieved_sources, turns

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.agent import Agent
    from assistant.toolspec import ToolSpec

PROMPT = "› "


class ChatSession:
    """One chat: the model (or none), the conversation so far and where it is saved."""

    def __init__(
        self,
        settings: Settings,
        *,
        console: Console,
        confirm: Callable[[str], bool],
        tools: Sequence[ToolSpec],
        model: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings
        self.console = console
        self.confirm = confirm
        self.tools = tuple(tools)
        """The tools the model is offered and `/tools` lists."""
        self.model = model
        self.transcript: Transcript | None = None
        self.records: list[dict[str, Any]] = []
        self.retrieved: list[Source] = []
        self.last_answer = ""
        self.last_sources: list[Source] = []
        self._agent: Agent | None = None

    # ---- the conversation -------------------------------------------------------------------------
    def new_conversation(self) -> None:
        self.transcript, self.records, self.retrieved, self._agent = None, [], [], None
        self.last_answer, self.last_sources = "", []

    def resume(self, path: Path) -> None:
        """Continue the saved conversation in `path`."""
        self.records = read_records(path)
        self.transcript = Transcript(path, secrets=self._secrets())
        self.retrieved = retrieved_sources(self.records)
        asked = turns(self.records)
        count = f"{len(asked)} question{'' if len(asked) == 1 else 's'}"
        self.console.print(f"[bold]Resuming conversation {path.stem}[/] ({count} so far).")
        if asked:
            last = asked[-1]
            self.console.print(Text("Last question: ", style="dim") + safe(last.question))
            self.last_answer = last.answer
            by_label = {source.label: source for source in self.retrieved}
            self.last_sources = [by_label[label] for label in last.sources if label in by_label]
            if last.answer:
                self.console.print(Markdown(clean(last.answer)))

    def record(self, record: dict[str, Any]) -> None:
        """Save one record now; the conversation file is made when there is something to save."""
        if self.transcript is None:
            model = self.settings.llm_model if self.model is not None else "offline"
            folder = self.settings.conversations_dir
            self.transcript = Transcript.new(folder, secrets=self._secrets(), model=model)
        self.transcript.write(record)
        self.records.append(record)

    def _secrets(self) -> list[str]:
        key = self.settings.llm_api_key
        return [key.get_secret_value()] if key else []

    # ---- answering --------------------------------------------------------------------------------
    def ask(self, question: str) -> None:
        """Answer a question with the model, or with passages when there is none."""
        try:
            if self.model is None:
                self._answer_offline(question)
            else:
                self._answer_with_model(question)
        except Exception as error:  # a failed answer, even a bug, must not end the chat
            print_error(self.console, describe(error, context="chat"))

    def _answer_offline(self, question: str) -> None:
        found = answer_offline(question)
        sources = found.sources
        self.record({"type": "message", "role": "user", "content": question})
        self.record({"type": "sources", "sources": [source.to_dict() for source in sources]})
        self.record({"type": "answer", "sources": [source.label for source in sources], "offline": True})
        self.record({"type": "message", "role": "assistant", "content": found.markdown, "offline": True})
        self.last_answer, self.last_sources = found.markdown, sources
        self.console.print(Markdown(clean(found.markdown)))

    @property
    def agent(self) -> Agent:
        if self._agent is None:
            from assistant.agent import Agent
            from assistant.messages import messages_from_records
            from assistant.toolkit import get_tools

            assert self.model is not None
            self._agent = Agent(
                self.model,
                get_tools(self.tools),
                max_tool_rounds=self.settings.agent_max_tool_rounds,
                history=messages_from_records(self.records),
                sources=self.retrieved,
                on_record=self.record,
            )
        return self._agent

    def _answer_with_model(self, question: str) -> None:
        view = _StreamingAnswer(self.console)
        events = self.agent.stream(question)
        try:
            for event in events:
                self._show(event, view)
        except KeyboardInterrupt:
            events.close()
            view.stop()
            self.console.print("[yellow]Stopped.[/] Ask again, or type /help.")
        finally:
            view.stop()

    def _show(self, event: Event, view: _StreamingAnswer) -> None:
        if isinstance(event, AnswerDelta):
            view.add(event.text)
        elif isinstance(event, ToolStarted):
            view.stop()
            self.console.print(safe(f"⚙ {event.brief()}", "cyan"), highlight=False)
        elif isinstance(event, ToolFinished):
            mark = "[green]✓[/]" if event.ok else "[red]✗[/]"
            self.console.print(f"  {mark} ", end="")
            self.console.print(safe(event.summary), highlight=False)
        elif isinstance(event, Notice):
            view.stop()
            self.console.print(safe(event.text, "yellow"))
        elif isinstance(event, TurnFinished):
            view.finish(event.result.answer)
            self.last_answer, self.last_sources = event.result.answer, event.result.sources


def print_error(console: Console, message: str) -> None:
    """`Error: message`, the word in red; the message as it is, less terminal controls, never as markup."""
    console.print(Text.assemble(("Error:", "red"), " ", clean(message)), highlight=False, soft_wrap=True)


class _StreamingAnswer:
    """Markdown re-rendered in place as tokens arrive, then printed once, whole.

    While it streams, only the lines that fit the terminal are shown (the newest): a live region taller
    than the screen cannot be redrawn in place, and every refresh would leave a copy of the lines that
    scrolled off (rich's `vertical_overflow="visible"`). When the answer ends, or a tool call or Ctrl-C
    interrupts it, the live region is cleared and the text printed once, in full.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.text = ""
        self.live: Any = None

    def add(self, text: str) -> None:
        from rich.live import Live

        self.text += text
        if self.live is None:
            self.live = Live(
                console=self.console, refresh_per_second=10, vertical_overflow="crop", transient=True
            )
            self.live.start()
        self.live.update(_Tail(Markdown(clean(self.text))))

    def finish(self, answer: str) -> None:
        self.text = answer
        self.stop()

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()
        if self.text.strip():
            self.console.print(Markdown(clean(self.text)))
        self.live, self.text = None, ""


class _Tail:
    """A renderable's last lines, as many as fit the terminal less one (the line the cursor sits on)."""

    def __init__(self, renderable: Any) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: Any) -> Any:
        from rich.segment import Segment

        lines = console.render_lines(self.renderable, options.update(height=None), pad=False)
        for line in lines[-max(1, console.size.height - 1) :]:
            yield from line
            yield Segment.line()


def configured_model(settings: Settings) -> BaseChatModel | None:
    """The configured model, or None in offline mode, which then starts without importing langchain."""
    if not settings.model_configured:
        return None
    from assistant.agent import load_model

    return load_model(settings)


def start_chat(settings: Settings, *, resume: bool = False, conversation: str | None = None) -> None:
    """Run the chat until /quit or Ctrl-D."""
    from assistant.console import console
    from assistant.registry import all_specs
    from assistant.slash import handle_line

    model = configured_model(settings)
    saved = find_conversation(settings.conversations_dir, conversation) if resume or conversation else None
    prompts = _prompt_sessions(settings.home)
    session = ChatSession(
        settings,
        console=console,
        confirm=lambda q: _confirm(prompts[1], q),
        tools=all_specs(),
        model=model,
    )
    _welcome(session)
    if saved:
        session.resume(saved)
    while True:
        try:
            line = prompts[0].prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        try:
            if not handle_line(session, line):
                break
        except KeyboardInterrupt:  # Ctrl-C stops what was running, never the session
            console.print("[yellow]Stopped.[/]")
    console.print("Goodbye.")


def _welcome(session: ChatSession) -> None:
    console, settings = session.console, session.settings
    console.print("[bold]commission chat[/] — ask about the commissioning papers, or type /help.")
    console.print(
        "[dim]Ctrl-C stops an answer; /quit or Ctrl-D leaves. Conversations are saved as you go.[/]"
    )
    if session.model is None:
        console.print(f"[yellow]{NO_MODEL}[/]")
        console.print("[dim]Every tool works by slash command: /timeline, /envelope, /checklist, /intent.[/]")
    else:
        from assistant.llm.endpoint import without_credentials

        where = without_credentials(settings.llm_base_url or "")
        console.print(f"[dim]Model: {settings.llm_model or '(default)'} at {where}[/]")
    _check_index(session)


def _check_index(session: ChatSession) -> None:
    """Offer to build a missing index (with its progress bar) rather than fail at the first question."""
    from assistant.retrieval.store import Store
    from assistant.slash import run_cli

    if session.settings.chroma_url or Store(session.settings).current_generation() is not None:
        return
    session.console.print("[yellow]The paper index has not been built yet, so papers cannot be searched.[/]")
    if session.confirm("Build it now? It takes about half a minute."):
        run_cli(["index"])
    else:
        session.console.print("Run `commission index` when you are ready; the tools work without it.")


def _prompt_sessions(home: Path) -> tuple[Any, Any]:
    """The question prompt (history in COMMISSION_HOME, Esc Enter for a new line) and a yes/no prompt."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("escape", "enter")
    def _new_line(event: Any) -> None:
        event.current_buffer.insert_text("\n")

    from assistant.transcripts import private_file

    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    history = FileHistory(str(private_file(home / "chat_history")))  # what was typed: owner only
    return PromptSession(history=history, key_bindings=bindings), PromptSession()


def _confirm(prompt: Any, question: str) -> bool:
    with contextlib.suppress(KeyboardInterrupt, EOFError):
        return str(prompt.prompt(f"{question} [y/N] ")).strip().lower() in {"y", "yes"}
    return False
