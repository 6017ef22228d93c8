"""Hybrid search over the index: BM25 keywords and MiniLM meaning, fused by reciprocal rank.

Papers are full of exact terms ("Regulation 3", "£44m", "TUPE") that keyword search finds and a small
embedding model blurs; questions asked in other words than the paper's need the embeddings. Reciprocal
rank fusion (score = sum of 1 / (60 + rank)) combines the two without calibrating their scores.

`Retriever` loads the model, the passages, their vectors and the BM25 index once; `get_retriever()`
keeps one per process and reloads it when `commission index` has swapped in a new generation.

Dense ranking is exact cosine similarity over the loaded vectors, not Chroma's approximate HNSW query:
for the few thousand passages a commissioning team holds it takes well under a millisecond, gives the
same answer every time, and does not depend on Chroma's query path, which after an incremental rebuild
could miss a passage its `get` returned (the changed paper's own passage).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from assistant.config import Settings
from assistant.errors import KnowledgeIndexError
from assistant.retrieval.embeddings import get_embedder
from assistant.retrieval.papers import PaperInfo
from assistant.retrieval.passages import Citation, Passage, bm25_text
from assistant.retrieval.store import FIX, Store
from tools.errors import InputError
from tools.types import shown

Mode = Literal["hybrid", "bm25", "dense"]
RRF_K = 60
CANDIDATES = 50
MAX_QUERY = 2000
"""The most characters of a query: a question or a paragraph to match, not a paper."""
MAX_FILTER = 200
"""The most characters of a `paper` or `organisation` filter: part of a name."""
_TOKENS = r"(?u)\b\w+\b"  # keeps "3" in "Regulation 3" (the default pattern drops one-character tokens)


@dataclass(frozen=True)
class _Record:
    ident: str
    text: str
    metadata: dict[str, Any]
    citation: Citation
    paper: PaperInfo


class Retriever:
    """A warm, reusable searcher over one generation of the index."""

    def __init__(self, settings: Settings | None = None) -> None:
        import bm25s
        import Stemmer

        self.store = Store(settings)
        self.generation = self.store.current_generation()
        import numpy as np

        collection = self.store.open_current()
        try:
            got = collection.get(include=["documents", "metadatas", "embeddings"])
            self.records = [
                _record(str(i), str(d), dict(m))
                for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            ]
        except Exception as error:
            raise KnowledgeIndexError(
                f"The paper index in {self.store.where} cannot be read ({error}): {FIX}"
            ) from None
        vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(self.records), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self._vectors = vectors / np.where(norms == 0, 1, norms)
        self._stemmer = Stemmer.Stemmer("english")
        corpus = [bm25_text(r.text, r.metadata) for r in self.records]
        self._bm25 = bm25s.BM25()
        self._bm25.index(self._tokenize(corpus), show_progress=False)
        self._embedder = get_embedder()

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        paper: str | None = None,
        organisation: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        """The `k` best passages for `query`, best first, within the papers the filters allow.

        Raises:
            InputError: an empty query or one over `MAX_QUERY` characters, `k` below 1, or filters that
                are too long or match no indexed paper.
        """
        check_query(query, paper=paper, organisation=organisation)
        if k < 1:
            raise InputError(f"k = {k}: ask for at least 1 passage")
        allowed = self._allowed(paper, organisation, date_from, date_to)
        rankings = []
        if mode in ("hybrid", "bm25"):
            rankings.append(self.rank_bm25(query, allowed))
        if mode in ("hybrid", "dense"):
            rankings.append(self.rank_dense(query, allowed))
        fused = fuse(rankings)[:k]
        return [self._passage(self.records[n], score) for n, score in fused]

    def rank_bm25(self, query: str, allowed: Sequence[int] | None = None) -> list[int]:
        """Positions of the best keyword matches, best first (passages without a query term are left out)."""
        import numpy as np

        tokens = self._tokenize([query])
        if not tokens.vocab:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self.records), dtype=np.float32)
            mask[list(allowed)] = 1
        limit = min(CANDIDATES, len(self.records))
        hits, scores = self._bm25.retrieve(
            tokens, k=limit, weight_mask=mask, show_progress=False, n_threads=1
        )
        return [int(n) for n, s in zip(hits[0], scores[0], strict=True) if s > 0]

    def rank_dense(self, query: str, allowed: Sequence[int] | None = None) -> list[int]:
        """Positions of the passages closest in meaning, best first (exact cosine similarity)."""
        import numpy as np

        positions = np.arange(len(self.records)) if allowed is None else np.asarray(allowed, dtype=int)
        if positions.size == 0:
            return []
        query_vector = np.asarray(self._embedder.embed([query])[0], dtype=np.float32)
        scores = self._vectors[positions] @ (query_vector / (np.linalg.norm(query_vector) or 1))
        best = np.argsort(-scores, kind="stable")[:CANDIDATES]
        return [int(positions[n]) for n in best]

    def papers(self) -> list[PaperInfo]:
        """Each indexed paper once, in index order."""
        seen: dict[str, PaperInfo] = {}
        for record in self.records:
            seen.setdefault(str(record.metadata["key"]), record.paper)
        return list(seen.values())

    def _allowed(
        self, paper: str | None, organisation: str | None, date_from: date | None, date_to: date | None
    ) -> list[int] | None:
        if not any((paper, organisation, date_from, date_to)):
            return None
        if date_from and date_to and date_from > date_to:
            raise InputError(f"date_from {date_from} is after date_to {date_to}; swap them")
        allowed = [
            n for n, r in enumerate(self.records) if _admits(r.paper, paper, organisation, date_from, date_to)
        ]
        if not allowed:
            names = "; ".join(sorted({p.name for p in self.papers()}))
            given = ", ".join(
                f"{label} = {shown(value)}"
                for label, value in (
                    ("paper", paper),
                    ("organisation", organisation),
                    ("date_from", date_from),
                    ("date_to", date_to),
                )
                if value
            )
            raise InputError(f"{given}: no indexed paper matches; the papers are: {names}")
        return allowed

    def _tokenize(self, texts: list[str]) -> Any:
        import bm25s

        return bm25s.tokenize(texts, token_pattern=_TOKENS, stemmer=self._stemmer, show_progress=False)

    @staticmethod
    def _passage(record: _Record, score: float) -> Passage:
        return Passage(text=record.text, score=round(score, 6), citation=record.citation)


def check_query(query: str, *, paper: str | None = None, organisation: str | None = None) -> None:
    """Refuse an empty query, or a query or filter too long to be one, before any search work.

    Raises:
        InputError: naming the argument and its bound (`MAX_QUERY`, `MAX_FILTER`).
    """
    if not query or not query.strip():
        raise InputError("query is empty; say what to look for, e.g. 'estates pass through cost'")
    if len(query) > MAX_QUERY:
        raise InputError(
            f"query: {len(query):,} characters; a query may have at most {MAX_QUERY:,}; "
            "ask about one thing in a sentence or two"
        )
    for label, value in (("paper", paper), ("organisation", organisation)):
        if value is not None and len(value) > MAX_FILTER:
            raise InputError(
                f"{label}: {len(value):,} characters; a filter may have at most {MAX_FILTER}; "
                "give part of the name, e.g. 'Durham'"
            )


def fuse(rankings: Sequence[Sequence[int]]) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of several rankings: (position, score) best first, ties by first appearance."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, position in enumerate(ranking, start=1):
            scores[position] = scores.get(position, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: -item[1])


def _admits(
    info: PaperInfo, paper: str | None, organisation: str | None, date_from: date | None, date_to: date | None
) -> bool:
    if paper and not info.matches(paper):
        return False
    wanted = (organisation or "").casefold().strip()
    if wanted and not any(wanted in name.casefold() for name in info.organisations):
        return False
    if date_from or date_to:
        bounds = info.date_bounds()
        if bounds is None:
            return False
        first, last = bounds
        if (date_from and last < date_from) or (date_to and first > date_to):
            return False
    return True


def _record(ident: str, text: str, metadata: dict[str, Any]) -> _Record:
    citation = Citation.from_metadata(metadata)
    paper = PaperInfo(
        file=citation.file,
        title=citation.title,
        short=citation.short,
        organisations=citation.organisations,
        body=citation.body,
        date=citation.date,
    )
    return _Record(ident, text, metadata, citation, paper)


_cached: Retriever | None = None
_lock = threading.Lock()


def get_retriever(settings: Settings | None = None) -> Retriever:
    """The process's retriever, reloaded when the index has been rebuilt since it was loaded."""
    global _cached
    with _lock:
        settings = settings or Settings()
        store = Store(settings)
        fresh = (
            _cached is not None
            and _cached.store.where == store.where
            and _cached.generation == store.current_generation()
        )
        if not fresh:
            _cached = Retriever(settings)
        assert _cached is not None
        return _cached


def clear_retriever() -> None:
    """Forget the cached retriever (tests, or after moving COMMISSION_HOME)."""
    global _cached
    with _lock:
        _cached = None
