"""Fixtures for the assistant's tests that need the bundled papers indexed (built once per session)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

_built: list[Path] = []  # each test module imports its own copy of the fixture; build only once


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A COMMISSION_HOME holding the index of the bundled papers."""
    from assistant.config import Settings
    from assistant.retrieval.indexer import build_index

    if not _built:
        home = tmp_path_factory.mktemp("bundled-home")
        build_index(settings=Settings(home=home))
        _built.append(home)
    return _built[0]


@pytest.fixture
def indexed_home(bundled_index: Path, clean_environ: Path) -> Path:
    """This test's own COMMISSION_HOME, with a copy of the bundled index in it."""
    from assistant.retrieval.search import clear_retriever

    shutil.copytree(bundled_index / "index", clean_environ / "index")
    clear_retriever()
    return clean_environ
