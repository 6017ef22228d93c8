"""Hybrid search over the index: BM25 keywords, MiniLM meaning and word-by-word matching, fused.

Papers are full of exact terms ("Regulation 3", "£44m", "TUPE") that keyword search finds and a small
embedding model blurs; questions asked in other words than the paper's need the embeddings; and a question
about one clause of a long passage needs each of its words matched in context (`late.py`). Hybrid search
takes the best `CANDIDATES` of the keyword and of the meaning ranking, scores every one of them all three
ways, standardises each score among the candidates (minus their mean, over their spread) and ranks by the
weighted sum (`WEIGHTS`, chosen by `make eval`). A candidate the keyword ranking did not return takes the
lowest keyword score it did return: at most that, and the same on disk and on a server.

`Retriever` opens one generation of the index; `get_retriever()` keeps one per process and reopens it
when `commission index` has swapped in a new generation. Opening reads nothing in bulk: on disk it
memory-maps the generation's artefacts (`artefacts.py`: vectors, BM25 index, word-piece codes, records),
built once by `commission index`, and a search reads only its candidates.

On disk, dense ranking is exact cosine similarity over the memory-mapped vectors, not Chroma's
approximate HNSW query: it gives the same answer every time and does not depend on Chroma's query path,
which after an incremental rebuild could miss a passage its `get` returned (chroma-core/chroma#3792). At
scale a first pass over int8 copies of the vectors rules out most passages with a proven bound, and only
the rest are scored exactly (`artefacts.Vectors`); keywords are scored from the memory-mapped BM25 matrix
of the query's own terms (`artefacts.Keywords`), in the same float32 arithmetic bm25s used, so both
rankings are the ones the full computation gives. With a Chroma server (`COMMISSION_CHROMA_URL`) the
server is the search engine: dense candidates come from its query and are re-scored exactly, so ties and
order are deterministic; keywords, word pieces and the vectors of the keyword candidates come from the
generation's artefacts on the machine that built it. On a colleague's machine without them, keywords come
from the server's `where_document` filter (the passages containing a query word, ranked by BM25 among
themselves, which is an approximation: their rarity is measured among those candidates, not the whole
collection), and the candidates' word pieces and their rarity from the metadata the build stored on the
server (`late.SHARED`, `late.SHARED_FREQUENCIES`); an index without them fuses keywords and meaning alone.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from assistant.config import Settings
from assistant.errors import KnowledgeIndexError
from assistant.retrieval import late
from assistant.retrieval.artefacts import Artefacts, Keywords, english_stopwords, stemmer, tokenize
from assistant.retrieval.embeddings import TokenStates, get_embedder
from assistant.retrieval.papers import PaperInfo
from assistant.retrieval.passages import Citation, Passage, bm25_text
from assistant.retrieval.store import FIX, Store
from tools.errors import InputError
from tools.types import shown

Mode = Literal["hybrid", "bm25", "dense", "tokens"]
"""`tokens` ranks hybrid search's candidates by word-by-word matching alone (for `make eval`)."""
WEIGHTS = (0.2, 0.2, 0.6)
"""Fusion weights of the keyword, meaning and word-by-word scores (chosen by `make eval`; see the README)."""
CANDIDATES = 50
"""Passages each of the keyword and the meaning ranking puts forward for fusion."""
SERVER_KEYWORD_CANDIDATES = 300
"""Passages the server's `where_document` fallback fetches for keyword ranking."""
EXPAND = True
"""Whether keyword search adds the glossary's words (`glossary.yaml`; chosen by `make eval`)."""
MAX_QUERY = 2000
"""The most characters of a query: a question or a paragraph to match, not a paper."""
MAX_FILTER = 200
"""The most characters of a `paper` or `organisation` filter: part of a name."""


@dataclass(frozen=True)
class Hit:
    """A passage's place in a ranking and its score there (cosine similarity or BM25)."""

    key: int | str
    score: float


