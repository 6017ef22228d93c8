"""The shared team index: the same code against a real Chroma server (`chroma run`) started on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.retrieval import indexer
from assistant.retrieval.indexer import build_index
from assistant.retrieval.search import Retriever, clear_retriever
from assistant.retrieval.store import Store
from benchmarks import bench_scale
from benchmarks.bench_scale import chroma_executable, free_port

runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A Chroma server on a free loopback port, persisting under tmp_path; its URL."""
    if chroma_executable() is None:
        pytest.skip("the `chroma` executable is not installed")
    with bench_scale.chroma_server(tmp_path / "server-data", tmp_path / "chroma.log") as url:
        yield url


@pytest.fixture
def small_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two short papers in place of the bundled five, so the server test embeds in a second."""
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "durham.txt").write_text(
        "Governance\n\n41 The budget for estates is c£5m and will be treated as a pass through cost.\n",
        "utf-8",
    )
    (papers / "sheffield.txt").write_text(
        "Procurement Options\n\nA) The negotiated procedure, a direct award of contract.\n", "utf-8"
    )
    monkeypatch.setattr(indexer, "KNOWLEDGE_DIR", papers)
    return papers


def test_index_and_search_on_a_chroma_server(
    chroma_server: str, small_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMISSION_CHROMA_URL", chroma_server)
    first = runner.invoke(app, ["index"])
    assert first.exit_code == 0, first.output
    assert "Indexed 2 papers (2 passages): 2 added." in first.output
    assert not (tmp_path / "home" / "index" / "CURRENT").exists()  # nothing written to the local disk store

    result = runner.invoke(app, ["search", "estates pass through cost", "--json", "-k", "1"])
    assert result.exit_code == 0, result.output
    citation = json.loads(result.output)[0]["citation"]
    assert (citation["file"], citation["label"]) == ("durham.txt", "Governance, undated, para 41")

    # A colleague's machine: its own COMMISSION_HOME, the same server, a fresh process-wide retriever.
    monkeypatch.setenv("COMMISSION_HOME", str(tmp_path / "colleague"))
    clear_retriever()
    from chromadb.api.models.Collection import Collection

    reads: list[dict[str, object]] = []
    get = Collection.get

    def recorded(self: Collection, *args: object, **kwargs: object) -> object:
        reads.append(kwargs)
        return get(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Collection, "get", recorded)
    colleague = Retriever()  # no search files on this machine: the server answers both halves
    assert colleague.search("direct award", 1)[0].citation.file == "sheffield.txt"
    # word by word from the pieces and their rarity the server holds: the two passages score apart
    word_by_word = colleague.search("a negotiated direct award", 2, mode="tokens")
    assert word_by_word[0].citation.file == "sheffield.txt" and word_by_word[0].score > word_by_word[1].score
    assert colleague.search("estates pass through cost", 1, mode="dense")[0].citation.file == "durham.txt"
    assert colleague.search("estates", 1, paper="Sheffield", mode="bm25") == []
    # every read names the passages it wants or filters by their words: none downloads the collection
    assert reads and all(read.get("ids") or read.get("where_document") for read in reads)
    monkeypatch.setattr(Collection, "get", get)

    # Incremental on the server too, and the new generation replaces the old collection. The colleague has
    # no search files here, yet keeps every passage's word pieces from the server without the model.
    from assistant.retrieval.embeddings import Embedder

    def refuse(self: Embedder, texts: list[str]) -> object:
        raise AssertionError(f"the model read {texts} again")

    monkeypatch.setattr(Embedder, "embed_with_tokens", refuse)
    old = Store().current_generation()
    again = build_index()
    assert (again.added, again.unchanged) == ([], ["knowledge/durham.txt", "knowledge/sheffield.txt"])
    pieces = Store().open_artefacts(str(Store().current_generation())).tokens
    assert pieces.passages == 2 and all(len(codes) for codes in pieces.of([0, 1]))
    store = Store()
    assert store.current_generation() != old
    names = {collection.name for collection in store._client().list_collections()}
    assert names == {"commission-index", f"commission-papers-{store.current_generation()}"}


def test_an_unreachable_server_is_one_line_naming_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("COMMISSION_CHROMA_URL", url)
    result = runner.invoke(app, ["search", "estates"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: Cannot reach the Chroma server at {url}")
    assert len(result.output.strip().splitlines()) == 1
