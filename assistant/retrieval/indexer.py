"""Building the paper index: the bundled papers plus any files or folders an officer names.

Incremental by content hash: an unchanged file keeps its passages and vectors, a changed one is read,
cut and embedded again, and a file that has gone is dropped. Folders named once are remembered and
scanned again on later runs (`--rebuild` forgets them and embeds everything afresh). A file that cannot be
read is reported with its reason while the others are still indexed. The new index is built beside the
old one and swapped in only when complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import KnowledgeIndexError
from assistant.retrieval import artefacts, late
from assistant.retrieval.chunking import CHUNKER_VERSION, chunk_text
from assistant.retrieval.embeddings import MODEL_ID, get_embedder
from assistant.retrieval.papers import KNOWLEDGE_DIR, PaperInfo, infer_info, load_manifest
from assistant.retrieval.passages import dense_text
from assistant.retrieval.store import Store
from tools.documents import SUPPORTED_SUFFIXES, read_document
from tools.errors import UnreadableFileError

BUNDLED = "knowledge"
Progress = Callable[[str, int, int], None]


@dataclass
class IndexReport:
    """What a build did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    passages: int = 0
    papers: int = 0


@dataclass
class _Previous:
    sources: list[str]
    records: dict[str, list[dict[str, Any]]]  # by file key: id, document, metadata, embedding


