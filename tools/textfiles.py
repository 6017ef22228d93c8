"""Reading a text file an officer gives, in whatever encoding their machine saved it.

Detection, in order: a UTF-8 byte order mark, a UTF-16 byte order mark (little- or big-endian), UTF-8,
then Windows-1252 (what Notepad and Excel on an English Windows machine save as "ANSI"). Line endings
become ``\\n``. A file that is not read as UTF-8 carries a note naming its encoding: the caller can show
it, and whoever runs the tools (the CLI) can hear every note through `reporting_encodings`.

Anything that stops a file being read (missing, a folder, binary, empty, too large, no permission) is one
`UnreadableFileError` that names the file and the fix and never quotes the file's content.
"""

from __future__ import annotations

import codecs
import math
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tools.errors import UnreadableFileError

Encoding = Literal["UTF-8", "UTF-16 LE", "UTF-16 BE", "Windows-1252"]

MB = 1024 * 1024
TEXT_FILE_LIMIT = 10 * MB
SNIFF_BYTES = 8192
EMPTY = "has no text to read: the file is empty; check it is the file you meant"
BINARY = "is not a text file (it looks binary); save it as text, .yaml or .md"

# (byte order mark, codec, name): UTF-8's first, so that its BOM is never read as something else.
_BOMS: tuple[tuple[bytes, str, Encoding], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"),
)
_FALLBACKS: tuple[tuple[str, Encoding], ...] = (("utf-8", "UTF-8"), ("cp1252", "Windows-1252"))
_CONTROL = frozenset(chr(code) for code in (*range(32), 127)) - set("\t\n\r\f\v\x1a")

_reporter: ContextVar[Callable[[str], None] | None] = ContextVar("text_file_reporter", default=None)


@dataclass(frozen=True)
class TextFile:
    """A text file's content and the encoding it was read in.

    Attributes:
        path: the file as given.
        text: the content, with ``\\n`` line endings and no byte order mark.
        encoding: ``UTF-8``, ``UTF-16 LE``, ``UTF-16 BE`` or ``Windows-1252``.
    """

    path: Path
    text: str
    encoding: Encoding

    @property
    def note(self) -> str | None:
        """``Read FILE as Windows-1252`` when the file was not UTF-8, else None."""
        return None if self.encoding == "UTF-8" else f"Read {self.path} as {self.encoding}"


def read_text_file(path: Path | str, *, limit: int = TEXT_FILE_LIMIT) -> TextFile:
    """The text of a file saved as UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252.

    Args:
        path: the file an officer named.
        limit: the largest file read, in bytes (10 MB unless a caller states otherwise).

    Raises:
        UnreadableFileError: missing, a folder, binary, empty, larger than `limit`, or not permitted.
    """
    path = Path(path)
    size = check_file(path)
    if size > limit:
        raise UnreadableFileError(
            path, f"is {_megabytes(size)}; the limit for a text file is {_megabytes(limit)}"
        )
    text, encoding = _decode(path, _read_bytes(path))
    if not text.strip():
        raise UnreadableFileError(path, EMPTY)
    result = TextFile(path, text.replace("\r\n", "\n").replace("\r", "\n"), encoding)
    report = _reporter.get()
    if result.note and report is not None:
        report(result.note)
    return result


def check_file(path: Path) -> int:
    """The size in bytes of `path`, once it is known to be a file this process may read.

    Raises:
        UnreadableFileError: missing, a folder, not a regular file, or not permitted.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UnreadableFileError(path, "no such file; check the path") from None
    except PermissionError:
        raise UnreadableFileError(path, "cannot be read: permission denied") from None
    except OSError as error:
        raise UnreadableFileError(path, f"cannot be read: {_why(error)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFileError(path, "is a folder; give a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFileError(path, "is not a regular file; give a file saved on disk")
    return info.st_size


@contextmanager
def reporting_encodings(report: Callable[[str], None]) -> Iterator[None]:
    """Within the block, pass each file's note (``Read FILE as UTF-16 LE``) to `report`.

    Args:
        report: called with the note of every file not read as UTF-8.
    """
    token = _reporter.set(report)
    try:
        yield
    finally:
        _reporter.reset(token)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError:
        raise UnreadableFileError(path, "cannot be read: permission denied") from None
    except IsADirectoryError:
        raise UnreadableFileError(path, "is a folder; give a file") from None
    except OSError as error:
        raise UnreadableFileError(path, f"cannot be read: {_why(error)}") from None


def _decode(path: Path, data: bytes) -> tuple[str, Encoding]:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _checked(path, data, codec), name
    if b"\0" in data[:SNIFF_BYTES]:
        raise UnreadableFileError(path, BINARY)
    for codec, name in _FALLBACKS:
        try:
            return _checked(path, data, codec), name
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError(path, BINARY)


def _checked(path: Path, data: bytes, codec: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        if codec in ("utf-8", "cp1252"):
            raise  # the next encoding may fit
        raise UnreadableFileError(path, BINARY) from None  # its byte order mark promised this one
    # A sample full of control characters is a binary file that happened to decode.
    sample = text[:SNIFF_BYTES]
    controls = sum(char in _CONTROL for char in sample)
    if "\0" in sample or controls > max(2, len(sample) // 100):
        raise UnreadableFileError(path, BINARY)
    return text


def _megabytes(size: int) -> str:
    # Rounded up, so that a file just over the limit never reads as the limit itself.
    return f"{math.ceil(size * 10 / MB) / 10:.1f} MB".replace(".0 MB", " MB")


def _why(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()
