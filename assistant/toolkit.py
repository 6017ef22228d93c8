"""The commissioning tools as langchain-core tools, for the built-in agent and for any LangChain agent.

Each `ToolSpec` is wrapped once, as a `StructuredTool` offered to the model in its lean form: the
docstring's first paragraph (when to use the tool) and the lean argument schema (`assistant.lean_schema`),
so a small model's context window holds the tools and still has room for the papers. Every call is
validated against the spec's full pydantic model, and a refusal names the field and what to fix.
Results come back as `content_and_artifact`: readable Markdown for the model, the tool's own result
object as the artifact (the agent collects the passages the paper search returned from it).

A bad argument, or any other known problem a person or model can act on (`CommissionError`), becomes a
tool message with status "error" that the model can read and correct; any other exception, a bug, becomes
one too, saying so and where its traceback was saved (`assistant.errors.unexpected`). `.invoke()` never
raises, so no tool ends the caller's run::

    from assistant.toolkit import get_tools
    tools = get_tools()                 # every registered tool
    model.bind_tools(tools)

A file named in a tool argument is read as the officer's own terminal reads it, unless `allow_dirs` is
given: then only files inside those folders are read (`tools.file_access`), and `allow_dirs=[]` means
text only. Give it whenever the agent's arguments come from someone other than the officer.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool, ToolException

from assistant.errors import describe
from assistant.render import markdown
from assistant.toolspec import ToolSpec
from tools.errors import InputError
from tools.file_access import allowed_folders, normalise


def get_tools(
    specs: Iterable[ToolSpec] | None = None, *, allow_dirs: Iterable[Path | str] | None = None
) -> list[BaseTool]:
    """Every registered tool (or the given specs) as a langchain-core `BaseTool`.

    Args:
        specs: the tools; every registered tool when None.
        allow_dirs: the only folders tool arguments may name files in (empty: text only); None reads any
            file, as the officer's own terminal does.
    """
    if specs is None:
        from assistant.registry import all_specs

        specs = all_specs()
    folders = None if allow_dirs is None else normalise(allow_dirs)
    return [as_langchain_tool(spec, folders=folders) for spec in specs]


def as_langchain_tool(spec: ToolSpec, *, folders: tuple[Path, ...] | None = None) -> StructuredTool:
    """One spec as a `StructuredTool` whose errors go back to the model as tool messages."""

    def run(**arguments: Any) -> tuple[str, Any]:
        try:
            validated = spec.validate(arguments)
        except InputError as error:
            raise ToolException(
                f"Error: {error}. Correct the arguments and call {spec.name} again."
            ) from error
        try:
            with allowed_folders(folders):
                result = spec.call(validated)
            return markdown(result), result
        except Exception as error:  # a known error or a bug alike goes back to the model, never up the run
            raise ToolException(f"Error: {describe(error, context=f'tool {spec.name}')}") from error

    return StructuredTool.from_function(
        func=run,
        name=spec.name,
        description=spec.brief,
        args_schema=spec.lean_schema(),
        infer_schema=False,
        response_format="content_and_artifact",
        handle_tool_error=True,
    )
