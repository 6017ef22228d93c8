"""The search artefacts: the int8 first pass finds exactly what a full product finds, the memory-mapped
BM25 matrix scores exactly as bm25s does, and files of an earlier format are refused in one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.errors import KnowledgeIndexError
from assistant.retrieval import artefacts
from assistant.retrieval.artefacts import Artefacts, OutdatedError, Vectors, quantise, top
from assistant.retrieval.passages import bm25_text
from assistant.retrieval.store import Store

runner = CliRunner()
SENTENCES = [
    "The estates pass through cost is 44m over Regulation 3 of the light touch regime.",
    "TUPE applies to the staff who transfer to the new provider of homecare.",
    "Monitor approved the integrated care board's procurement of community services.",
    "The standstill period of eight working days begins when the notice is sent.",
    "Costs and cost pressures: the envelope covers estates, staff and the cost of the cost model.",
    "Regulation 3 sets out the direct award processes; process C needs a contract notice.",
]


def _vectors(folder: Path, exact: Any) -> Vectors:
    """A `Vectors` over `exact` saved and memory-mapped as a generation's files are."""
    codes, scale, error = quantise(exact)
    arrays = {"vectors": exact, "coarse": codes, "coarse_scale": scale, "coarse_error": error}
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", array)
    mapped = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in arrays}
    return Vectors(mapped["vectors"], mapped["coarse"], mapped["coarse_scale"], mapped["coarse_error"])


def _exactly(vectors: Vectors, query: Any, mask: Any, count: int) -> list[int]:
    """The ranking from one product over every allowed vector, as search did before the int8 pass."""
    positions = np.arange(len(vectors.exact)) if mask is None else np.flatnonzero(mask)
    scores = np.asarray(vectors.exact)[positions] @ query
    return [int(n) for n in positions[top(scores, count)]]


def test_the_quantisation_bound_holds_for_every_passage_and_query() -> None:
    generator = np.random.default_rng(3)
    unit = generator.standard_normal((2000, 384)).astype(np.float32)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    codes, scale, error = quantise(unit)
    for query in generator.standard_normal((20, 384)).astype(np.float32):
        exact = unit.astype(np.float64) @ query.astype(np.float64)
        coarse = (codes.astype(np.float64) @ query.astype(np.float64)) * scale
        assert np.all(np.abs(coarse - exact) <= error * np.linalg.norm(query.astype(np.float64)))
    assert float(error.max()) < 0.02  # tight enough to rule out almost every passage


def test_the_first_pass_ranks_exactly_as_a_full_product_ties_in_index_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Components in eighths: every cosine is exact in float32 whatever order BLAS sums in, and many tie.
    monkeypatch.setattr(artefacts, "COARSE_FROM", 100)
    generator = np.random.default_rng(5)
    exact = generator.integers(-3, 4, (6000, 48)).astype(np.float32) / 8
    exact[4000:4100] = exact[17]  # a hundred copies of one passage
    vectors = _vectors(tmp_path, exact)
    masks = [None, np.arange(6000) % 7 == 0, np.arange(6000) < 30]
    queries = [exact[17], *(generator.integers(-3, 4, (10, 48)).astype(np.float32) / 8)]
    for query in queries:
        for mask in masks:
            positions, scores = vectors.nearest(query, mask, 50)
            assert list(positions) == _exactly(vectors, query, mask, 50)
            assert np.array_equal(scores, np.asarray(vectors.exact)[positions] @ query)
    assert len(vectors.candidates(queries[1], None, 50)) < 1000  # most passages were ruled out


def test_the_first_pass_finds_the_nearest_random_unit_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(artefacts, "COARSE_FROM", 100)
    generator = np.random.default_rng(11)
    exact = generator.standard_normal((20_000, 64)).astype(np.float32)
    exact /= np.linalg.norm(exact, axis=1, keepdims=True)
    vectors = _vectors(tmp_path, exact)
    for query in exact[:20]:
        positions, _ = vectors.nearest(query, None, 50)
        truth = exact.astype(np.float64) @ query.astype(np.float64)
        assert list(positions) == list(np.argsort(-truth, kind="stable")[:50])


