"""Where the tools are registered, for the agent, the MCP server, `commission tools` and the slash commands.

A tool is declared once: a plain typed function, with its title and what a host may assume about it
(`ToolHints`). The built-in tools are registered below, package by package, each package with the
`commission` command that runs it from the chat (`/timeline ...`) and the lines `/help` shows for it.
Other packages add tools as `llm` plugins do: an entry point in the `commission.tools` group naming a
module with a `register_tools(register)` function (or that function itself), which calls
`register(function, title=...)` for each tool::

    [project.entry-points."commission.tools"]
    my_tools = "my_tools"

`COMMISSION_LOAD_PLUGINS` (environment or `COMMISSION_HOME/.env`) limits which entry points load (names,
comma-separated; empty for none), so a test or a cautious organisation can keep to the built-in tools.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib import import_module, metadata
from typing import Any

from assistant.config import Settings
from assistant.toolspec import ToolHints, ToolSpec, spec_for

ENTRY_POINT_GROUP = "commission.tools"
LOAD_VARIABLE = "COMMISSION_LOAD_PLUGINS"
BUILT_IN = "commission"


@dataclass(frozen=True)
class ToolPackage:
    """A package of built-in tools, the `commission` command that runs them and how `/help` shows it."""

    module: str
    command: str
    help: tuple[tuple[str, str], ...]
    titles: dict[str, str]


PACKAGES = (
    ToolPackage(
        "assistant.retrieval.tool",
        "search",
        (("/search WORDS [-k N] [--paper NAME]", "Search the papers."),),
        {"search_papers": "Search the commissioning papers"},
    ),
    ToolPackage(
        "tools.timeline",
        "timeline",
        (
            (
                "/timeline plan --route ROUTE --go-live DATE",
                "Plan a procurement timeline (`/timeline --help` for more).",
            ),
            ("/timeline check FILE", "Check a proposed timeline."),
        ),
        {
            "list_routes": "List the procurement routes",
            "plan_timeline": "Plan a procurement timeline",
            "check_timeline": "Check a procurement timeline",
        },
    ),
    ToolPackage(
        "tools.envelope",
        "envelope",
        (
            (
                "/envelope FILE` · `/envelope capitation ...` · `/envelope gainshare ...",
                "Envelopes and payments.",
            ),
        ),
        {
            "compute_envelope": "Compute a funding envelope",
            "capitation": "Work out capitation payments",
            "gain_loss_share": "Share a gain or a loss",
        },
    ),
    ToolPackage(
        "tools.checklist",
        "checklist",
        (
            (
                "/checklist monitor FILE` · `/checklist regime ...` · `/checklist psr ...",
                "Regulation checklists.",
            ),
        ),
        {
            "check_monitor_questions": "Check a paper against the Monitor questions",
            "which_regime": "Find the procurement regime that applies",
            "psr_route": "Choose a Provider Selection Regime process",
            "check_modification": "Check a contract modification",
        },
    ),
    ToolPackage(
        "tools.intent",
        "intent",
        (("/intent template` · `/intent draft FILE", "Draft a statement of intent."),),
        {"draft_statement_of_intent": "Draft a statement of intent"},
    ),
)
TOOL_PACKAGES = tuple(package.module for package in PACKAGES)


class Registrar:
    """The `register` a plugin's `register_tools` is given: collects its tools, each with its origin."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.specs: list[ToolSpec] = []

    def __call__(
        self,
        function: Callable[..., Any],
        *,
        title: str | None = None,
        read_only: bool = True,
        destructive: bool = False,
        idempotent: bool = True,
        open_world: bool = False,
    ) -> None:
        hints = ToolHints(title, read_only, destructive, idempotent, open_world)
        self.specs.append(replace(spec_for(function), hints=hints, origin=self.origin))


def register_tools(register: Registrar) -> None:
    """The built-in tools, registered as a plugin registers its own."""
    for package in PACKAGES:
        for function in import_module(package.module).AGENT_TOOLS:
            register(function, title=package.titles.get(function.__name__))


class _PluginSettings(Settings):
    load_plugins: str | None = None


def plugin_entry_points() -> Iterator[metadata.EntryPoint]:
    """The `commission.tools` entry points installed, limited by `COMMISSION_LOAD_PLUGINS` when set."""
    wanted = _PluginSettings().load_plugins
    allowed = None if wanted is None else {name.strip() for name in wanted.split(",") if name.strip()}
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if allowed is None or entry_point.name in allowed:
            yield entry_point


def load_plugin(entry_point: metadata.EntryPoint) -> list[ToolSpec]:
    """The tools one entry point registers.

    Raises:
        ConfigError: the plugin cannot be imported or fails while registering its tools.
    """
    from assistant.errors import ConfigError

    origin = entry_point.dist.name if entry_point.dist is not None else entry_point.value.split(":")[0]
    register = Registrar(origin)
    try:
        loaded = entry_point.load()
        hook = getattr(loaded, "register_tools", loaded)
        hook(register)
    except Exception as error:
        raise ConfigError(
            f"tool plugin {entry_point.name!r} ({origin}) failed to load: {error}; uninstall it, or leave "
            f"it out with {LOAD_VARIABLE}"
        ) from error
    return register.specs


@cache
def all_specs() -> tuple[ToolSpec, ...]:
    """Every registered tool: the built-in ones in registration order, then each plugin's."""
    built_in = Registrar(BUILT_IN)
    register_tools(built_in)
    specs = list(built_in.specs)
    for entry_point in plugin_entry_points():
        specs.extend(load_plugin(entry_point))
    names = [spec.name for spec in specs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        from assistant.errors import ConfigError

        clashes = "; ".join(
            f"{name} (from {', '.join(spec.origin for spec in specs if spec.name == name)})"
            for name in duplicates
        )
        raise ConfigError(
            f"two tools share a name: {clashes}; uninstall one, or leave it out with {LOAD_VARIABLE}"
        )
    return tuple(specs)


def get_spec(name: str) -> ToolSpec | None:
    return next((spec for spec in all_specs() if spec.name == name), None)


def slash_help() -> list[tuple[str, str]]:
    """The `/help` rows of the commands that run the built-in tools: (usage, what it does)."""
    return [row for package in PACKAGES for row in package.help]


def slash_commands() -> tuple[str, ...]:
    """The `commission` commands that run the built-in tools, each a slash command of the same name."""
    return tuple(package.command for package in PACKAGES)