@dataclass(frozen=True)
class Query:
    """A query as the meaning and word-by-word rankings need it: its unit vector and its word pieces, from
    one pass of the model."""

    vector: Any
    tokens: TokenStates


Progress = Callable[[float, str], None]
"""Told how far loading the index has got: a fraction from 0 to 1, and what is happening."""


class Retriever:
    """A warm, reusable searcher over one generation of the index."""

    def __init__(self, settings: Settings | None = None, progress: Progress | None = None) -> None:
        """Open the index's current generation and load the embedder, telling `progress` how far it got."""
        say = progress or (lambda done, message: None)
        self.store = Store(settings)
        self.generation = self.store.current_generation()
        if self.generation is None:
            raise KnowledgeIndexError(f"There is no paper index yet in {self.store.where}: {FIX}")
        say(0.0, f"Opening the paper index in {self.store.where}.")
        self._index: _DiskIndex | _ServerIndex = (
            _ServerIndex(self.store, self.generation)
            if self.store.url
            else _DiskIndex(self.store, self.generation)
        )
        self._paper_infos = [_paper(row) for row in self._index.papers]
        say(0.5, f"Opened {len(self._paper_infos):,} papers; loading the embedding model.")
        self._embedder = get_embedder()
        say(1.0, "The paper index is loaded.")
        self._stemmer = stemmer()
        self._stopwords = frozenset(english_stopwords())
        self.weights: tuple[float, float, float] = WEIGHTS
        self.expand = EXPAND

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
        ranked = self.rank(query, allowed, mode)[:k]
        records = self._index.fetch([hit.key for hit in ranked])
        return [_passage(record, hit.score) for record, hit in zip(records, ranked, strict=True)]

    def rank(self, query: str, allowed: Sequence[int] | None = None, mode: Mode = "hybrid") -> list[Hit]:
        """The candidates for `query` best first, by `mode` (see the module's docstring)."""
        import numpy as np

        keywords = self._index.bm25(expand_query(query) if self.expand else query, allowed, self._stemmer)
        if mode == "bm25":
            return keywords
        vectors, states = self._embedder.embed_with_tokens([query])
        asked = Query(vectors[0] / (np.linalg.norm(vectors[0]) or 1), states[0])
        meaning = self._index.dense(asked.vector, allowed)
        if mode == "dense":
            return meaning
        weights = self.weights if mode == "hybrid" else (0.0, 0.0, 1.0)
        return self._fuse(asked, keywords, meaning, weights)

    def _fuse(
        self, query: Query, keywords: list[Hit], meaning: list[Hit], weights: tuple[float, float, float]
    ) -> list[Hit]:
        """The union of both rankings, ranked by the weighted sum of their standardised scores."""
        pool = list(dict.fromkeys([hit.key for hit in keywords] + [hit.key for hit in meaning]))
        if not pool:
            return []
        keyword = {hit.key: hit.score for hit in keywords}
        floor = min(keyword.values(), default=0.0)
        cosine = {hit.key: hit.score for hit in meaning}
        missing = [key for key in pool if key not in cosine]
        cosine.update(zip(missing, self._index.cosines(missing, query.vector), strict=True))
        signals = [[keyword.get(key, floor) for key in pool], [cosine[key] for key in pool]]
        codes = self._index.codes(pool)
        if codes is None:  # a server's generation without its artefacts here
            weights = (weights[0], weights[1], 0.0)
            signals.append([0.0] * len(pool))
        else:
            asked = late.question(query.tokens, self._stopwords, *self._index.frequencies())
            signals.append(list(asked.scores(codes)))
        total = sum(weight * standardised(signal) for weight, signal in zip(weights, signals, strict=True))
        order = sorted(range(len(pool)), key=lambda n: -float(total[n]))  # stable: ties in pool order
        return [Hit(pool[n], float(total[n])) for n in order]

    def similarity(self, query: str, passages: Sequence[Passage]) -> list[float]:
        """Each passage's cosine similarity to `query` (for relevance thresholds), in the given order."""

        if not passages:
            return []
        vectors = self._embedder.embed([query, *(p.text for p in passages)])
        return [float(score) for score in vectors[1:] @ vectors[0]]

    def rank_bm25(self, query: str, allowed: Sequence[int] | None = None) -> list[int | str]:
        """The best keyword matches, best first (passages without a query term are left out).

        With `expand` on, the glossary's paper words for the query's officer words are searched too.
        """
        return [hit.key for hit in self.rank(query, allowed, "bm25")]

    def papers(self) -> list[PaperInfo]:
        """Each indexed paper once, in index order."""
        return list(self._paper_infos)

    def _allowed(
        self, paper: str | None, organisation: str | None, date_from: date | None, date_to: date | None
    ) -> list[int] | None:
        """The numbers of the papers the filters allow, or None for every paper."""
        if not any((paper, organisation, date_from, date_to)):
            return None
        if date_from and date_to and date_from > date_to:
            raise InputError(f"date_from {date_from} is after date_to {date_to}; swap them")
        allowed = [
            n
            for n, info in enumerate(self._paper_infos)
            if _admits(info, paper, organisation, date_from, date_to)
        ]
        if not allowed:
            names = "; ".join(sorted({p.name for p in self._paper_infos}))
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


