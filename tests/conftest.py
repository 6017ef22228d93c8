"""Every test runs in a clean environment: its own COMMISSION_HOME, no model endpoint, no network."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"  # real inputs from the papers, kept in the repository
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Drop every COMMISSION_ variable, use a temporary COMMISSION_HOME, and leave any .env behind."""
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


# --- The paper index, built once per test session (embedding the bundled papers takes 10-25 s) --------------

# Every fixture that builds the session index or points the code at it. A test using any of them, directly or
# through another fixture, is marked slow by the hook below, so `pytest -m "not slow"` is a fast loop without
# each test file having to remember `pytestmark`.
INDEX_FIXTURES = frozenset({"built_index_home", "indexed_home", "indexed_home_copy"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark slow every test whose fixtures build or use the session index."""
    for item in items:
        if INDEX_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def built_index_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A COMMISSION_HOME whose index holds the five bundled papers, built once for the whole session.

    Shared by every test that searches: treat it as read-only. Use `indexed_home` to point the code at it,
    or `indexed_home_copy` for a private copy a test may change (index more files, corrupt it).
    """
    from assistant.config import Settings
    from assistant.retrieval.indexer import build_index

    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    home = tmp_path_factory.mktemp("built-index") / "home"
    build_index(settings=Settings(home=home, chroma_url=None))
    return home


@pytest.fixture
def indexed_home(built_index_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """COMMISSION_HOME at the shared, read-only index of the bundled papers: search it, never change it."""
    monkeypatch.setenv("COMMISSION_HOME", str(built_index_home))
    return built_index_home


@pytest.fixture
def indexed_home_copy(built_index_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """COMMISSION_HOME pointed at a private copy of the bundled papers' index, which the test may change."""
    import shutil

    from assistant.retrieval.search import clear_retriever

    home = tmp_path / "indexed-home"
    shutil.copytree(built_index_home, home, ignore=shutil.ignore_patterns(".lock"))
    monkeypatch.setenv("COMMISSION_HOME", str(home))
    clear_retriever()
    return home
