"""Search artefacts built once per index generation and memory-mapped by every search.

A search process must not read the whole collection or rebuild anything at start: at 250,000 passages
that is minutes and gigabytes. So `commission index` writes, beside each generation (in its folder on
disk, or under `COMMISSION_HOME/index/server/` for a server's generation):

- `vectors.npy`: the unit vectors, float32, in index order. Memory-mapped; the exact cosines.
- `coarse.npy`, `coarse_scale.npy`, `coarse_error.npy`: each vector as int8 codes times a scale, and a
  bound on how far the codes can move any cosine. Above `COARSE_FROM` passages a search scans the codes (a
  quarter of the bytes: at 250,000 passages 96 MB instead of 384 MB, half the time) and scores exactly only
  the passages the bound says could still be among the best, so the ranking is the exact one.
- `bm25/`: the BM25 matrix by term, as numpy arrays (`indptr.npy` says where each term's passages start in
  `indices.npy` and their scores in `data.npy`), the stems' numbers (`vocab.json`) and how text was cut
  into words (`words.json`). A query reads the postings of its own terms only.
- `tokens/`: each passage's word pieces as sign bits, for word-by-word matching (`late.py`).
- `records.jsonl` and `offsets.npy`: each passage's id, text and metadata, one JSON line each, and where
  each line starts, so a search reads only the lines it returns; `ids.json`, the ids alone in index order
  (a Chroma server names passages by id).
- `papers.json` and `paper_of.npy`: each paper's metadata once, and which paper each passage is from, so
  the paper, organisation and date filters become one vectorised mask.
- `format.json`: `FORMAT`, the version of this layout. Files of another version are refused with a message
  that names `commission index`, which rewrites them from the collection without embedding anything again.

Files are written into a scratch folder and renamed into place last, so a half-written set is never read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from assistant.retrieval import late
from assistant.retrieval.passages import bm25_text

FOLDER = "search"
FORMAT = 3
"""The layout's version: 1 (no `format.json`) kept bm25s's own files and no int8 codes; 2 had no
word-piece codes (`tokens/`)."""
FILES = (
    "format.json",
    "vectors.npy",
    "coarse.npy",
    "coarse_scale.npy",
    "coarse_error.npy",
    "records.jsonl",
    "ids.json",
    "offsets.npy",
    "papers.json",
    "paper_of.npy",
    "bm25",
    "tokens",
)
BM25_FILES = ("data.npy", "indices.npy", "indptr.npy", "vocab.json", "words.json")
TOKENS = r"(?u)\b\w+\b"  # keeps "3" in "Regulation 3" (the default pattern drops one-character tokens)
COARSE_FROM = 20_000
"""Fewest passages for the int8 first pass: below it one float32 product takes a few milliseconds."""
SLACK = 1e-4
"""Added to each passage's quantisation bound for float32 rounding (at most 5e-5 over 384 products)."""
_BLOCK = 1024  # int8 rows widened at once: 1.5 MB; larger blocks let OpenBLAS thread, slow on a busy machine
_WRITE_BLOCK = 5000  # vectors normalised and quantised at once while writing
_PAPER_FIELDS = ("key", "file", "title", "short", "date", "organisations", "body")


class OutdatedError(ValueError):
    """The artefacts are of another `FORMAT`: `commission index` rewrites them."""


def stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str], stem: Any) -> Any:
    """bm25s's tokens of `texts`, for an index built in memory (a Chroma server's keyword fallback)."""
    import bm25s

    return bm25s.tokenize(texts, token_pattern=TOKENS, stemmer=stem, show_progress=False)


def english_stopwords() -> list[str]:
    """The words bm25s leaves out by default, saved with each index so a query drops the same ones."""
    from bm25s.stopwords import STOPWORDS_EN

    return list(STOPWORDS_EN)


def words(text: str, stopwords: frozenset[str], stem: Any) -> list[str]:
    """The stems of `text` in order, as bm25s.tokenize cuts them (lower case, `TOKENS`, no stopwords).

    Here rather than bm25s's, so a search need not import bm25s (a third of a second) to cut a query.
    """
    kept = [word for word in re.findall(TOKENS, text.lower()) if word not in stopwords]
    return list(stem.stemWords(kept)) if kept else []


