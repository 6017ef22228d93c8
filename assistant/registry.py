"""Where the tools are registered: a new tool joins the agent, the MCP server and `commission tools` here.

Each package named in `TOOL_PACKAGES` exposes `AGENT_TOOLS`, a list of plain functions. The paper search
lives beside the retrieval code because it needs the index.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from assistant.toolspec import ToolSpec, spec_for

TOOL_PACKAGES = (
    "assistant.retrieval.tool",
    "tools.timeline",
    "tools.envelope",
    "tools.checklist",
    "tools.intent",
)


@cache
def all_specs() -> tuple[ToolSpec, ...]:
    """Every registered tool, in registration order."""
    specs: list[ToolSpec] = []
    for package in TOOL_PACKAGES:
        specs.extend(spec_for(function) for function in import_module(package).AGENT_TOOLS)
    names = [spec.name for spec in specs]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise RuntimeError(f"two tools share a name: {', '.join(sorted(duplicates))}")
    return tuple(specs)


def get_spec(name: str) -> ToolSpec | None:
    return next((spec for spec in all_specs() if spec.name == name), None)