class _DiskIndex:
    """A generation on disk: everything from its memory-mapped artefacts; Chroma is not opened."""

    def __init__(self, store: Store, generation: str) -> None:
        self.artefacts: Artefacts = store.open_artefacts(generation)
        self.papers = self.artefacts.papers

    def bm25(self, query: str, allowed: Sequence[int] | None, stem: Any) -> list[Hit]:
        return _keyword_hits(self.artefacts.keywords, query, _mask(self.artefacts, allowed))

    def dense(self, vector: Any, allowed: Sequence[int] | None) -> list[Hit]:
        mask = _mask(self.artefacts, allowed)
        positions, scores = self.artefacts.vectors.nearest(vector, mask, CANDIDATES)
        return [Hit(int(key), float(score)) for key, score in zip(positions, scores, strict=True)]

    def cosines(self, keys: Sequence[int | str], vector: Any) -> list[float]:
        if not keys:
            return []
        return [float(score) for score in self.artefacts.vectors.rows([int(key) for key in keys]) @ vector]

    def codes(self, keys: Sequence[int | str]) -> list[Any] | None:
        return self.artefacts.tokens.of([int(key) for key in keys])

    def frequencies(self) -> tuple[Any, int]:
        return self.artefacts.tokens.df, self.artefacts.tokens.passages

    def fetch(self, keys: Sequence[int | str]) -> list[dict[str, Any]]:
        return self.artefacts.records([int(key) for key in keys])


