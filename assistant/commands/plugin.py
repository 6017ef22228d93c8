"""The tools for other assistants: `commission mcp` serves them over MCP, `commission tools` lists them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from tools.errors import InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
ALLOW_DIR_HELP = (
    "A folder whose files tools may read (repeatable; also COMMISSION_ALLOW_DIRS). Besides these, only the "
    "folders the client declares as its roots; with none, tools take text only."
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("mcp")(mcp)
    app.command("tools")(list_tools)


def mcp(
    http: bool = typer.Option(False, "--http", help="Serve streamable HTTP instead of stdio."),
    host: str = typer.Option(
        DEFAULT_HOST,
        help="With --http: the address to listen on (this machine only by default; an address other "
        "machines can reach needs COMMISSION_MCP_TOKEN).",
    ),
    port: int = typer.Option(
        DEFAULT_PORT, min=0, max=65535, help="With --http: the port (0 picks a free one)."
    ),
    allow_dir: Annotated[list[Path] | None, typer.Option("--allow-dir", help=ALLOW_DIR_HELP)] = None,
) -> None:
    """Serve the tools to another assistant over the Model Context Protocol (stdio unless --http)."""
    from assistant import mcp_server

    if not http and (host != DEFAULT_HOST or port != DEFAULT_PORT):
        raise InputError("--host and --port apply only with --http; add --http to serve over HTTP")
    folders = mcp_server.configured_folders(allow_dir or [])
    try:
        if http:
            mcp_server.run_http(host, port, token=mcp_server.configured_token(), allow_dirs=folders)
        else:
            mcp_server.run_stdio(allow_dirs=folders)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def list_tools(
    as_json: bool = typer.Option(
        False, "--json", help="Print a JSON list of {name, title, origin, description, input_schema}."
    ),
) -> None:
    """List the tools other assistants and the built-in agent can call, with their arguments."""
    from assistant import registry

    specs = registry.all_specs()
    if as_json:
        listing = [
            {
                "name": s.name,
                "title": s.title,
                "origin": s.origin,
                "description": s.description,
                "input_schema": s.json_schema(),
            }
            for s in specs
        ]
        typer.echo(json.dumps(listing, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    from assistant.console import console, safe

    table = Table(title="Tools for other assistants (commission mcp) and the built-in agent", show_lines=True)
    table.add_column("Tool", style="bold", no_wrap=True)
    table.add_column("From", no_wrap=True)
    table.add_column("What it does", ratio=3)
    table.add_column("Arguments (* required)", ratio=4)
    for spec in specs:
        summary = " ".join(spec.description.split("\n\n")[0].split())
        table.add_row(
            safe(spec.name), safe(spec.origin), safe(summary), safe(describe_arguments(spec.json_schema()))
        )
    console.print(table)


def describe_arguments(schema: dict[str, Any]) -> str:
    """One line per argument: `name* (type): description`."""
    required = set(schema.get("required", ()))
    lines = []
    for name, field in schema.get("properties", {}).items():
        star = "*" if name in required else ""
        lines.append(
            f"{name}{star} ({type_label(field, schema.get('$defs', {}))}): {field.get('description', '')}"
        )
    return "\n".join(lines) or "(none)"


def type_label(field: dict[str, Any], defs: dict[str, Any]) -> str:
    """A short, readable name for a JSON-schema type: `date`, `list of text`, `open | restricted`."""
    if "$ref" in field:
        name = field["$ref"].rsplit("/", 1)[-1]
        return type_label(defs[name], defs) if "enum" in defs.get(name, {}) else name
    if "enum" in field:
        return " | ".join(str(value) for value in field["enum"])
    if "const" in field:
        return str(field["const"])
    if "anyOf" in field:
        labels = [type_label(option, defs) for option in field["anyOf"] if option.get("type") != "null"]
        if "number" in labels and "text" in labels:  # a Decimal: a number, which may be written as text
            labels.remove("text")
        return " or ".join(dict.fromkeys(labels))
    if field.get("type") == "array":
        return f"list of {type_label(field.get('items', {}), defs)}"
    names = {
        "string": "text",
        "integer": "whole number",
        "number": "number",
        "boolean": "yes/no",
        "object": "object",
    }
    return field.get("format") or names.get(field.get("type", ""), "any")