def _records(count: int) -> list[dict[str, Any]]:
    generator = np.random.default_rng(2)
    records = []
    for n in range(count):
        words = " ".join(SENTENCES[(n + step) % len(SENTENCES)] for step in range(1 + n % 3))
        metadata = {"key": f"k{n % 4}", "file": f"f{n % 4}.txt", "title": f"Paper {n % 4}", "short": ""}
        embedding = generator.standard_normal(16).astype(np.float32)
        records.append({"id": f"id{n}", "document": words, "metadata": metadata, "embedding": embedding})
    return records


@pytest.mark.parametrize(
    "query",
    ["cost", "cost cost estates", "Regulation 3", "TUPE homecare zzzz", "the of and", "Costs COST costing"],
)
def test_keyword_scores_and_ties_are_bm25s_own(tmp_path: Path, query: str) -> None:
    import bm25s

    records = _records(300)
    artefacts.write(tmp_path, records)
    keywords = Artefacts.open(tmp_path).keywords
    stem = artefacts.stemmer()
    index = bm25s.BM25()
    index.index(artefacts.tokenize([bm25_text(r["document"], r["metadata"]) for r in records], stem))
    tokens = artefacts.tokenize([query], stem)
    mask = np.arange(300) % 3 != 0
    for weights in (None, mask):
        if not tokens.vocab:
            assert keywords.words(query) == []
            continue
        weight_mask = None if weights is None else weights.astype(np.float32)
        hits, scores = index.retrieve(tokens, k=50, weight_mask=weight_mask, show_progress=False, n_threads=0)
        positions, found = keywords.best(keywords.words(query), weights, 50)
        assert list(positions) == list(hits[0]) and list(found) == list(scores[0])


@pytest.mark.parametrize(
    "text",
    ["Regulation 3 of the PSR", "£44m: the ESTATES pass-through cost", "", "the and of", "École café's"],
)
def test_a_query_is_cut_into_words_as_bm25s_cuts_it(text: str) -> None:
    import bm25s

    stem = artefacts.stemmer()
    expected = bm25s.tokenize([text], token_pattern=artefacts.TOKENS, stemmer=stem, return_ids=False)[0]
    stopwords = frozenset(artefacts.english_stopwords())
    assert artefacts.words(text, stopwords, stem) == expected


def test_search_files_of_an_earlier_format_are_refused_in_one_line(tmp_path: Path) -> None:
    artefacts.write(tmp_path, _records(10))
    (tmp_path / "search" / "format.json").unlink()  # as format 1 wrote them
    with pytest.raises(OutdatedError):
        Artefacts.open(tmp_path)
    (tmp_path / "search" / "format.json").write_text(json.dumps({"format": 1}))
    with pytest.raises(OutdatedError, match="format 1"):
        Artefacts.open(tmp_path)
    (tmp_path / "search" / "format.json").write_text("{not json")
    with pytest.raises(ValueError, match="damaged"):
        Artefacts.open(tmp_path)


def test_the_store_says_to_run_commission_index_for_an_earlier_format(tmp_path: Path) -> None:
    store = Store(Settings(home=tmp_path, chroma_url=None))
    folder = store.artefacts_dir("gen-old")
    artefacts.write(folder, _records(10))
    (folder / "chroma.sqlite3").write_bytes(b"SQLite format 3\x00")
    (folder / "search" / "format.json").unlink()
    with pytest.raises(KnowledgeIndexError) as raised:
        store.open_artefacts("gen-old")
    message = str(raised.value)
    assert "earlier version" in message and "run `commission index`" in message and "\n" not in message


def test_search_on_an_index_of_an_earlier_format_says_what_to_run_and_index_repairs_it(
    indexed_home_copy: Path,
) -> None:
    next((indexed_home_copy / "index").glob("gen-*/search/format.json")).unlink()
    result = runner.invoke(app, ["search", "estates pass through cost"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1
    assert "run `commission index`" in result.output

    result = runner.invoke(app, ["index", "--if-missing"])
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output and "added" not in result.output  # the vectors are kept
    assert runner.invoke(app, ["search", "estates pass through cost"]).exit_code == 0
    store = Store(Settings(home=indexed_home_copy, chroma_url=None))
    tokens = store.open_artefacts(str(store.current_generation())).tokens
    assert all(len(codes) for codes in tokens.of(range(tokens.passages)))  # each passage read again
