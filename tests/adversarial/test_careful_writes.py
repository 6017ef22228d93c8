"""Writing --out files: modes kept, only regular files replaced, links followed only with --force."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from assistant.output import write_output
from tools.errors import InputError


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_follows_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_output(tmp_path / "plan.md", "new")
    finally:
        os.umask(old)
    assert mode(tmp_path / "plan.md") == 0o640


def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "plan.md"
    target.write_text("old")
    target.chmod(0o644)
    write_output(target, "new", force=True)
    assert target.read_text() == "new" and mode(target) == 0o644


def test_an_existing_file_is_not_replaced_without_force(tmp_path):
    target = tmp_path / "plan.md"
    target.write_text("old")
    with pytest.raises(InputError, match="already exists; add --force"):
        write_output(target, "new")
    assert target.read_text() == "old"


def test_a_dangling_link_is_refused_even_with_force(tmp_path):
    link = tmp_path / "plan.md"
    link.symlink_to(tmp_path / "nowhere.md")
    for force in (False, True):
        with pytest.raises(InputError, match="is a symbolic link to nothing"):
            write_output(link, "new", force=force)
    assert not (tmp_path / "nowhere.md").exists()


def test_a_link_to_a_file_is_followed_only_with_force(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "plan.md"
    link.symlink_to(real)
    with pytest.raises(InputError, match="already exists"):
        write_output(link, "new")
    write_output(link, "new", force=True)
    assert link.is_symlink() and real.read_text() == "new"


def test_a_pipe_is_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="is not a regular file"):
        write_output(fifo, "new", force=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_is_never_replaced():
    with pytest.raises(InputError, match="is not a regular file"):
        write_output("/dev/null", "new", force=True)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a folder; give a file name"):
        write_output(tmp_path, "new", force=True)


def test_a_name_taken_between_the_check_and_the_write_is_not_overwritten(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "plan.md"
    real_link = os.link

    def racing_link(source, destination):
        target.write_text("someone else's")
        return real_link(source, destination)

    monkeypatch.setattr("assistant.output.os.link", racing_link)
    with pytest.raises(InputError, match="appeared while writing"):
        write_output(target, "mine")
    assert target.read_text() == "someone else's"
    assert [path.name for path in folder.iterdir()] == ["plan.md"]


@pytest.mark.parametrize(
    ("code", "message"),
    [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "permission denied")],
    ids=["disk-full", "permission"],
)
def test_a_failed_write_is_one_line_and_leaves_nothing(tmp_path, monkeypatch, code, message):
    def failing_fsync(descriptor):
        raise OSError(code, os.strerror(code))

    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.setattr("assistant.output.os.fsync", failing_fsync)
    with pytest.raises(InputError, match=message) as raised:
        write_output(folder / "plan.md", "new")
    assert "\n" not in str(raised.value)
    assert list(folder.iterdir()) == []
