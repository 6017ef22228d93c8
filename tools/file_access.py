"""Which files a tool argument may name: all of them for the officer's own terminal, only shared folders else.

The CLI and the built-in chat run as the officer, on the officer's own paths, so nothing is restricted
there. An assistant reaching the tools from outside (the MCP server, a LangChain agent given `allow_dirs`)
may read a file only inside the folders shared with it: the MCP client's roots and the folders named with
`--allow-dir` or `COMMISSION_ALLOW_DIRS`. The surface sets those folders for the length of a call with
`allowed_folders`; a tool turns an argument into a path with `shared_file`. Outside the folders, a missing
file, a folder and an unreadable file all get the same refusal, which names the folders and nothing read,
so an argument cannot learn whether a file exists or what it holds. A relative path is resolved against
each shared folder in turn, never against the server's working folder.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path

from tools.errors import InputError

_FOLDERS: ContextVar[tuple[Path, ...] | None] = ContextVar("commission_allowed_folders", default=None)


@contextlib.contextmanager
def allowed_folders(folders: Iterable[Path | str] | None) -> Iterator[tuple[Path, ...] | None]:
    """Within the block, tool arguments may name files only inside `folders` (None: any file; empty: none)."""
    resolved = None if folders is None else normalise(folders)
    token = _FOLDERS.set(resolved)
    try:
        yield resolved
    finally:
        _FOLDERS.reset(token)


def normalise(folders: Iterable[Path | str]) -> tuple[Path, ...]:
    """Each folder made absolute with its links resolved, once each, in the order given."""
    return tuple(dict.fromkeys(Path(folder).expanduser().resolve() for folder in folders))


def current_folders() -> tuple[Path, ...] | None:
    """The folders tool arguments may read from now; None when any file may be read."""
    return _FOLDERS.get()


def restricted() -> bool:
    """Whether file access is limited to shared folders (a call from another assistant)."""
    return _FOLDERS.get() is not None


def shared_file(name: str, *, argument: str) -> Path:
    """The file `name` names, when this call may read it.

    Unrestricted (the officer's own terminal), `name` is taken as the officer typed it. Restricted, it
    must be a readable regular file inside a shared folder; a relative name is tried against each folder.

    Raises:
        InputError: restricted, and `name` is not a readable file inside a shared folder (one message for
            every reason, naming the folders).
    """
    folders = _FOLDERS.get()
    if folders is None:
        return Path(name).expanduser()
    found = find_shared(name, folders)
    if found is None:
        raise refusal(argument, folders)
    return found


def find_shared(name: str, folders: tuple[Path, ...]) -> Path | None:
    """The readable regular file `name` names inside one of `folders`, or None."""
    given = Path(name)
    if given.is_absolute():
        candidates = [given]
    elif str(name).startswith("~"):
        return None  # someone's home folder is not a shared folder's
    else:
        candidates = [folder / given for folder in folders]
    for candidate in candidates:
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if any(real.is_relative_to(folder) for folder in folders) and _readable_file(real):
            return real
    return None


def _readable_file(path: Path) -> bool:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb"):
            return True
    except OSError:
        return False


def refusal(argument: str, folders: tuple[Path, ...]) -> InputError:
    """The one refusal for a file this call may not read, whatever the reason."""
    if not folders:
        return InputError(
            f"{argument}: no folder is shared with this server, so it reads no files; give the text "
            "itself, or share a folder (the client's roots, or `commission mcp --allow-dir DIR`)"
        )
    shared = ", ".join(str(folder) for folder in folders)
    return InputError(
        f"{argument}: names no readable file inside the folders shared with this server ({shared}); "
        "give the text itself, or the path of a file inside one of them"
    )


def looks_like_path(text: str) -> bool:
    """Whether a one-line argument is written as a path rather than as words."""
    text = text.strip()
    if text.startswith(("~", "./", "../", ".\\", "..\\")) or Path(text).is_absolute():
        return True
    if len(text) >= 3 and text[1] == ":" and text[2] in "\\/":  # a Windows drive, on any system
        return True
    return any(separator in text for separator in ("/", "\\", os.sep)) and not any(c.isspace() for c in text)
