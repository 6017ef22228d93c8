import pytest

from assistant.output import write_output
from tools.errors import InputError


def test_writes_text_and_bytes(tmp_path):
    write_output(tmp_path / "a.md", "£1,000\n")
    write_output(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "£1,000\n"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"


def test_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "draft.md"
    target.write_text("officer's work")
    with pytest.raises(InputError, match="already exists; add --force"):
        write_output(target, "new")
    assert target.read_text() == "officer's work"
    write_output(target, "new", force=True)
    assert target.read_text() == "new"


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        write_output(tmp_path / "nowhere" / "x.md", "x")


def test_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.md"
    target.write_text("previous")

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("assistant.output.os.replace", broken_replace)
    with pytest.raises(InputError, match=r"the disk is full, so .* was not written"):
        write_output(target, "new", force=True)
    assert target.read_text() == "previous"
    assert [path.name for path in folder.iterdir()] == ["out.md"]
