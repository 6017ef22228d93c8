"""Building the index: incremental by content hash, failures per file, build aside then swap, repair."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.errors import KnowledgeIndexError
from assistant.retrieval import indexer
from assistant.retrieval.indexer import IndexReport, build_index
from assistant.retrieval.search import get_retriever
from assistant.retrieval.store import Store
from tests.test_documents import make_docx, make_pdf

runner = CliRunner()

HOMECARE = """# Homecare Recommissioning

Cabinet, 3 March 2024

Purpose

1 The council will recommission homecare through a Kingfisher framework of locality providers.

2 The framework will run for five years from April 2025.
"""


def _officer_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "officer-papers"
    folder.mkdir()
    (folder / "homecare.md").write_text(HOMECARE, encoding="utf-8")
    (folder / "minutes.txt").write_text(
        "Minutes\n\nThe board noted the Heronsgate estates review.\n", "utf-8"
    )
    (folder / ".~lock.minutes.txt#").write_text("editor lock file", encoding="utf-8")
    (folder / "budget.xlsx").write_bytes(b"PK not indexed from a folder")
    return folder


def _best(query: str) -> str:
    return get_retriever().search(query, 1)[0].citation.file


def test_new_changed_unchanged_and_removed_files(indexed_home_copy: Path, tmp_path: Path) -> None:
    folder = _officer_folder(tmp_path)
    homecare, minutes = str((folder / "homecare.md").resolve()), str((folder / "minutes.txt").resolve())

    first = build_index([folder])
    assert (sorted(first.added), first.updated, first.removed, first.failed) == (
        sorted([homecare, minutes]),
        [],
        [],
        [],
    )
    assert len(first.unchanged) == 5 and first.papers == 7
    passage = get_retriever().search("Kingfisher framework", 1)[0]
    assert (passage.citation.file, passage.citation.short, passage.citation.date) == (
        "homecare.md",
        "Homecare Recommissioning",
        "2024-03-03",
    )
    assert passage.citation.label == "Homecare Recommissioning, 3 March 2024, paras 1–2"

    again = build_index()  # the folder is remembered
    assert (again.added, again.updated, again.removed) == ([], [], [])
    assert homecare in again.unchanged and minutes in again.unchanged

    (folder / "homecare.md").write_text(HOMECARE.replace("Kingfisher", "Osprey"), encoding="utf-8")
    (folder / "minutes.txt").unlink()
    changed = build_index()
    assert (changed.added, changed.updated, changed.removed) == ([], [homecare], [minutes])
    assert _best("Osprey framework") == "homecare.md"
    # chroma-core/chroma#3792: after an incremental rebuild Chroma's HNSW query could miss the changed
    # paper's own passage; dense ranking is exact cosine over the generation's vectors, so it cannot.
    changed_text = "The council will recommission homecare through a Osprey framework of locality providers."
    dense = get_retriever().search(changed_text, 1, mode="dense")[0]
    assert (dense.citation.file, dense.citation.paragraphs[:1]) == ("homecare.md", ["1"])
    assert all(
        p.citation.file != "minutes.txt" for p in get_retriever().search("Heronsgate estates review", 5)
    )


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1000])


def _small_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One small paper in place of the bundled five, so a full rebuild takes a second, not a minute."""
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "durham.txt").write_text(
        "Finance\n\n41 The budget for estates is a pass through cost.\n", "utf-8"
    )
    monkeypatch.setattr(indexer, "KNOWLEDGE_DIR", papers)


