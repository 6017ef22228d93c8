"""The commissioning tools as a Model Context Protocol server, for assistants an organisation already uses.

Every tool in `assistant.registry` is offered as it is to the built-in agent: its name, its description and
its argument schema come from the same `ToolSpec`, so nothing is described twice. A call returns the
result twice over, as structured content (`result_data`) for programs and as Markdown (`result_text`) for
the model and the reader. A tool's own error (an `InputError` for a bad argument, any other
`CommissionError`) comes back as a tool error carrying its one-line message, so the calling model can
correct itself; any other exception, raised while running the tool or turning its result into content, is
a bug and comes back as a tool error saying so and where its traceback was saved. Either way the server
carries on, and no call ends in a protocol error.

On stdio nothing but protocol messages reaches stdout: the tools are imported only once the transport has
taken its own copy of stdout, and while it serves, file descriptor 1 (the `mcp` package's doing) and
Python's `sys.stdout` (ours) both point at stderr, so a stray print from a tool, a library or a child
process cannot corrupt the stream.

Over HTTP the server listens on 127.0.0.1 unless told otherwise, at `/mcp`, and refuses requests whose
Host header names another machine (the `mcp` package's DNS-rebinding protection for loopback servers).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import socket
import sys
from collections.abc import Sequence
from typing import Any, get_type_hints

import anyio
from mcp import types
from mcp.server import Server, ServerRequestContext
from pydantic import BaseModel

from assistant import __version__, errors, registry
from assistant.toolspec import ToolSpec, result_data, result_text
from tools.errors import CommissionError, InputError

SERVER_NAME = "commission"
INSTRUCTIONS = (
    "Tools for English NHS and council commissioning officers: search the bundled commissioning papers, "
    "plan and check procurement timelines, compute funding envelopes, check the regulations that apply and "
    "draft statements of intent. Quote the regulation and source each result gives; values labelled "
    "UNCONFIRMED are assumptions the officer must check."
)
logger = logging.getLogger(__name__)


def build_server(specs: Sequence[ToolSpec] | None = None) -> Server[Any]:
    """An MCP server offering `specs` (by default every registered tool)."""
    by_name = {spec.name: spec for spec in (registry.all_specs() if specs is None else specs)}
    listing = types.ListToolsResult(tools=[describe(spec) for spec in by_name.values()])

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return listing

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        spec = by_name.get(params.name)
        if spec is None:
            return tool_error(f"There is no tool called {params.name!r}; the tools are {', '.join(by_name)}.")
        # Tools are plain blocking functions (the paper search loads a model): keep the event loop free.
        return await anyio.to_thread.run_sync(call, spec, params.arguments or {})

    return Server(
        SERVER_NAME,
        version=__version__,
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        get_tool_input_schema=lambda name: by_name[name].json_schema() if name in by_name else None,
    )


def describe(spec: ToolSpec) -> types.Tool:
    """How a client sees a tool: its description, argument schema and, for a model result, output schema."""
    returns = get_type_hints(spec.function).get("return")
    output_schema = None
    if isinstance(returns, type) and issubclass(returns, BaseModel):
        output_schema = returns.model_json_schema(mode="serialization")
    return types.Tool(
        name=spec.name,
        description=spec.description,
        input_schema=spec.json_schema(),
        output_schema=output_schema,
    )


def call(spec: ToolSpec, arguments: dict[str, Any]) -> types.CallToolResult:
    """Run one tool: its result as structured content and Markdown, or its error as a tool error."""
    try:
        result = spec.invoke(arguments)
        data = result_data(result)
        # Structured content must be a JSON object on the protocol versions clients use today, and
        # strict JSON: a NaN or an infinity here would fail later, as a protocol error.
        structured = data if isinstance(data, dict) else {"result": data}
        json.dumps(structured, allow_nan=False, default=str)
        text = result_text(result)
    except CommissionError as error:
        logger.info("Tool %r refused: %s", spec.name, error)
        return tool_error(errors.describe(error))
    except Exception as error:  # a bug, not the caller's fault: log it, keep serving
        logger.exception("Tool %r failed unexpectedly", spec.name)
        return tool_error(errors.describe(error, context=f"MCP tool {spec.name}"))
    return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=structured)


def tool_error(message: str) -> types.CallToolResult:
    """A tool error the calling model can read and act on: one line."""
    return types.CallToolResult(content=[types.TextContent(text=" ".join(message.split()))], is_error=True)


def run_stdio() -> None:
    """Serve on stdio until the client closes it."""
    if sys.stdin.isatty():
        announce("commission MCP server on stdio: waiting for an MCP client (Ctrl-C stops).")
    anyio.run(serve_stdio)


def run_http(host: str, port: int) -> None:
    """Serve streamable HTTP on `host:port` until interrupted, saying where on stderr."""
    sock = listen(host, port)
    host = sock.getsockname()[0]
    if not ipaddress.ip_address(host).is_loopback:
        announce(f"Warning: {host} can be reached from other machines, and the server has no login.")
    url_host = f"[{host}]" if ":" in host else host
    announce(
        f"commission MCP server listening on http://{url_host}:{sock.getsockname()[1]}/mcp (Ctrl-C stops)."
    )
    anyio.run(serve_http, sock)


async def serve_stdio() -> None:
    """Serve on stdin and stdout until the client closes them."""
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read_stream, write_stream):
        # The transport writes to its own copy of stdout; anything printed while serving, even from a
        # library imported by `build_server`, goes to stderr instead of sitting in a buffer for the wire.
        with contextlib.redirect_stdout(sys.stderr):
            server = build_server()
            await server.run(read_stream, write_stream, server.create_initialization_options())


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on `host:port` (port 0 picks a free one), or a one-line error saying what to fix."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as error:
        raise InputError(
            f"--host {host!r}: {error.strerror or error}; give an address of this machine, such as 127.0.0.1"
        ) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen()
    except OSError as error:
        sock.close()
        raise CommissionError(
            f"cannot listen on {host}:{port}: {error.strerror}; choose another --port"
        ) from None
    return sock


async def serve_http(sock: socket.socket) -> None:
    """Serve streamable HTTP at `/mcp` on a listening socket until interrupted."""
    import uvicorn

    # Given a loopback host, the mcp package also refuses requests naming other hosts (DNS rebinding).
    app = build_server().streamable_http_app(host=sock.getsockname()[0])
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    await uvicorn.Server(config).serve(sockets=[sock])


def announce(message: str) -> None:
    """A note for the person who started the server, on stderr (stdout may belong to the protocol)."""
    print(message, file=sys.stderr, flush=True)