def write(folder: Path, records: Sequence[dict[str, Any]]) -> None:
    """Write the artefacts for `records` into `folder/search`.

    A record has an id, document, metadata and embedding, and may have `tokens` (its word pieces' packed
    codes, `late.pack`) and `pieces` (their vocabulary numbers); one without has no word-by-word score.
    """
    target, scratch = folder / FOLDER, folder / f"{FOLDER}.new"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    _write_vectors(scratch, records)
    _write_records(scratch, records)
    _write_bm25(scratch / "bm25", records)
    late.write(scratch / late.FOLDER, [r.get("tokens") for r in records], [r.get("pieces") for r in records])
    (scratch / "format.json").write_text(json.dumps({"format": FORMAT, "passages": len(records)}))
    shutil.rmtree(target, ignore_errors=True)
    os.replace(scratch, target)


def _width(records: Sequence[dict[str, Any]]) -> int:
    return len(records[0]["embedding"]) if records else 0


def _write_vectors(scratch: Path, records: Sequence[dict[str, Any]]) -> None:
    """The unit vectors and their int8 codes, a block at a time so the builder holds one block twice."""
    import numpy as np

    shape = (len(records), _width(records))
    files = {
        name: np.lib.format.open_memmap(scratch / f"{name}.npy", mode="w+", dtype=dtype, shape=size)
        for name, dtype, size in (
            ("vectors", np.float32, shape),
            ("coarse", np.int8, shape),
            ("coarse_scale", np.float32, shape[:1]),
            ("coarse_error", np.float32, shape[:1]),
        )
    }
    for begin in range(0, len(records), _WRITE_BLOCK):
        part = np.asarray([r["embedding"] for r in records[begin : begin + _WRITE_BLOCK]], dtype=np.float32)
        norms = np.linalg.norm(part, axis=1, keepdims=True)
        unit = part / np.where(norms == 0, 1, norms)
        rows = slice(begin, begin + len(unit))
        files["vectors"][rows] = unit
        files["coarse"][rows], files["coarse_scale"][rows], files["coarse_error"][rows] = quantise(unit)
    for array in files.values():
        array.flush()


def quantise(unit: Any) -> tuple[Any, Any, Any]:
    """Int8 codes, a scale and an error bound for each row of `unit` (float32 vectors).

    A row is `scale * codes + residual`; the bound is the residual's length rounded up, so for any query
    q the cosine from the codes is within `bound * |q|` of the exact one (Cauchy-Schwarz). Codes use the
    row's whole range (its largest component is ±127), which for MiniLM vectors gives bounds near 0.007.
    """
    import numpy as np

    exact = unit.astype(np.float64)
    scale = (np.abs(exact).max(axis=1) / 127).astype(np.float32)
    scale[scale == 0] = 1
    codes = np.clip(np.rint(exact / scale[:, None]), -127, 127)
    residual = np.linalg.norm(exact - codes * scale[:, None].astype(np.float64), axis=1)
    bound = np.nextafter(residual.astype(np.float32), np.float32(np.inf))  # never below the float64 value
    return codes.astype(np.int8), scale, bound


def paper_rows(records: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], Any]:
    """Each paper's metadata once, and the number of each record's paper among them."""
    import numpy as np

    papers: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    paper_of = np.zeros(len(records), dtype=np.int32)
    for n, record in enumerate(records):
        metadata = record["metadata"]
        key = str(metadata["key"])
        if key not in papers:
            papers[key] = len(rows)
            rows.append({name: metadata.get(name, "") for name in _PAPER_FIELDS})
        paper_of[n] = papers[key]
    return rows, paper_of


