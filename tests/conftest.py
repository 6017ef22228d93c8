"""Every test runs in a clean environment: its own COMMISSION_HOME, no model endpoint, no network."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Drop every COMMISSION_ variable, point COMMISSION_HOME at a temporary folder, and leave any .env behind."""
    for name in list(os.environ):
        if name.startswith("COMMISSION_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    monkeypatch.setenv("COMMISSION_HOME", str(home))
    monkeypatch.setenv("ORT_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> None:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise RuntimeError(f"tests may not reach the network ({host}); mock it with respx")
    _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches a real model or any address beyond this machine."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
