"""A 40,000-passage index: past where one whole-collection read failed ("too many SQL variables").

The passages are sentences sampled from the bundled papers with random vectors, stored through the store
layer without the embedder (`benchmarks.bench_scale`); one needle passage has its real vector and
unique words. Building it is most of the test's time (Chroma stores about 1,000 passages a second here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.retrieval import indexer
from assistant.retrieval.search import clear_retriever, get_retriever
from assistant.retrieval.store import PAGE, Store
from benchmarks.bench_scale import NEEDLE, NEEDLE_QUERY, build_synthetic

pytestmark = pytest.mark.slow
SIZE = 40_000
runner = CliRunner()


@pytest.fixture(scope="module")
def scale_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("scale") / "home"
    build_synthetic(home, SIZE)
    return home


@pytest.fixture
def at_scale(scale_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMMISSION_HOME", str(scale_home))
    clear_retriever()
    return scale_home


def test_search_finds_the_needle_without_opening_chroma(
    at_scale: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chromadb.api.models.Collection import Collection

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a search on disk read the Chroma collection")

    monkeypatch.setattr(Collection, "get", refuse)
    monkeypatch.setattr(Collection, "query", refuse)
    retriever = get_retriever()
    for mode in ("hybrid", "bm25", "dense"):
        assert retriever.search(NEEDLE_QUERY, 3, mode=mode)[0].text == NEEDLE, mode  # type: ignore[arg-type]
    in_paper = retriever.search("procurement", 20, paper="Paper 123")
    assert len(in_paper) == 20 and {p.citation.short for p in in_paper} == {"Paper 123"}

    result = runner.invoke(app, ["search", NEEDLE_QUERY, "-k", "1", "--json"])
    assert result.exit_code == 0, result.output
    assert "Kestrelmoor" in result.output


def test_the_next_build_reads_the_index_in_pages(at_scale: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from chromadb.api.models.Collection import Collection

    calls: list[Any] = []
    get = Collection.get

    def counted(self: Collection, *args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("limit"))
        return get(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "get", counted)
    previous = indexer._previous(Store(Settings()))
    assert sum(len(records) for records in previous.records.values()) == SIZE
    assert len(calls) == SIZE // PAGE + 1 and all(limit == PAGE for limit in calls)