def test_rebuild_forgets_folders_named_before(
    indexed_home_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_index([_officer_folder(tmp_path)])
    _small_bundle(tmp_path, monkeypatch)
    rebuilt = build_index(rebuild=True, paths=[make_docx(tmp_path / "plan.docx")])
    assert (rebuilt.papers, rebuilt.removed) == (2, [])
    assert _best("recommission homecare in 2026 milestone") == "plan.docx"


def test_a_failed_file_is_reported_and_the_others_are_indexed(
    indexed_home_copy: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really\n%%EOF\n")
    make_pdf(folder / "good.pdf", ["The Wagtail pathway starts in June."])
    result = runner.invoke(
        app, ["index", str(folder), str(tmp_path / "absent"), str(tmp_path / "sheet.xlsx")]
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.startswith("Could not index") and "broken.pdf: is not a readable PDF" in line for line in lines
    )
    assert any(line.endswith("absent: no such file or folder; check the path") for line in lines)
    assert "Indexed 6 papers" in result.output
    assert "Traceback" not in result.output
    assert _best("Wagtail pathway") == "good.pdf"


def test_an_unsupported_file_named_on_the_command_line_fails(indexed_home_copy: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "budget.xlsx"
    sheet.write_bytes(b"PK")
    result = runner.invoke(app, ["index", str(sheet)])
    assert result.exit_code == 1
    assert f"Could not index {sheet}: unsupported file type .xlsx" in result.output


def test_an_interrupted_build_leaves_the_previous_index_in_use(
    indexed_home_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store()
    before = store.current_generation()

    def interrupted(self: Store, generation: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "activate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_index([_officer_folder(tmp_path)])
    assert store.current_generation() == before
    assert [p.name for p in (indexed_home_copy / "index").glob("gen-*")] == [before]
    assert _best("estates pass through cost").startswith("county-durham")


def test_only_one_build_at_a_time(indexed_home_copy: Path) -> None:
    with Store().writing(), pytest.raises(KnowledgeIndexError, match="already building"):
        build_index()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda index: (index / "CURRENT").write_text("gen-gone"), id="generation-missing"),
        pytest.param(
            lambda index: next(index.glob("gen-*/chroma.sqlite3")).write_bytes(b"garbage"),
            id="database-corrupt",
        ),
        pytest.param(lambda index: (index / "CURRENT").unlink(), id="pointer-missing"),
        pytest.param(
            lambda index: next(index.glob("gen-*/search/tokens/df.npy")).unlink(), id="word-pieces-missing"
        ),
        pytest.param(
            lambda index: _truncate(next(index.glob("gen-*/search/tokens/codes.npy"))), id="word-pieces-cut"
        ),
        pytest.param(
            lambda index: np.save(next(index.glob("gen-*/search/tokens/offsets.npy")), np.arange(5)),
            id="word-pieces-disagree",
        ),
    ],
)
def test_a_damaged_index_is_reported_with_the_command_that_fixes_it(indexed_home_copy: Path, damage) -> None:  # type: ignore[no-untyped-def]
    damage(indexed_home_copy / "index")
    result = runner.invoke(app, ["search", "estates pass through cost"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "run `commission index --rebuild`" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_search_without_an_index_says_how_to_build_one() -> None:
    result = runner.invoke(app, ["search", "estates"])
    assert result.exit_code == 1
    assert "There is no paper index yet" in result.output and "commission index" in result.output


@pytest.mark.slow
def test_rebuilding_repairs_a_corrupt_index(
    indexed_home_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_bundle(tmp_path, monkeypatch)
    next((indexed_home_copy / "index").glob("gen-*/chroma.sqlite3")).write_bytes(b"garbage")

    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 paper (1 passage): 1 added." in result.output
    assert _best("estates pass through") == "durham.txt"


@pytest.mark.parametrize("present", [True, False], ids=["index-present", "index-missing"])
def test_if_missing_builds_only_when_there_is_no_usable_index(
    present: bool, built_index_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if present:
        monkeypatch.setenv("COMMISSION_HOME", str(built_index_home))
    calls: list[object] = []

    def fake_build(paths: list[Path], **options: object) -> IndexReport:
        calls.append(paths)
        return IndexReport(added=["knowledge/a.txt"], passages=3, papers=1)

    monkeypatch.setattr(indexer, "build_index", fake_build)
    result = runner.invoke(app, ["index", "--if-missing"])
    assert result.exit_code == 0, result.output
    if present:
        assert calls == [] and "The paper index is ready" in result.output
    else:
        assert calls == [[]] and "Indexed 1 paper (3 passages): 1 added." in result.output


def test_an_unchanged_paper_keeps_its_word_piece_codes_without_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.retrieval.embeddings import Embedder

    _small_bundle(tmp_path, monkeypatch)
    build_index()
    store = Store()
    before = store.open_artefacts(str(store.current_generation())).tokens
    codes, pieces = before.of([0])[0].copy(), before.pieces_of([0])[0].copy()
    read: list[str] = []
    embed = Embedder.embed_with_tokens

    def recorded(self: Embedder, texts: list[str]) -> object:
        read.extend(texts)
        return embed(self, texts)

    monkeypatch.setattr(Embedder, "embed_with_tokens", recorded)
    minutes = "Minutes\n\nThe board noted the estates review.\n"
    (tmp_path / "papers" / "minutes.txt").write_text(minutes, "utf-8")
    report = build_index()
    assert report.unchanged == ["knowledge/durham.txt"] and report.added == ["knowledge/minutes.txt"]
    assert read and all("estates review" in text for text in read)  # the new paper only
    after = Store().open_artefacts(str(Store().current_generation())).tokens
    kept = [n for n in range(after.passages) if np.array_equal(after.pieces_of([n])[0], pieces)]
    assert len(kept) == 1 and np.array_equal(after.of(kept)[0], codes)
    assert int(after.df[int(pieces[0])]) >= 1
