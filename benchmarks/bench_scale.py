"""Retrieval at scale: synthetic indexes of 10k, 50k and 250k passages, searched as an officer would.

Passages are real text: sentences sampled from the bundled papers, three to six to a passage, grouped
into synthetic papers of 100 passages with real-looking metadata. Their vectors are random unit vectors,
and their word-piece codes random bits (80 to 140 pieces a passage, as real passages have), stored through
the store layer (`indexer._write`, the same path `commission index` takes), so a 250k
index is built in minutes without running the embedder; one "needle" passage carries its real vector and
unique words, so a search can be checked for finding it. Printed per size: build time, cold
`commission search` (a fresh process; the files are in the page cache after the build, so this is
start-up plus search, not disk), warm hybrid search p50/p95 over the evaluation questions, the search
process's peak RSS and the index's size on disk. Then embedding throughput for real indexing.

The peak RSS is the search process's own (`benchmarks.timing.peak_rss_kib`): `ru_maxrss` reported the
builder's, 250,000 synthetic records in memory, about 2.8 GB, rather than the search's.

With `--server`, each size is measured a second time against a local `chroma run` (started on a free
loopback port, persisting in the scratch folder): the index is built into the server, and searches
take their dense candidates from the server's own query, as a team sharing an index would; then from a
home with no search files of its own ("colleague"), as a colleague on another machine searches it.

`make bench-scale` runs it; `python -m benchmarks.bench_scale 10000 50000 --server` picks the sizes.
Targets at 250k: cold < 3 s, warm p95 < 100 ms, RSS < 1.5 GB. Printed, never asserted.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from assistant.config import Settings
from assistant.retrieval.papers import KNOWLEDGE_DIR

COMMISSION = Path(sys.executable).with_name("commission")
SIZES = (10_000, 50_000, 250_000)
PER_PAPER = 100
NEEDLE = (
    "The Kestrelmoor wheelchair service will be recommissioned through a zebrafinch dynamic purchasing "
    "system, with mobilisation in the spring."
)
NEEDLE_QUERY = "Kestrelmoor wheelchair zebrafinch dynamic purchasing system"
_ORGANISATIONS = (
    "NHS Northshire ICB",
    "Westvale Council",
    "NHS Eastmoor CCG",
    "Southby Borough Council",
    "NHS Riverside ICB",
)
_WARM = """
import json, sys, time
from assistant.retrieval.search import get_retriever
from benchmarks.timing import peak_rss_kib
questions = json.loads(sys.argv[1])
retriever = get_retriever()
retriever.search(questions[0], 5)
timings = []
for question in questions:
    started = time.perf_counter()
    retriever.search(question, 5)
    timings.append(time.perf_counter() - started)