def _write_records(scratch: Path, records: Sequence[dict[str, Any]]) -> None:
    import numpy as np

    offsets = np.zeros(len(records), dtype=np.int64)
    with open(scratch / "records.jsonl", "wb") as out:
        for n, record in enumerate(records):
            offsets[n] = out.tell()
            line = {"id": record["id"], "document": record["document"], "metadata": record["metadata"]}
            out.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
    rows, paper_of = paper_rows(records)
    (scratch / "ids.json").write_text(json.dumps([str(r["id"]) for r in records]), encoding="utf-8")
    np.save(scratch / "offsets.npy", offsets)
    np.save(scratch / "paper_of.npy", paper_of)
    (scratch / "papers.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def _write_bm25(target: Path, records: Sequence[dict[str, Any]]) -> None:
    """bm25s computes the matrix; its arrays are saved as plain .npy files any numpy can memory-map."""
    import bm25s
    import numpy as np

    stem, stopwords = stemmer(), english_stopwords()
    corpus = _stemmed_corpus(records, frozenset(stopwords), stem)
    index = bm25s.BM25()
    index.index(corpus, show_progress=False)
    del corpus
    target.mkdir()
    for name in ("data", "indices", "indptr"):
        np.save(target / f"{name}.npy", np.ascontiguousarray(index.scores[name]))
    terms = len(index.scores["indptr"]) - 1  # bm25s adds an empty token after the matrix: no query has it
    vocab = {stem: number for stem, number in index.vocab_dict.items() if number < terms}
    (target / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    spec = {"pattern": TOKENS, "stemmer": "english", "stopwords": stopwords}
    (target / "words.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")


def _stemmed_corpus(records: Sequence[dict[str, Any]], stopwords: frozenset[str], stem: Any) -> list[Any]:
    import sys

    return [
        [sys.intern(word) for word in words(bm25_text(r["document"], r["metadata"]), stopwords, stem)]
        for r in records  # interned: one copy of each stem however many passages use it
    ]


def top_bm25(scores: Any, count: int) -> tuple[Any, Any]:
    """The `count` best positions and their scores, best first, chosen and ordered exactly as bm25s's
    numpy top-k does (argpartition, then argsort of those), so ties fall the same way as they always have."""
    import numpy as np

    chosen = np.argpartition(scores, -count)[-count:]
    chosen_scores = scores[chosen]
    order = np.flip(np.argsort(chosen_scores))
    return chosen[order], chosen_scores[order]


def top(scores: Any, count: int) -> Any:
    """Positions of the `count` highest scores, best first; equal scores in index order (deterministic)."""
    import numpy as np

    if len(scores) > count:
        cut = np.partition(scores, len(scores) - count)[len(scores) - count]
        chosen = np.flatnonzero(scores >= cut)
    else:
        chosen = np.arange(len(scores))
    return chosen[np.lexsort((chosen, -scores[chosen]))][:count]


@dataclass
class Keywords:
    """The BM25 matrix by term (CSC), memory-mapped: a query touches only its own terms' postings."""

    vocab: dict[str, int]
    data: Any
    indices: Any
    indptr: Any
    size: int
    stopwords: frozenset[str]
    stem: Any

    @classmethod
    def open(cls, where: Path, size: int) -> Keywords:
        """Open `where` (a generation's `bm25/`) for an index of `size` passages.

        Raises:
            OSError, ValueError: a file is missing or its arrays disagree.
        """
        import numpy as np

        arrays = [np.load(where / f"{name}.npy", mmap_mode="r") for name in ("data", "indices", "indptr")]
        data, indices, indptr = arrays
        vocab = json.loads((where / "vocab.json").read_text(encoding="utf-8"))
        spec = json.loads((where / "words.json").read_text(encoding="utf-8"))
        if not isinstance(vocab, dict) or not isinstance(spec, dict):
            raise ValueError("its keyword index is damaged")
        if spec.get("pattern") != TOKENS or spec.get("stemmer") != "english":
            raise OutdatedError("its keyword index cuts words another way")
        if len(indptr) != len(vocab) + 1 or len(data) != len(indices) or int(indptr[-1]) != len(data):
            raise ValueError("its keyword index is damaged")
        return cls(vocab, data, indices, indptr, size, frozenset(spec["stopwords"]), stemmer())

    def words(self, text: str) -> list[str]:
        """The stems of `text` as the index cut its passages."""
        return words(text, self.stopwords, self.stem)

    def scores(self, stems: Sequence[str], mask: Any = None) -> Any:
        """Each passage's BM25 score for `stems` (a repeated stem counts again), 0 where `mask` is False.

        Summed term by term in float32 in the query's order, as bm25s does, so the scores are its scores.
        """
        import numpy as np

        scores = np.zeros(self.size, dtype=np.float32)
        for term in (self.vocab[stem] for stem in stems if stem in self.vocab):
            begin, end = int(self.indptr[term]), int(self.indptr[term + 1])
            scores[self.indices[begin:end]] += self.data[begin:end]  # a term lists a passage once
        if mask is not None:
            scores *= mask
        return scores

    def best(self, stems: Sequence[str], mask: Any, count: int) -> tuple[Any, Any]:
        """The `count` best positions and their scores, best first (zero scores included)."""
        return top_bm25(self.scores(stems, mask), min(count, self.size))


@dataclass
class Vectors:
    """The unit vectors (exact) and their int8 codes (a first pass at scale), memory-mapped."""

    exact: Any
    coarse: Any
    scale: Any
    error: Any

    def nearest(self, vector: Any, mask: Any, count: int) -> tuple[Any, Any]:
        """The `count` positions closest to the unit `vector` (among `mask`), best first, and their cosines.

        The ranking is that of the exact cosines, ties in index order. Below `COARSE_FROM` passages every
        cosine is computed; above it only those of passages the int8 pass cannot rule out.
        """
        if len(self.exact) < COARSE_FROM:
            positions = None if mask is None else _flat(mask)
            scores = self.exact @ vector if positions is None else self.exact[positions] @ vector
            best = top(scores, count)
            return (best if positions is None else positions[best]), scores[best]
        candidates = self.candidates(vector, mask, count)
        scores = self.rows(candidates) @ vector
        best = top(scores, count)
        return candidates[best], scores[best]

    def rows(self, positions: Any) -> Any:
        """The exact vectors at `positions`, read from the file rather than through the map.

        Touching a row through the map maps in the cached pages around it too (the kernel's fault-around,
        and on recent kernels the whole large folio), and they stay in the process's RSS: measured at
        250,000 passages, a few hundred scattered rows a search grew it by 300 MB in one search and 570 MB
        in 84. Reading copies the 1.5 kB a row needs and maps nothing.
        """
        import numpy as np

        width = self.exact.shape[1] * self.exact.itemsize
        found = bytearray(len(positions) * width)
        with open(self.exact.filename, "rb", buffering=0) as file:
            for n, position in enumerate(positions):
                file.seek(self.exact.offset + int(position) * width)
                if file.readinto(memoryview(found)[n * width : (n + 1) * width]) != width:
                    raise OSError(f"{self.exact.filename} is shorter than its header says")
        return np.frombuffer(found, dtype=self.exact.dtype).reshape(len(positions), self.exact.shape[1])

    def candidates(self, vector: Any, mask: Any, count: int) -> Any:
        """The positions whose exact cosine could be among the `count` best, in index order.

        With `margin` bounding each coarse cosine's error, at least `count` passages have an exact cosine
        of at least the `count`-th best lower bound (`cut`), so every one of the best has an upper bound
        of at least `cut`; the passages whose upper bound is below it cannot be among them.
        """
        import numpy as np

        allowed = len(self.exact) if mask is None else int(np.count_nonzero(mask))
        if allowed <= count:
            return np.arange(len(self.exact)) if mask is None else _flat(mask)
        approximate = self._coarse(vector)
        margin = (self.error + np.float32(SLACK)) * np.float32(np.linalg.norm(vector.astype(np.float64)))
        lower, upper = approximate - margin, approximate + margin
        if mask is not None:
            lower[~mask] = upper[~mask] = -np.inf
        cut = np.partition(lower, len(lower) - count)[len(lower) - count]
        return np.flatnonzero(upper >= cut)

    def _coarse(self, vector: Any) -> Any:
        """Every passage's cosine from its int8 codes, the halves scanned on two threads (numpy lets go of
        the GIL); the blocks are the same whatever the threads, so the result is too."""
        import numpy as np

        found = np.empty(len(self.coarse), dtype=np.float32)
        middle = len(self.coarse) // 2 // _BLOCK * _BLOCK
        halves = [(0, middle), (middle, len(self.coarse))]
        list(_scanners().map(lambda half: self._scan(vector, found, *half), halves))
        found *= self.scale
        return found

    def _scan(self, vector: Any, found: Any, begin: int, end: int) -> None:
        """Cosines from the codes of rows `begin` to `end`: a block at a time widened to float32, then one
        BLAS product (numpy has no int8 product that is faster than widening)."""
        import numpy as np

        widened = np.empty((_BLOCK, self.coarse.shape[1]), dtype=np.float32)
        for start in range(begin, end, _BLOCK):
            codes = self.coarse[start : min(start + _BLOCK, end)]
            block = widened[: len(codes)]
            np.copyto(block, codes)
            np.matmul(block, vector, out=found[start : start + len(codes)])


@cache
def _scanners() -> ThreadPoolExecutor:
    """Two threads for the int8 pass, started once per process (starting threads per search costs more
    than it saves on a busy machine)."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="coarse-scan")


def _flat(mask: Any) -> Any:
    import numpy as np

    return np.flatnonzero(mask)


@dataclass
class Artefacts:
    """A generation's artefacts, opened memory-mapped: cheap to open, nothing read until a search."""

    folder: Path
    vectors: Vectors
    offsets: Any
    paper_of: Any
    papers: list[dict[str, Any]]
    keywords: Keywords
    tokens: late.Tokens
    _positions: dict[str, int] | None = None

    @classmethod
    def open(cls, folder: Path) -> Artefacts:
        """Open `folder/search`.

        Raises:
            OutdatedError: the files are of another `FORMAT` (the caller says to run `commission index`).
            OSError, ValueError: a file is missing or damaged (the caller names the fix).
        """
        import numpy as np

        where = folder / FOLDER
        check_format(where)
        missing = [name for name in FILES if not (where / name).exists()]
        missing += [f"bm25/{name}" for name in BM25_FILES if not (where / "bm25" / name).exists()]
        missing += [f"tokens/{name}" for name in late.FILES if not (where / late.FOLDER / name).exists()]
        if missing:
            raise FileNotFoundError(f"its search files are missing ({', '.join(missing)})")
        mapped = {
            name: np.load(where / f"{name}.npy", mmap_mode="r")
            for name in ("vectors", "coarse", "coarse_scale", "coarse_error", "offsets", "paper_of")
        }
        if len({len(array) for array in mapped.values()}) != 1 or not len(mapped["offsets"]):
            raise ValueError("its search files disagree on the number of passages")
        if mapped["coarse"].shape != mapped["vectors"].shape:
            raise ValueError("its search files disagree on the vectors' width")
        vectors = Vectors(mapped["vectors"], mapped["coarse"], mapped["coarse_scale"], mapped["coarse_error"])
        papers = json.loads((where / "papers.json").read_text(encoding="utf-8"))
        keywords = Keywords.open(where / "bm25", len(mapped["offsets"]))
        tokens = late.Tokens.open(where / late.FOLDER, len(mapped["offsets"]))
        return cls(where, vectors, mapped["offsets"], mapped["paper_of"], papers, keywords, tokens)

    def __len__(self) -> int:
        return len(self.offsets)

    def positions(self, ids: Sequence[str]) -> list[int | None]:
        """Where each passage id sits in index order (None for an id this generation lacks)."""
        if self._positions is None:
            listed = json.loads((self.folder / "ids.json").read_text(encoding="utf-8"))
            self._positions = {str(ident): n for n, ident in enumerate(listed)}
        return [self._positions.get(str(ident)) for ident in ids]

    def records(self, positions: Sequence[int]) -> list[dict[str, Any]]:
        """The id, document and metadata of each passage at `positions`, in that order."""
        found = []
        with open(self.folder / "records.jsonl", "rb") as lines:
            for position in positions:
                lines.seek(int(self.offsets[position]))
                found.append(json.loads(lines.readline()))
        return found


def check_format(where: Path) -> None:
    """Refuse artefacts of another layout before reading any of them."""
    if not where.is_dir():
        raise FileNotFoundError("its search files are missing")
    try:
        written = json.loads((where / "format.json").read_text(encoding="utf-8")).get("format")
    except FileNotFoundError:
        written = 1
    except (ValueError, AttributeError):
        raise ValueError("its search files' format.json is damaged") from None
    if written != FORMAT:
        raise OutdatedError(f"its search files are of format {written}; this version reads format {FORMAT}")
