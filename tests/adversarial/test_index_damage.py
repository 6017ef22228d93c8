"""A damaged index pointer, or a disk that fills during `commission index`: one line saying what to run.

The pointer tests need no built index (the pointer is read first); the full-disk tests use a private copy
of the session index, so the index in use before the failed build can be searched after it.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.errors import KnowledgeIndexError
from assistant.retrieval import indexer
from assistant.retrieval.store import Store

runner = CliRunner()
FIX = "run `commission index --rebuild`"


def damage_pointer(home: Path, content: bytes) -> None:
    index = home / "index"
    index.mkdir(parents=True, exist_ok=True)
    (index / "CURRENT").write_bytes(content)


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00garbage", b"../../elsewhere", b"gen-\x00\x01", b"x" * 10_000],
    ids=["binary", "a-path", "control-characters", "huge"],
)
def test_a_damaged_pointer_is_one_line_naming_the_fix(content: bytes, clean_environ: Path) -> None:
    damage_pointer(clean_environ, content)
    with pytest.raises(KnowledgeIndexError, match="CURRENT pointer is damaged") as raised:
        Store(Settings()).open_current()
    assert str(raised.value).endswith(FIX)

    result = runner.invoke(app, ["search", "standstill"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: The paper index in {clean_environ / 'index'} cannot be read "
        f"(its CURRENT pointer is damaged): {FIX}\n"
    )


@pytest.mark.slow
def test_index_repairs_a_damaged_pointer(
    clean_environ: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "durham.txt").write_text("Finance\n\n41 The standstill is ten calendar days.\n", "utf-8")
    monkeypatch.setattr(indexer, "KNOWLEDGE_DIR", papers)  # one small paper: a rebuild takes a second
    damage_pointer(clean_environ, b"\xff\xfe\x00garbage")

    result = runner.invoke(app, ["index", "--rebuild"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["search", "standstill"]).exit_code == 0


def full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def full_database(*args: object, **kwargs: object) -> None:
    from chromadb.errors import InternalError

    raise InternalError("Query error: Database error: database or disk is full")


@pytest.mark.parametrize("failure", [full_disk, full_database], ids=["os-error", "chroma-error"])
def test_a_full_disk_during_indexing_leaves_the_index_in_use(
    failure, indexed_home_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chromadb.api.models.Collection import Collection

    before = Store().current_generation()
    add = Collection.add
    monkeypatch.setattr(Collection, "add", failure)

    result = runner.invoke(app, ["index"])
    assert result.exit_code == 1
    assert result.output.strip() == (  # the progress bar, gone, leaves a blank line
        f"Error: The paper index in {indexed_home_copy / 'index'} could not be written (the disk is full), "
        f"so the index in use is unchanged: free some space, then {FIX}"
    )
    assert Store().current_generation() == before
    assert [folder.name for folder in (indexed_home_copy / "index").glob("gen-*")] == [before]

    monkeypatch.setattr(Collection, "add", add)
    search = runner.invoke(app, ["search", "estates pass through cost", "-k", "1"])
    assert search.exit_code == 0, search.output
    assert "County Durham" in search.output
