"""Writing what a command produces to a file without ever leaving half a file or losing one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tools.errors import InputError


def check_output_path(path: Path, *, force: bool = False) -> Path:
    """Raise `InputError` unless `path` can be written: its folder exists, and it is new or `force` is set."""
    path = Path(path)
    if not path.parent.exists():
        raise InputError(f"--out: the folder {path.parent} does not exist; create it or choose another path")
    if path.is_dir():
        raise InputError(f"--out: {path} is a folder; give a file name")
    if path.exists() and not force:
        raise InputError(f"--out: {path} already exists; add --force to overwrite it")
    return path


def write_output(path: Path, content: str | bytes, *, force: bool = False) -> Path:
    """Write `content` to `path` atomically: to a temporary file beside it, then renamed into place."""
    path = check_output_path(path, force=force)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