print(json.dumps({"timings": timings, "rss_kib": peak_rss_kib()}))
"""


def _sentences() -> list[str]:
    from tools.documents import read_document

    found: list[str] = []
    for path in sorted(KNOWLEDGE_DIR.glob("*.txt")):
        text = read_document(path)
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.strip()) > 40]
    return found


def synthetic_records(count: int, *, seed: int = 7, dimensions: int = 384) -> list[dict[str, Any]]:
    """`count` passages of sampled real sentences with random unit vectors and word-piece codes; the
    needle is the last. The needle's vector and codes are left as None for the caller to fill in (with
    the embedder, once).
    """
    import numpy as np

    from assistant.retrieval import late

    generator = random.Random(seed)
    numbers = np.random.default_rng(seed)
    vectors = numbers.standard_normal((count, dimensions)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    lengths = numbers.integers(80, 141, size=count)
    ends = np.cumsum(lengths)
    codes = numbers.integers(0, 256, size=(int(ends[-1]), late.WIDTH // 8), dtype=np.uint8)
    pieces = numbers.integers(1000, late.VOCABULARY, size=int(ends[-1]), dtype=np.int32)
    pool = _sentences()
    records: list[dict[str, Any]] = []
    for n in range(count):
        paper = n // PER_PAPER
        text = " ".join(generator.sample(pool, generator.randint(3, 6)))
        if n == count - 1:
            text = NEEDLE
        metadata = {
            "key": f"synthetic/paper-{paper:05d}.txt",
            "file": f"paper-{paper:05d}.txt",
            "title": f"Commissioning board paper {paper}",
            "short": f"Paper {paper}",
            "date": f"{2015 + paper % 11}-{1 + paper % 12:02d}-15",
            "organisations": _ORGANISATIONS[paper % len(_ORGANISATIONS)],
            "body": "Board",
            "section": "",
            "paragraphs": str(1 + n % PER_PAPER),
            "start": 0,
            "end": len(text),
            "hash": "synthetic",
            "version": "synthetic",
        }
        needle = n == count - 1
        rows = slice(int(ends[n] - lengths[n]), int(ends[n]))
        records.append(
            {
                "id": f"s{n:07d}",
                "document": text,
                "metadata": metadata,
                "embedding": None if needle else vectors[n],
                "tokens": None if needle else codes[rows],
                "pieces": None if needle else pieces[rows],
            }
        )
    return records


def build_synthetic(home: Path, count: int, *, seed: int = 7, server: str | None = None) -> None:
    """A `count`-passage synthetic index under `home` (or in the Chroma `server`), through the store layer."""
    from assistant.retrieval import late
    from assistant.retrieval.embeddings import get_embedder
    from assistant.retrieval.indexer import _write
    from assistant.retrieval.store import Store

    records = synthetic_records(count, seed=seed)
    vectors, states = get_embedder().embed_with_tokens([NEEDLE])
    records[-1]["embedding"] = vectors[0]
    records[-1]["tokens"], records[-1]["pieces"] = late.pack(states[0].vectors), states[0].ids
    store = Store(Settings(home=home, chroma_url=server))
    with store.writing():
        _write(store, records, [], None)


def chroma_executable() -> str | None:
    """The `chroma` command installed beside this Python, or on the PATH; None when there is none."""
    beside_python = Path(sys.executable).with_name("chroma")
    return str(beside_python) if beside_python.exists() else shutil.which("chroma")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def chroma_server(data: Path, log: Path) -> Iterator[str]:
    """`chroma run` on a free loopback port, persisting in `data`, its output in `log`; yields its URL.

    Raises:
        RuntimeError: it is not installed, or did not answer within 30 seconds (with its log).
    """
    executable = chroma_executable()
    if executable is None:
        raise RuntimeError("the `chroma` executable is not installed")
    port = free_port()
    command = [executable, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 30
            while not _answers(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not start: {log.read_text(errors='replace')}")
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def _environment(home: Path, server: str | None = None) -> dict[str, str]:
    found = {**os.environ, "COMMISSION_HOME": str(home), "ORT_DISABLE_TELEMETRY": "1"}
    if server:
        found["COMMISSION_CHROMA_URL"] = server
    return found


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(
    count: int, root: Path, questions: list[str], server: str | None = None, colleague: bool = False
) -> dict[str, float]:
    """Build (unless `colleague`: search the index already on `server` from a home with no search files of
    its own, as a colleague does) and measure searching it."""
    home = root / (f"colleague-{count}" if colleague else f"scale-{count}")
    started = time.perf_counter()
    if not colleague:
        build_synthetic(home, count, server=server)
    built = time.perf_counter() - started
    colds = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [str(COMMISSION), "search", NEEDLE_QUERY, "-k", "5"],
            env=_environment(home, server),
            check=True,
            capture_output=True,
        )
        colds.append(time.perf_counter() - started)
    done = subprocess.run(
        [sys.executable, "-c", _WARM, json.dumps(questions)],
        env=_environment(home, server),
        check=True,
        capture_output=True,
        text=True,
    )
    warm = json.loads(done.stdout.splitlines()[-1])
    return {
        "passages": count,
        "build_s": built,
        "cold_s": sorted(colds)[1],
        "p50_ms": _percentile(warm["timings"], 0.5) * 1000,
        "p95_ms": _percentile(warm["timings"], 0.95) * 1000,
        "rss_mb": warm["rss_kib"] / 1024,
        "disk_mb": _size(home / "index") / 1e6 if (home / "index").exists() else 0.0,
    }


def embedding_throughput(chunks: int = 256) -> float:
    """Chunks per second embedding real passages of the bundled papers, as `commission index` does."""
    from assistant.retrieval.chunking import chunk_text
    from assistant.retrieval.embeddings import get_embedder
    from tools.documents import read_document

    texts = [c.text for path in sorted(KNOWLEDGE_DIR.glob("*.txt")) for c in chunk_text(read_document(path))]
    texts = (texts * (1 + chunks // max(1, len(texts))))[:chunks]
    embedder = get_embedder()
    embedder.embed_with_tokens(texts[:8])
    started = time.perf_counter()
    embedder.embed_with_tokens(texts)
    return len(texts) / (time.perf_counter() - started)


def main(sizes: tuple[int, ...] = SIZES, *, server: bool = False) -> None:
    from benchmarks.evaluate import load_questions

    questions = [q.question for q in load_questions()] * 2
    print(
        f"  {'mode':<9} {'passages':>9} {'build s':>8} {'cold s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'RSS MB':>7} {'disk MB':>8}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        for count in sizes:
            _row("disk", measure(count, Path(scratch), questions))
            shutil.rmtree(Path(scratch) / f"scale-{count}")  # free the disk before the next size
            if server:
                with chroma_server(Path(scratch) / "server-data", Path(scratch) / "chroma.log") as url:
                    _row("server", measure(count, Path(scratch), questions, server=url))
                    _row("colleague", measure(count, Path(scratch), questions, server=url, colleague=True))
                shutil.rmtree(Path(scratch) / "server-data")
                shutil.rmtree(Path(scratch) / f"scale-{count}")
                shutil.rmtree(Path(scratch) / f"colleague-{count}", ignore_errors=True)
    print(
        f"  embedding throughput (real passages, as `commission index`): "
        f"{embedding_throughput():.0f} chunks/s"
    )


def _row(mode: str, row: dict[str, float]) -> None:
    print(
        f"  {mode:<9} {row['passages']:>9,} {row['build_s']:8.1f} {row['cold_s']:7.2f} {row['p50_ms']:7.1f} "
        f"{row['p95_ms']:7.1f} {row['rss_mb']:7.0f} {row['disk_mb']:8.0f}",
        flush=True,
    )


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(
        tuple(int(size) for size in arguments if size != "--server") or SIZES, server="--server" in arguments
    )
