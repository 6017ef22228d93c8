"""The commissioning tools as a Model Context Protocol server, for assistants an organisation already uses.

Every tool in `assistant.registry` is offered as it is to the built-in agent: its name, title, annotations,
description and argument schema come from the same `ToolSpec`, so nothing is described twice. A call
returns the result as structured content (`assistant.render.data`, matching the tool's output schema), as
Markdown (`assistant.render.markdown`) for the model and the reader, and as the same JSON in a second text
block, for clients that hand a model only text. A tool argument may name a file only inside the client's
roots and the folders given with `--allow-dir` (`tools.file_access`). The papers, prompts and completions
are in `assistant.mcp_extras`. A tool's own error (an `InputError` for a bad argument, any other
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
import os
import re
import socket
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

import anyio
from mcp import types
from mcp.server import Server, ServerRequestContext
from mcp.server.transport_security import TransportSecuritySettings
from mcp.shared.exceptions import MCPDeprecationWarning, NoBackChannelError
from pydantic import BaseModel, SecretStr, TypeAdapter

from assistant import __version__, errors, registry, render
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.toolspec import ToolSpec
from tools.errors import CommissionError, InputError
from tools.file_access import allowed_folders, normalise

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
ROOTS_REQUEST = "roots"
logger = logging.getLogger(__name__)


def build_server(
    specs: Sequence[ToolSpec] | None = None, *, allow_dirs: Sequence[Path | str] = ()
) -> Server[Any]:
    """An MCP server offering `specs` (by default every registered tool), the papers and three prompts.

    Args:
        specs: the tools to offer; every registered tool when None.
        allow_dirs: folders a tool argument may name files in, besides the roots the client declares.
    """
    by_name = {spec.name: spec for spec in (registry.all_specs() if specs is None else specs)}
    listing = types.ListToolsResult(tools=[describe(spec) for spec in by_name.values()])
    folders = normalise(allow_dirs)
    index = _IndexLoader()

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return listing

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult | types.InputRequiredResult:
        spec = by_name.get(params.name)
        if spec is None:
            return tool_error(f"There is no tool called {params.name!r}; the tools are {', '.join(by_name)}.")
        roots = await client_roots(ctx, params)
        if isinstance(roots, types.InputRequiredResult):
            return roots
        shared = (*folders, *roots)
        if spec.name == "search_papers":
            await index.load(ctx)
        # Tools are plain blocking functions (the paper search loads a model): keep the event loop free.
        return await anyio.to_thread.run_sync(call, spec, params.arguments or {}, shared)

    from assistant import mcp_extras

    with warnings.catch_warnings():
        # Logging is deprecated by the protocol's next version; today's clients still use it.
        warnings.simplefilter("ignore", MCPDeprecationWarning)
        return Server(
            SERVER_NAME,
            version=__version__,
            instructions=INSTRUCTIONS,
            on_list_tools=list_tools,
            on_call_tool=call_tool,
            get_tool_input_schema=lambda name: by_name[name].json_schema() if name in by_name else None,
            on_set_logging_level=_set_logging_level,
            **mcp_extras.handlers(index),
        )


async def _set_logging_level(
    ctx: ServerRequestContext[Any], params: types.SetLevelRequestParams
) -> types.EmptyResult:
    return types.EmptyResult()


class _IndexLoader:
    """Loads the paper index once per server, telling the client while it does (it takes seconds)."""

    def __init__(self) -> None:
        self.ready = False

    async def load(self, ctx: ServerRequestContext[Any]) -> None:
        if self.ready:
            return
        from assistant.retrieval.search import get_retriever

        def progress(fraction: float, message: str) -> None:  # called in the worker thread
            anyio.from_thread.run(notify, ctx, fraction, message)

        try:
            await anyio.to_thread.run_sync(lambda: get_retriever(progress=progress))
        except Exception:  # the tool call that follows reports it, in its own words
            return
        self.ready = True


async def notify(ctx: ServerRequestContext[Any], progress: float, message: str) -> None:
    """A progress notification (when the request asked for them) and a log message, both best effort."""
    token = (ctx.meta or {}).get("progress_token")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MCPDeprecationWarning)
        with contextlib.suppress(Exception):
            if token is not None:
                await ctx.session.send_progress_notification(
                    token, progress, 1, message, related_request_id=_request_id(ctx)
                )
            await ctx.session.send_log_message(
                "info", message, logger=SERVER_NAME, related_request_id=ctx.request_id
            )


def _request_id(ctx: ServerRequestContext[Any]) -> str | None:
    return None if ctx.request_id is None else str(ctx.request_id)


async def client_roots(
    ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
) -> list[Path] | types.InputRequiredResult:
    """The folders the client declares as its roots; none when it declares no roots.

    A session with a back-channel (the 2025 protocol) is asked with `roots/list`; one without (2026) is
    answered with a request for its roots, which the client sends back with the same call.
    """
    wanted = types.ClientCapabilities(roots=types.RootsCapability())
    if not ctx.session.check_client_capability(wanted):
        return []
    answered = (params.input_responses or {}).get(ROOTS_REQUEST)
    if isinstance(answered, types.ListRootsResult):
        return root_paths(answered)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MCPDeprecationWarning)
            result = await ctx.session.list_roots()
    except NoBackChannelError:
        return types.InputRequiredResult(input_requests={ROOTS_REQUEST: types.ListRootsRequest()})
    except Exception:
        logger.warning("The client declares roots but did not list them", exc_info=True)
        return []
    return root_paths(result)


def root_paths(result: types.ListRootsResult) -> list[Path]:
    return [path for root in result.roots if (path := file_uri_path(str(root.uri))) is not None]


def file_uri_path(uri: str) -> Path | None:
    """The local path a `file://` URI names, or None for any other URI."""
    parsed = urlparse(uri)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    return Path(url2pathname(unquote(parsed.path)) if sys.platform == "win32" else unquote(parsed.path))


def describe(spec: ToolSpec) -> types.Tool:
    """How a client sees a tool: title, description, argument and output schemas, and its annotations."""
    hints = spec.hints
    return types.Tool(
        name=spec.name,
        title=spec.title,
        description=spec.description,
        input_schema=spec.json_schema(),
        output_schema=output_schema(spec),
        annotations=types.ToolAnnotations(
            title=spec.title,
            read_only_hint=hints.read_only,
            destructive_hint=hints.destructive,
            idempotent_hint=hints.idempotent,
            open_world_hint=hints.open_world,
        ),
    )


def output_schema(spec: ToolSpec) -> dict[str, Any] | None:
    """The schema of a tool's structured content, from its return type; None when it declares none."""
    return _shape(spec)[0]