def build_index(
    paths: Sequence[Path] = (),
    *,
    rebuild: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> IndexReport:
    """Index the bundled papers, the remembered sources and `paths`, then swap the new index in.

    Args:
        paths: extra files or folders to index (.txt, .md, .pdf, .docx, .html).
        rebuild: embed everything afresh and forget folders named on earlier runs.
        settings: where the index lives (default: from the environment).
        progress: called with (stage, done, total) as files are read and passages embedded.

    Raises:
        KnowledgeIndexError: the index cannot be written (a full disk, say: the index in use is left as it
            was), or another build holds the lock.
    """
    store = Store(settings)
    report = IndexReport()
    with store.writing():
        previous = _Previous([], {}) if rebuild else _previous(store)
        sources = _sources(paths, previous.sources, report)
        files = _files(sources, report)
        records, fresh = _gather(files, previous, report, progress)
        _embed(fresh, progress)
        _keep_tokens(records, store, progress)
        records.extend(fresh)
        report.removed = sorted(set(previous.records) - {key for key, _ in files})
        report.passages, report.papers = len(records), len({r["metadata"]["key"] for r in records})
        if not records:
            raise KnowledgeIndexError("Nothing could be indexed; see the messages above")
        _write(store, records, sources, progress)
    return report


def _previous(store: Store) -> _Previous:
    """The current index's sources and records, or nothing when it is missing or unreadable."""
    records: dict[str, list[dict[str, Any]]] = {}
    try:
        collection = store.open_current(searchable=False)
        for got in store.read_all(collection, ["documents", "metadatas", "embeddings"]):
            metadata = dict(got["metadatas"])
            record = {
                "id": got["id"],
                "document": got["documents"],
                "metadata": metadata,
                "embedding": got["embeddings"],
            }
            shared = metadata.pop(late.SHARED, None)  # a server's passages carry their word pieces
            if isinstance(shared, str):
                with contextlib.suppress(ValueError):  # unreadable: the model reads the passage again
                    record["tokens"], record["pieces"] = late.from_text(shared)
            records.setdefault(str(metadata["key"]), []).append(record)
    except Exception:
        return _Previous([], {})
    sources = json.loads(str((collection.metadata or {}).get("sources", "[]")))
    return _Previous(sources, records)


def _sources(paths: Iterable[Path], remembered: list[str], report: IndexReport) -> list[str]:
    sources: list[str] = []
    for text in remembered:
        if Path(text).exists():
            sources.append(text)
    for path in paths:
        resolved = Path(path).expanduser().resolve()
        if not resolved.exists():
            report.failed.append((str(path), "no such file or folder; check the path"))
        elif str(resolved) not in sources:
            sources.append(str(resolved))
    return sources


def _files(sources: list[str], report: IndexReport) -> list[tuple[str, Path]]:
    """(key, path) of every document: the bundled papers first, then each source's documents."""
    files = [(f"{BUNDLED}/{path.name}", path) for path in sorted(KNOWLEDGE_DIR.glob("*.txt"))]
    seen = {path.resolve() for _, path in files}
    for source in sources:
        root = Path(source)
        found = [root] if root.is_file() else sorted(p for p in root.rglob("*") if _document(p, root))
        for path in found:
            if path.resolve() not in seen:
                seen.add(path.resolve())
                files.append((str(path.resolve()), path))
    return files


def _document(path: Path, root: Path) -> bool:
    hidden = any(part.startswith((".", "~$")) for part in path.relative_to(root).parts)
    return path.is_file() and not hidden and path.suffix.lower() in SUPPORTED_SUFFIXES


def _gather(
    files: list[tuple[str, Path]], previous: _Previous, report: IndexReport, progress: Progress | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Records kept from the previous index, and new records (not yet embedded) for new or changed files."""
    kept: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    manifests: dict[Path, dict[str, PaperInfo]] = {}
    for done, (key, path) in enumerate(files, start=1):
        if progress:
            progress("Reading", done - 1, len(files))
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            old = previous.records.get(key, [])
            version = f"{CHUNKER_VERSION}/{MODEL_ID}"
            if old and all(
                r["metadata"].get("hash") == digest and r["metadata"].get("version") == version for r in old
            ):
                kept.extend(old)
                report.unchanged.append(key)
                continue
            text = read_document(path)
        except UnreadableFileError as error:
            report.failed.append((str(path), error.reason))
            continue
        except OSError as error:
            report.failed.append((str(path), error.strerror or str(error)))
            continue
        folder = path.parent
        manifest = manifests.setdefault(folder, load_manifest(folder))
        info = manifest.get(path.name) or infer_info(path, text)
        fresh.extend(_records(key, digest, info, text))
        (report.updated if old else report.added).append(key)
    if progress:
        progress("Reading", len(files), len(files))
    return kept, fresh


def _records(key: str, digest: str, info: PaperInfo, text: str) -> list[dict[str, Any]]:
    records = []
    for number, chunk in enumerate(chunk_text(text)):
        metadata: dict[str, Any] = {
            "key": key,
            "file": info.file,
            "title": info.title,
            "short": info.name,
            "date": info.date,
            "organisations": "; ".join(info.organisations),
            "body": info.body,
            "section": chunk.section,
            "paragraphs": ",".join(chunk.paragraphs),
            "part": chunk.part,
            "start": chunk.start,
            "end": chunk.end,
            "hash": digest,
            "version": f"{CHUNKER_VERSION}/{MODEL_ID}",
        }
        ident = f"{hashlib.sha1(key.encode()).hexdigest()[:12]}-{number:04d}"
        records.append({"id": ident, "document": chunk.text, "metadata": metadata, "embedding": None})
    return records


def _embed(
    records: list[dict[str, Any]],
    progress: Progress | None,
    batch: int = 64,
    stage: str = "Embedding",
    vectors: bool = True,
) -> None:
    """Give each record its vector (unless `vectors` is off: a kept record keeps its own) and its word
    pieces' codes (`late.py`), from one pass of the model."""
    if not records:
        return
    embedder = get_embedder()
    for begin in range(0, len(records), batch):
        if progress:
            progress(stage, begin, len(records))
        part = records[begin : begin + batch]
        found, states = embedder.embed_with_tokens([dense_text(r["document"], r["metadata"]) for r in part])
        for record, vector, state in zip(part, found, states, strict=True):
            if vectors:
                record["embedding"] = vector
            record["tokens"], record["pieces"] = late.pack(state.vectors), state.ids
    if progress:
        progress(stage, len(records), len(records))


def _keep_tokens(kept: list[dict[str, Any]], store: Store, progress: Progress | None) -> None:
    """Give the records kept from the current index their word-piece codes, unless a server gave them
    already: from its search files where they hold them, otherwise (an index an earlier version built) by
    reading the passages again."""
    kept = [record for record in kept if record.get("tokens") is None]
    if not kept:
        return
    import numpy as np

    generation = store.current_generation()
    try:
        if generation is None:
            raise KnowledgeIndexError("no current index")
        old = store.open_artefacts(generation)
        codes, pieces = np.array(old.tokens.codes), np.array(old.tokens.pieces)  # read once, in bulk
        bounds = old.tokens.offsets
        for record, n in zip(kept, old.positions([str(r["id"]) for r in kept]), strict=True):
            if n is not None:
                rows = slice(int(bounds[n]), int(bounds[n + 1]))
                record["tokens"], record["pieces"] = codes[rows], pieces[rows]
    except (KnowledgeIndexError, OSError, ValueError):
        pass  # an earlier format, or damaged: read again below
    missing = [record for record in kept if record.get("tokens") is None]
    _embed(missing, progress, stage="Reading word pieces", vectors=False)


def _write(
    store: Store, records: list[dict[str, Any]], sources: list[str], progress: Progress | None
) -> None:
    """Write every record into a new generation, and its search artefacts, then swap it in; on any
    failure, remove the new generation. `bench_scale` and the scale test call this directly to store
    synthetic passages with their vectors, without the embedder.

    A failure to store (a full disk, a read-only folder) becomes a one-line `KnowledgeIndexError`.
    """
    metadata = {
        "sources": json.dumps(sources),
        "model": MODEL_ID,
        "built": datetime.now().isoformat(timespec="seconds"),
        # what a server's colleagues filter by, without downloading the passages
        "papers": json.dumps(artefacts.paper_rows(records)[0], ensure_ascii=False),
    }
    if store.url:  # and the rarity of word pieces, for their word-by-word matching
        df = late.frequencies([r.get("tokens") for r in records], [r.get("pieces") for r in records])
        metadata[late.SHARED_FREQUENCIES] = late.frequencies_text(df, len(records))
    generation = None
    try:
        generation, collection = store.new_generation(metadata)
        for begin in range(0, len(records), 500):
            part = records[begin : begin + 500]
            collection.add(
                ids=[r["id"] for r in part],
                documents=[r["document"] for r in part],
                metadatas=[_shared(r) if store.url else r["metadata"] for r in part],
                embeddings=[r["embedding"] for r in part],
            )
            if progress:
                progress("Writing", begin + len(part), len(records))
        artefacts.write(store.artefacts_dir(generation), records)
        store.activate(generation)
    except BaseException as error:
        if generation is not None:
            store.discard(generation)
        failure = store.unwritable(error)
        if failure is None:
            raise
        raise failure from None


def _shared(record: dict[str, Any]) -> dict[str, Any]:
    """The metadata a server keeps for `record`: its own, and its word pieces, so that a colleague's next
    build (without this machine's search files) keeps them instead of reading every passage again."""
    if record.get("tokens") is None or record.get("pieces") is None:
        return record["metadata"]
    return {**record["metadata"], late.SHARED: late.to_text(record["tokens"], record["pieces"])}