class _ServerIndex:
    """A generation on a Chroma server: the server answers; nothing is downloaded in bulk."""

    def __init__(self, store: Store, generation: str) -> None:
        import json

        self.collection = store.open_current()
        self.papers: list[dict[str, Any]] = json.loads(
            str((self.collection.metadata or {}).get("papers", "[]"))
        )
        self.artefacts: Artefacts | None = None
        if (store.artefacts_dir(generation) / "search").is_dir():
            try:
                self.artefacts = store.open_artefacts(generation)
                self.papers = self.artefacts.papers
            except KnowledgeIndexError:
                self.artefacts = None  # a damaged local copy: the server's own filter will do
        self._frequencies: tuple[Any, int] | None = None
        shared = (self.collection.metadata or {}).get(late.SHARED_FREQUENCIES)
        if isinstance(shared, str):
            with contextlib.suppress(ValueError):  # unreadable: no word-by-word matching without files
                self._frequencies = late.frequencies_from_text(shared)

    def _where(self, allowed: Sequence[int] | None) -> dict[str, Any] | None:
        if allowed is None:
            return None
        return {"key": {"$in": [str(self.papers[n]["key"]) for n in allowed]}}

    def bm25(self, query: str, allowed: Sequence[int] | None, stem: Any) -> list[Hit]:
        if self.artefacts is not None:
            hits = _keyword_hits(self.artefacts.keywords, query, _mask(self.artefacts, allowed))
            records = self.artefacts.records([int(hit.key) for hit in hits])
            return [Hit(record["id"], hit.score) for record, hit in zip(records, hits, strict=True)]
        return self._bm25_by_filter(query, allowed, stem)

    def _bm25_by_filter(self, query: str, allowed: Sequence[int] | None, stem: Any) -> list[Hit]:
        import re

        import bm25s

        query_tokens = tokenize([query], stem)
        words = sorted({w for w in re.findall(r"\w+", query) if len(w) > 2})
        variants = sorted({form for w in words for form in (w, w.lower(), w.capitalize())})
        if not variants or not query_tokens.vocab:
            return []
        contains: dict[str, Any] = (
            {"$contains": variants[0]}
            if len(variants) == 1
            else {"$or": [{"$contains": form} for form in variants]}
        )
        got = self.collection.get(
            where=self._where(allowed),
            where_document=contains,
            limit=SERVER_KEYWORD_CANDIDATES,
            include=["documents", "metadatas"],
        )
        if not got["ids"]:
            return []
        index = bm25s.BM25()
        corpus = [bm25_text(d, m) for d, m in zip(got["documents"], got["metadatas"], strict=True)]
        index.index(tokenize(corpus, stem), show_progress=False)
        hits = _bm25_hits(index, query_tokens, len(corpus))
        return [Hit(got["ids"][int(hit.key)], hit.score) for hit in hits]

    def dense(self, vector: Any, allowed: Sequence[int] | None) -> list[Hit]:
        found = self.collection.query(
            query_embeddings=[vector.tolist()],
            n_results=2 * CANDIDATES,
            where=self._where(allowed),
            include=["embeddings"],
        )
        ids = found["ids"][0]
        if not ids:
            return []
        scores = _unit(found["embeddings"][0]) @ vector
        order = sorted(range(len(ids)), key=lambda n: (-float(scores[n]), ids[n]))[:CANDIDATES]
        return [Hit(ids[n], float(scores[n])) for n in order]

    def cosines(self, keys: Sequence[int | str], vector: Any) -> list[float]:
        if not keys:
            return []
        positions = self._local(keys)
        if positions is not None and self.artefacts is not None:  # the same vectors, without a request
            return [float(score) for score in self.artefacts.vectors.rows(positions) @ vector]
        got = self.collection.get(ids=[str(key) for key in keys], include=["embeddings"])
        by_id = dict(zip(got["ids"], _unit(got["embeddings"]) @ vector, strict=True))
        return [float(by_id[str(key)]) for key in keys]

    def codes(self, keys: Sequence[int | str]) -> list[Any] | None:
        positions = self._local(keys)
        if positions is not None and self.artefacts is not None:
            return self.artefacts.tokens.of(positions)
        if self._frequencies is None or not keys:
            return None
        got = self.collection.get(ids=[str(key) for key in keys], include=["metadatas"])
        shared = {
            ident: (metadata or {}).get(late.SHARED)
            for ident, metadata in zip(got["ids"], got["metadatas"], strict=True)
        }
        texts = [shared.get(str(key)) for key in keys]
        if not all(isinstance(text, str) for text in texts):
            return None  # a passage without its pieces: fuse keywords and meaning alone
        try:
            return [late.from_text(str(text))[0] for text in texts]
        except ValueError:
            return None

    def _local(self, keys: Sequence[int | str]) -> list[int] | None:
        """Where the passages `keys` sit in this machine's copy of the generation's artefacts, or None
        when there is no copy or it lacks one of them."""
        if self.artefacts is None:
            return None
        positions = self.artefacts.positions([str(key) for key in keys])
        found = [position for position in positions if position is not None]
        return found if len(found) == len(positions) else None

    def frequencies(self) -> tuple[Any, int]:
        if self.artefacts is not None:
            return self.artefacts.tokens.df, self.artefacts.tokens.passages
        assert self._frequencies is not None  # `codes` gave codes only with one or the other
        return self._frequencies

    def fetch(self, keys: Sequence[int | str]) -> list[dict[str, Any]]:
        if not keys:
            return []
        got = self.collection.get(ids=[str(key) for key in keys], include=["documents", "metadatas"])
        by_id = {
            ident: {"id": ident, "document": document, "metadata": metadata}
            for ident, document, metadata in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }
        return [by_id[str(key)] for key in keys]