def _shape(spec: ToolSpec) -> tuple[dict[str, Any] | None, str | None]:
    """The output schema, and the key a result that is not a JSON object goes under (None: not wrapped).

    A model or a mapping is the object itself; anything else (a list of passages, a number) goes under a
    named key: `passages` for a list of `Passage`, else `result`.
    """
    returns = get_type_hints(spec.function).get("return")
    if isinstance(returns, type) and issubclass(returns, BaseModel):
        return returns.model_json_schema(mode="serialization"), None
    try:
        inner = TypeAdapter(returns).json_schema(mode="serialization") if returns is not None else {}
    except Exception:  # a return type pydantic cannot describe: no schema, so nothing to fail against
        inner = {}
    if not inner:
        return None, None
    if inner.get("type") == "object":
        return inner, None
    key = result_key(returns)
    schema: dict[str, Any] = {"type": "object", "properties": {key: inner}, "required": [key]}
    if "$defs" in inner:
        schema["$defs"] = inner.pop("$defs")
    return schema, key


def result_key(returns: Any) -> str:
    """The key for a result that is not an object: `passages` for a list of `Passage`, or `result`."""
    (item,) = get_args(returns) if get_origin(returns) is list and len(get_args(returns)) == 1 else (None,)
    if isinstance(item, type) and issubclass(item, BaseModel):
        return re.sub(r"(?<!^)(?=[A-Z])", "_", item.__name__).lower() + "s"
    return "result"


def structured(spec: ToolSpec, data: Any) -> dict[str, Any]:
    """A result's data as the JSON object its output schema describes."""
    key = _shape(spec)[1]
    if key is not None:
        return {key: data}
    return data if isinstance(data, dict) else {"result": data}


