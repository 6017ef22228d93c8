"""`commission mcp --http` on other addresses: Host and Origin always checked, a token where needed.

The real server is started on 127.0.0.2 (loopback, but not the default 127.0.0.1). No test sends traffic
to an address beyond this machine: the refusal of a network address is checked before anything listens.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from assistant import mcp_server
from assistant.cli import app
from tests.test_mcp_http import serve_http

runner = CliRunner()
TOKEN = "k3Xq9v-TnR2bW8yLpZ4sJ6dF1hG5cV7eA0uY"  # a test value of the length asked for
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "0"},
    },
}
ACCEPT = {"Accept": "application/json, text/event-stream"}


@pytest.fixture
def open_server(tmp_path: Path) -> Iterator[str]:
    """The real server on 127.0.0.2, without a token."""
    yield from serve_http(tmp_path, "--host", "127.0.0.2")


@pytest.fixture
def token_server(tmp_path: Path) -> Iterator[str]:
    """The real server on 127.0.0.2, with COMMISSION_MCP_TOKEN set."""
    yield from serve_http(tmp_path, "--host", "127.0.0.2", env={"COMMISSION_MCP_TOKEN": TOKEN})


def post(url: str, **headers: str) -> httpx.Response:
    return httpx.post(url, json=INITIALIZE, headers={**ACCEPT, **headers}, timeout=30)


@pytest.mark.slow
def test_a_loopback_address_other_than_the_default_still_checks_host_and_origin(open_server):
    assert open_server.startswith("http://127.0.0.2:")
    port = open_server.rsplit(":", 1)[1].split("/")[0]
    assert post(open_server).status_code == 200
    assert post(open_server, Host=f"localhost:{port}").status_code == 200
    assert post(open_server, Origin=f"http://127.0.0.2:{port}").status_code == 200
    assert post(open_server, Host=f"attacker.example:{port}").status_code == 421
    assert post(open_server, Host="127.0.0.2:1").status_code == 421
    assert post(open_server, Origin="http://attacker.example").status_code == 403


@pytest.mark.slow
def test_with_a_token_a_request_without_it_gets_401(token_server):
    port = token_server.rsplit(":", 1)[1].split("/")[0]
    refused = post(token_server)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert TOKEN not in refused.text
    assert post(token_server, Authorization=f"Bearer {TOKEN[:-1]}x").status_code == 401
    assert post(token_server, Authorization=f"Basic {TOKEN}").status_code == 401
    assert post(token_server, Authorization=f"Bearer {TOKEN}").status_code == 200
    wrong_host = post(token_server, Authorization=f"Bearer {TOKEN}", Host=f"attacker.example:{port}")
    assert wrong_host.status_code == 421


def refuse_to_listen(monkeypatch: pytest.MonkeyPatch) -> None:
    def listen(host: str, port: int) -> None:
        raise AssertionError(f"the server began to listen on {host}")

    monkeypatch.setattr(mcp_server, "listen", listen)


@pytest.mark.parametrize("host", ["192.0.2.1", "2001:db8::1"], ids=["ipv4", "ipv6"])
def test_a_network_address_without_a_token_refuses_to_start(host, monkeypatch):
    refuse_to_listen(monkeypatch)
    result = runner.invoke(app, ["mcp", "--http", "--host", host])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: --host {host} can be reached from other machines: set COMMISSION_MCP_TOKEN to a long "
        "random value; clients send it as Authorization: Bearer <value>\n"
    )


def test_a_short_token_is_refused(monkeypatch):
    refuse_to_listen(monkeypatch)
    monkeypatch.setenv("COMMISSION_MCP_TOKEN", "secret")
    result = runner.invoke(app, ["mcp", "--http", "--host", "192.0.2.1"])
    assert result.exit_code == 2
    assert "COMMISSION_MCP_TOKEN is shorter than 32 characters" in result.output
    assert "secret" not in result.output


@pytest.mark.parametrize("host", ["0.0.0.0", "::"], ids=["ipv4", "ipv6"])
def test_a_wildcard_address_is_refused_even_with_a_token(host, monkeypatch):
    refuse_to_listen(monkeypatch)
    monkeypatch.setenv("COMMISSION_MCP_TOKEN", TOKEN)
    result = runner.invoke(app, ["mcp", "--http", "--host", host])
    assert result.exit_code == 2
    assert "listens on every address" in result.output
    assert len(result.output.splitlines()) == 1


def test_the_token_may_be_in_the_officers_env_file(clean_environ):
    clean_environ.mkdir(parents=True)
    (clean_environ / ".env").write_text(f"COMMISSION_MCP_TOKEN={TOKEN}\n", encoding="utf-8")
    assert mcp_server.configured_token() == TOKEN


def test_no_token_by_default():
    assert mcp_server.configured_token() is None


@pytest.mark.parametrize(
    ("host", "port", "hosts"),
    [
        ("127.0.0.2", 8765, ["127.0.0.2:8765", "localhost:8765", "127.0.0.1:8765", "[::1]:8765"]),
        ("127.0.0.1", 9000, ["127.0.0.1:9000", "localhost:9000", "[::1]:9000"]),
        ("::1", 8765, ["[::1]:8765", "localhost:8765", "127.0.0.1:8765"]),
        ("192.0.2.1", 8765, ["192.0.2.1:8765"]),
        ("192.0.2.1", 80, ["192.0.2.1:80", "192.0.2.1"]),
    ],
    ids=["loopback-other", "loopback-default", "loopback-ipv6", "network", "network-port-80"],
)
def test_allowed_hosts_and_origins(host, port, hosts):
    settings = mcp_server.transport_security(host, port)
    assert settings.enable_dns_rebinding_protection
    assert settings.allowed_hosts == hosts
    assert settings.allowed_origins == [
        f"{scheme}://{name}" for name in hosts for scheme in ("http", "https")
    ]