def _unit(vectors: Any) -> Any:
    """Rows scaled to unit length (a zero row stays zero), float32."""
    import numpy as np

    rows = np.asarray(vectors, dtype=np.float32)
    return rows / np.where((norms := np.linalg.norm(rows, axis=1, keepdims=True)) == 0, 1, norms)


def _mask(artefacts: Artefacts, allowed: Sequence[int] | None) -> Any:
    """Which passages are in the allowed papers (None: all of them)."""
    import numpy as np

    if allowed is None:
        return None
    return np.isin(artefacts.paper_of, np.asarray(allowed, dtype=np.int32))


def _keyword_hits(keywords: Keywords, query: str, mask: Any) -> list[Hit]:
    """The best keyword matches from a generation's BM25 artefact (passages without a query term left out)."""
    stems = keywords.words(query)
    if not stems:
        return []
    positions, scores = keywords.best(stems, mask, CANDIDATES)
    return [Hit(int(n), float(s)) for n, s in zip(positions, scores, strict=True) if s > 0]


def _bm25_hits(index: Any, tokens: Any, size: int) -> list[Hit]:
    """The best matches from a bm25s index built in memory (a server's keyword fallback)."""
    hits, scores = index.retrieve(tokens, k=min(CANDIDATES, size), show_progress=False, n_threads=0)
    return [Hit(int(n), float(s)) for n, s in zip(hits[0], scores[0], strict=True) if s > 0]


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


@cache
def _glossary() -> dict[str, list[str]]:
    import yaml

    raw = yaml.safe_load((Path(__file__).with_name("glossary.yaml")).read_text(encoding="utf-8"))
    return {str(word).casefold(): [str(term) for term in terms] for word, terms in raw.items()}


def expand_query(query: str) -> str:
    """`query` with the glossary's paper words for each officer word it uses."""
    import re

    glossary = _glossary()
    extra = [term for word in re.findall(r"\w+", query) for term in glossary.get(word.casefold(), [])]
    return " ".join([query, *extra]) if extra else query


def standardised(scores: Sequence[float]) -> Any:
    """`scores` minus their mean, over their standard deviation (all zero when they do not vary), so
    scores of different kinds (BM25, cosines) can be added."""
    import numpy as np

    values = np.asarray(scores, dtype=np.float64)
    spread = values.std()
    if spread <= 1e-9 * max(1.0, float(np.abs(values).max(initial=0.0))):  # equal but for rounding
        return np.zeros(len(values))
    return (values - values.mean()) / spread


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


def _paper(row: dict[str, Any]) -> PaperInfo:
    citation = Citation.from_metadata({**row, "start": 0, "end": 0})
    return PaperInfo(
        file=citation.file,
        title=citation.title,
        short=citation.short,
        organisations=citation.organisations,
        body=citation.body,
        date=citation.date,
    )


def _passage(record: dict[str, Any], score: float) -> Passage:
    return Passage(
        text=str(record["document"]),
        score=round(score, 6),
        citation=Citation.from_metadata(record["metadata"]),
    )


_cached: Retriever | None = None
_lock = threading.Lock()


def get_retriever(settings: Settings | None = None, progress: Progress | None = None) -> Retriever:
    """The process's retriever, reloaded when the index has been rebuilt since it was loaded.

    `progress(fraction, message)` hears how loading goes, when there is loading to do."""
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
            _cached = Retriever(settings, progress)
        assert _cached is not None
        return _cached


def clear_retriever() -> None:
    """Forget the cached retriever (tests, or after moving COMMISSION_HOME)."""
    global _cached
    with _lock:
        _cached = None