def call(spec: ToolSpec, arguments: dict[str, Any], folders: Sequence[Path] = ()) -> types.CallToolResult:
    """Run one tool, reading files only inside `folders`: its result as structured content, Markdown and
    the same JSON as text (for clients that pass a model only text), or its error as a tool error."""
    try:
        with allowed_folders(folders):
            result = spec.invoke(arguments)
        content = structured(spec, render.data(result))
        # Strict JSON: a NaN or an infinity here would fail later, as a protocol error.
        payload = json.dumps(content, allow_nan=False, ensure_ascii=False, default=str)
        text = render.markdown(result)
    except CommissionError as error:
        logger.info("Tool %r refused: %s", spec.name, error)
        return tool_error(errors.describe(error))
    except Exception as error:  # a bug, not the caller's fault: log it, keep serving
        logger.exception("Tool %r failed unexpectedly", spec.name)
        return tool_error(errors.describe(error, context=f"MCP tool {spec.name}"))
    blocks: list[types.ContentBlock] = [types.TextContent(text=text), types.TextContent(text=payload)]
    blocks.extend(_paper_links(content))
    return types.CallToolResult(content=blocks, structured_content=content)


def _paper_links(content: dict[str, Any]) -> Iterator[types.ResourceLink]:
    """A link to each paper the passages of a search result come from, once each."""
    from assistant import mcp_extras

    seen: set[str] = set()
    for passage in content.get("passages") or ():
        citation = passage.get("citation") if isinstance(passage, dict) else None
        if not isinstance(citation, dict):
            continue
        file = citation.get("file")
        if isinstance(file, str) and file not in seen:
            seen.add(file)
            yield mcp_extras.paper_link(file, citation.get("title") or file)


def tool_error(message: str) -> types.CallToolResult:
    """A tool error the calling model can read and act on: one line."""
    return types.CallToolResult(content=[types.TextContent(text=" ".join(message.split()))], is_error=True)


def run_stdio(*, allow_dirs: Sequence[Path] = ()) -> None:
    """Serve on stdio until the client closes it; tool arguments may name files in `allow_dirs`."""
    if sys.stdin.isatty():
        announce("commission MCP server on stdio: waiting for an MCP client (Ctrl-C stops).")
    anyio.run(serve_stdio, tuple(allow_dirs))


def run_http(host: str, port: int, *, token: str | None = None, allow_dirs: Sequence[Path] = ()) -> None:
    """Serve streamable HTTP on `host:port` until interrupted, saying where on stderr.

    Args:
        host: the address to listen on; one that is not loopback needs `token`.
        port: the port (0 picks a free one).
        token: the bearer token every request must carry (`COMMISSION_MCP_TOKEN`), or None for none.
        allow_dirs: folders tool arguments may name files in, besides the client's roots.
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
    anyio.run(serve_http, sock, token, tuple(allow_dirs))


def configured_token() -> str | None:
    """`COMMISSION_MCP_TOKEN` from the environment or `COMMISSION_HOME/.env`, or None when unset."""
    secret = _TokenSettings().mcp_token
    value = secret.get_secret_value().strip() if secret else ""
    return value or None


class _TokenSettings(Settings):
    mcp_token: SecretStr | None = None


def configured_folders(given: Sequence[Path] = ()) -> list[Path]:
    """The folders shared with every client: `given` (`--allow-dir`), then `COMMISSION_ALLOW_DIRS`.

    Raises:
        InputError: a folder named does not exist or is not a folder.
    """
    listed = _FolderSettings().allow_dirs or ""
    folders = [*given, *(Path(part) for part in listed.split(os.pathsep) if part.strip())]
    for folder in folders:
        if not folder.expanduser().is_dir():
            raise InputError(f"--allow-dir / COMMISSION_ALLOW_DIRS: {folder} is not a folder; name a folder")
    return folders


class _FolderSettings(Settings):
    allow_dirs: str | None = None


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


async def serve_stdio(allow_dirs: Sequence[Path] = ()) -> None:
    """Serve on stdin and stdout until the client closes them."""
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read_stream, write_stream):
        # The transport writes to its own copy of stdout; anything printed while serving, even from a
        # library imported by `build_server`, goes to stderr instead of sitting in a buffer for the wire.
        with contextlib.redirect_stdout(sys.stderr):
            server = build_server(allow_dirs=allow_dirs)
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


async def serve_http(sock: socket.socket, token: str | None = None, allow_dirs: Sequence[Path] = ()) -> None:
    """Serve streamable HTTP at `/mcp` on a listening socket until interrupted."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    app: Any = build_server(allow_dirs=allow_dirs).streamable_http_app(
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
