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

Over HTTP the server listens on 127.0.0.1 unless told otherwise, at `/mcp`, and refuses any request whose
Host or Origin header names another address than the one it listens on (DNS rebinding: a web page must
not reach the server through a name its author controls). On a loopback address it is open to this
machine's programs, as stdio is. On any other address it needs `COMMISSION_MCP_TOKEN`, and it refuses to
start without one; once set (on any address), a request without `Authorization: Bearer TOKEN` gets 401.
A wildcard address (0.0.0.0, ::) is refused: no Host header could be checked against it.
"""

from __future__ import annotations

import contextlib
import hmac
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
from mcp.server.transport_security import TransportSecuritySettings
from pydantic import BaseModel, SecretStr

from assistant import __version__, errors, registry
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.toolspec import ToolSpec, result_data, result_text
from tools.errors import CommissionError, InputError

SERVER_NAME = "commission"
INSTRUCTIONS = (
    "Tools for English NHS and council commissioning officers: search the bundled commissioning papers, "
    "plan and check procurement timelines, compute funding envelopes, check the regulations that apply and "
    "draft statements of intent. Quote the regulation and source each result gives; values labelled "
    "UNCONFIRMED are assumptions the officer must check."
)
TOKEN_VARIABLE = "COMMISSION_MCP_TOKEN"
TOKEN_MIN_LENGTH = 32
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
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


def run_http(host: str, port: int, *, token: str | None = None) -> None:
    """Serve streamable HTTP on `host:port` until interrupted, saying where on stderr.

    Args:
        host: the address to listen on; one that is not loopback needs `token`.
        port: the port (0 picks a free one).
        token: the bearer token every request must carry (`COMMISSION_MCP_TOKEN`), or None for none.
    """
    check_access(host, token)
    sock = listen(host, port)
    host, port = sock.getsockname()[:2]
    announce(f"commission MCP server listening on http://{_bracketed(host)}:{port}/mcp (Ctrl-C stops).")
    if token:  # after the line above, which clients and tests wait for
        reach = "This machine only" if is_loopback(host) else f"{host} can be reached from other machines"
        announce(
            f"{reach}: every request must send Authorization: Bearer with the value of {TOKEN_VARIABLE}."
        )
    anyio.run(serve_http, sock, token)


def configured_token() -> str | None:
    """`COMMISSION_MCP_TOKEN` from the environment or `COMMISSION_HOME/.env`, or None when unset."""
    secret = _TokenSettings().mcp_token
    value = secret.get_secret_value().strip() if secret else ""
    return value or None


class _TokenSettings(Settings):
    mcp_token: SecretStr | None = None


def check_access(host: str, token: str | None) -> None:
    """Refuse, before listening, an address no request can be checked against, or one open to others.

    Raises:
        InputError: `host` is a wildcard address (0.0.0.0, ::).
        ConfigError: `host` is not loopback and there is no token, or the token is too short.
    """
    address = _address(host)
    if address is not None and address.is_unspecified:
        raise InputError(
            f"--host {host}: listens on every address, so no request's Host header can be checked; "
            "give one address of this machine"
        )
    advice = f"set {TOKEN_VARIABLE} to a long random value; clients send it as Authorization: Bearer <value>"
    if token is not None and len(token) < TOKEN_MIN_LENGTH:
        raise ConfigError(f"{TOKEN_VARIABLE} is shorter than {TOKEN_MIN_LENGTH} characters: {advice}")
    if token is None and not is_loopback(host):
        raise ConfigError(f"--host {host} can be reached from other machines: {advice}")


def is_loopback(host: str) -> bool:
    """Whether `host` (an address or a name) means this machine only."""
    address = _address(host)
    if address is not None:
        return address.is_loopback
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    except OSError:
        return False  # `listen` names the problem
    return bool(found) and all(ipaddress.ip_address(str(address)).is_loopback for address in found)


def transport_security(host: str, port: int) -> TransportSecuritySettings:
    """The Host and Origin headers a request may carry to a server listening on `host:port`.

    The address itself with its port; on loopback, also the other names for this machine.
    """
    names = [host, *(LOOPBACK_NAMES if ipaddress.ip_address(host).is_loopback else ())]
    hosts = []
    for name in dict.fromkeys(names):
        hosts.append(f"{_bracketed(name)}:{port}")
        if port == 80:  # a client may leave the default port out
            hosts.append(_bracketed(name))
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=hosts,
        allowed_origins=[f"{scheme}://{name}" for name in hosts for scheme in ("http", "https")],
    )


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`host` as an IP address, or None when it is a name."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


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


async def serve_http(sock: socket.socket, token: str | None = None) -> None:
    """Serve streamable HTTP at `/mcp` on a listening socket until interrupted."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    app: Any = build_server().streamable_http_app(
        host=host, transport_security=transport_security(host, port)
    )
    if token:
        app = BearerToken(app, token)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    await uvicorn.Server(config).serve(sockets=[sock])


class BearerToken:
    """ASGI middleware: an HTTP request without `Authorization: Bearer TOKEN` gets 401 and goes no further."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan" and not self.authorised(scope):
            from starlette.responses import PlainTextResponse

            refusal = PlainTextResponse(
                f"Send Authorization: Bearer with the value of {TOKEN_VARIABLE}.",
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="commission"'},
            )
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def authorised(self, scope: Any) -> bool:
        header = dict(scope.get("headers") or ()).get(b"authorization", b"")
        scheme, _, given = bytes(header).partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token)


def announce(message: str) -> None:
    """A note for the person who started the server, on stderr (stdout may belong to the protocol)."""
    print(message, file=sys.stderr, flush=True)
