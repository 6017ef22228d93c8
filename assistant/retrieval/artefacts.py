"""Search artefacts built once per index generation and memory-mapped by every search.

A search process must not read the whole collection or rebuild anything at start: at 250,000 passages
that is minutes and gigabytes. So `commission index` writes, beside each generation (in its folder on
disk, or under `COMMISSION_HOME/index/server/` for a server's generation):

- `vectors.npy`: the unit vectors, float32, in index order. Memory-mapped, exact cosine over all of them
  is one matrix product (tens of milliseconds at 250,000) and gives the same answer every time.
- `bm25/`: the bm25s keyword index of `bm25_text`, saved by bm25s and loaded memory-mapped.
- `records.jsonl` and `offsets.npy`: each passage's id, text and metadata, one JSON line each, and where
  each line starts, so a search reads only the lines it returns.
- `papers.json` and `paper_of.npy`: each paper's metadata once, and which paper each passage is from, so
  the paper, organisation and date filters become one vectorised mask.

Files are written into a scratch folder and renamed into place last, so a half-written set is never read.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.retrieval.passages import bm25_text

FOLDER = "search"
FILES = ("vectors.npy", "records.jsonl", "offsets.npy", "papers.json", "paper_of.npy", "bm25")
TOKENS = r"(?u)\b\w+\b"  # keeps "3" in "Regulation 3" (the default pattern drops one-character tokens)
_PAPER_FIELDS = ("key", "file", "title", "short", "date", "organisations", "body")
_TOKENIZE_BATCH = 20_000  # passages tokenised at once while building BM25: bounds the builder's memory


def stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str], stem: Any) -> Any:
    import bm25s

    return bm25s.tokenize(texts, token_pattern=TOKENS, stemmer=stem, show_progress=False)


def write(folder: Path, records: Sequence[dict[str, Any]]) -> None:
    """Write the artefacts for `records` (id, document, metadata, embedding) into `folder/search`."""
    import numpy as np

    target, scratch = folder / FOLDER, folder / f"{FOLDER}.new"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    vectors = np.lib.format.open_memmap(
        scratch / "vectors.npy", mode="w+", dtype=np.float32, shape=(len(records), _width(records))
    )
    for begin in range(0, len(records), 5000):
        part = np.asarray([r["embedding"] for r in records[begin : begin + 5000]], dtype=np.float32)
        norms = np.linalg.norm(part, axis=1, keepdims=True)
        vectors[begin : begin + len(part)] = part / np.where(norms == 0, 1, norms)
    vectors.flush()
    del vectors
    _write_records(scratch, records)
    _write_bm25(scratch / "bm25", records)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(scratch, target)


def _width(records: Sequence[dict[str, Any]]) -> int:
    return len(records[0]["embedding"]) if records else 0


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
    np.save(scratch / "offsets.npy", offsets)
    np.save(scratch / "paper_of.npy", paper_of)
    (scratch / "papers.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def _write_bm25(target: Path, records: Sequence[dict[str, Any]]) -> None:
    import bm25s

    stem = stemmer()
    corpus: list[list[str]] = []
    for begin in range(0, len(records), _TOKENIZE_BATCH):
        texts = [bm25_text(r["document"], r["metadata"]) for r in records[begin : begin + _TOKENIZE_BATCH]]
        corpus.extend(_stemmed_words(texts, stem))
    index = bm25s.BM25()
    index.index(corpus, show_progress=False)
    index.save(str(target), show_progress=False)


def _stemmed_words(texts: list[str], stem: Any) -> list[list[str]]:
    import bm25s

    words = bm25s.tokenize(texts, token_pattern=TOKENS, stemmer=stem, show_progress=False, return_ids=False)
    return [[sys.intern(word) for word in document] for document in words]  # one copy of each stem


@dataclass
class Artefacts:
    """A generation's artefacts, opened memory-mapped: cheap to open, nothing read until a search."""

    folder: Path
    vectors: Any
    offsets: Any
    paper_of: Any
    papers: list[dict[str, Any]]
    bm25: Any

    @classmethod
    def open(cls, folder: Path) -> Artefacts:
        """Open `folder/search`.

        Raises:
            OSError, ValueError: a file is missing or damaged (the caller names the fix).
        """
        import bm25s
        import numpy as np

        where = folder / FOLDER
        missing = [name for name in FILES if not (where / name).exists()]
        if missing:
            raise FileNotFoundError(f"its search files are missing ({', '.join(missing)})")
        vectors = np.load(where / "vectors.npy", mmap_mode="r")
        offsets = np.load(where / "offsets.npy", mmap_mode="r")
        paper_of = np.load(where / "paper_of.npy", mmap_mode="r")
        papers = json.loads((where / "papers.json").read_text(encoding="utf-8"))
        if not (len(vectors) == len(offsets) == len(paper_of)) or not len(vectors):
            raise ValueError("its search files disagree on the number of passages")
        bm25 = bm25s.BM25.load(str(where / "bm25"), mmap=True, show_progress=False)
        return cls(where, vectors, offsets, paper_of, papers, bm25)

    def __len__(self) -> int:
        return len(self.offsets)

    def records(self, positions: Sequence[int]) -> list[dict[str, Any]]:
        """The id, document and metadata of each passage at `positions`, in that order."""
        found = []
        with open(self.folder / "records.jsonl", "rb") as lines:
            for position in positions:
                lines.seek(int(self.offsets[position]))
                found.append(json.loads(lines.readline()))
        return found
