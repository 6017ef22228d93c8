"""Writing what a command produces to a file without ever leaving half a file, losing one, or replacing
something that is not the officer's file.

- The content goes to a temporary file beside the target first. A new file is then linked into place
  (`os.link` fails if the name was taken meanwhile, so the check and the write are one step); with
  `--force` an existing regular file is replaced by renaming over it.
- A new file gets the permissions the umask gives; a replaced file keeps its own.
- Only a regular file is ever replaced: a folder, a pipe, a device or a symbolic link to nothing is
  refused, and a symbolic link is followed (its target replaced) only with `--force` and only when it
  points to a regular file.
- A full disk or a permission problem is one line, and leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from tools.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output_path(path: Path, *, force: bool = False) -> Path:
    """The file to write for `--out path` (a symbolic link's target), or an `InputError` saying why not."""
    path = Path(path)
    if path.is_symlink():
        target = path.resolve()
        if not target.exists():
            raise InputError(f"--out: {path} is a symbolic link to nothing; give a file name")
        if not force:
            raise InputError(
                f"--out: {path} already exists (a link to {target}); add --force to overwrite it"
            )
        path = target
    if not path.parent.exists():
        raise InputError(f"--out: the folder {path.parent} does not exist; create it or choose another path")
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return path
    except OSError as error:
        raise InputError(f"--out: {path} cannot be checked ({error.strerror}); choose another path") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"--out: {path} is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise InputError(f"--out: {path} is not a regular file (a pipe or device); give a file name")
    if not force:
        raise InputError(f"--out: {path} already exists; add --force to overwrite it")
    return path


def write_output(path: Path, content: str | bytes, *, force: bool = False) -> Path:
    """Write `content` to `path` atomically, as the module docstring says; returns the path written."""
    given = Path(path)
    target = check_output_path(given, force=force)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        existing = target.stat().st_mode if target.exists() else None
    except OSError:
        existing = None
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(existing) if existing is not None else 0o666 & ~_umask())
        if existing is None:
            try:
                os.link(temporary, target)  # fails if the name was taken since the check
            except FileExistsError:
                raise InputError(
                    f"--out: {given} appeared while writing; add --force to overwrite it"
                ) from None
        else:
            os.replace(temporary, target)
            temporary = None
    except OSError as error:
        raise InputError(_why(given, error)) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return given


def _why(path: Path, error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return f"--out: the disk is full, so {path} was not written; free some space and try again"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"--out: {path} cannot be written (permission denied); choose a folder you can write to"
    return f"--out: {path} could not be written ({error.strerror or error}); choose another path"
