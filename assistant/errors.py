"""Errors of the assistant's own concerns, and the one place any error becomes the line a person reads.

They extend `tools.errors.CommissionError`, so every surface turns each into a one-line message::

    CommissionError
    ├── InputError (tools)        bad input to a tool (exit 2)
    ├── ConfigError               a setting is missing or wrong: names the variable (exit 2)
    ├── KnowledgeIndexError       the index is missing or corrupt: names the command that fixes it
    └── ModelError                the model endpoint failed: says which variable or server to check

Any other exception is a bug. `describe` gives the line for either kind: a known error's own message, or,
for a bug, `unexpected`'s line saying so and where its traceback was saved (`COMMISSION_HOME/logs/
errors.log`, readable only by its owner, rotated to `errors.log.1` past 1 MB). The CLI, the chat's slash
commands, the LangChain tools and the MCP server all show that line and carry on or exit; none shows a
traceback. `COMMISSION_DEBUG=1` makes the CLI re-raise a bug instead, for debugging.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from tools.errors import CommissionError, InputError, UnreadableFileError

__all__ = [
    "CommissionError",
    "ConfigError",
    "InputError",
    "KnowledgeIndexError",
    "ModelError",
    "UnreadableFileError",
    "debugging",
    "describe",
    "error_log",
    "unexpected",
]

LOG_LIMIT = 1_000_000
"""Bytes the error log may reach before it is moved to `errors.log.1` (replacing the older one)."""
ENTRY_LIMIT = 100_000
"""Characters kept of one traceback: a bug quoting a huge input must not fill the disk."""


class ConfigError(CommissionError):
    """A configuration value is missing or wrong."""

    exit_code = 2


class KnowledgeIndexError(CommissionError):
    """The paper index is missing, corrupt or unreachable."""


class ModelError(CommissionError):
    """The language-model endpoint could not give an answer."""


def one_line(text: str) -> str:
    """`text` with every run of white space, line breaks included, made one space."""
    return " ".join(text.split())


def describe(error: BaseException, *, context: str | None = None) -> str:
    """The one line to show for `error`: a known error's own message, otherwise `unexpected`'s.

    Args:
        error: the exception a command or tool raised.
        context: what was running (a command or tool name), recorded in the log for a bug.
    """
    if isinstance(error, CommissionError):
        return one_line(str(error))
    return unexpected(error, context=context)


def unexpected(error: BaseException, *, context: str | None = None) -> str:
    """Save `error`'s traceback to the error log and return one line saying it is a bug and where to look.

    Never raises: if the log cannot be written, the line says so instead.

    Args:
        error: the exception no known error explains.
        context: what was running (a command or tool name), recorded in the log.
    """
    kind = type(error).__name__
    try:
        where = f"details are in {log_error(error, context=context)}"
    except OSError as problem:
        where = f"its details could not be saved ({problem.strerror or type(problem).__name__})"
    except Exception as problem:  # the error path itself must not fail
        where = f"its details could not be saved ({type(problem).__name__})"
    return f"Unexpected error ({kind}): this is a bug in commission; {where}. Please report it."


def error_log() -> Path:
    """Where tracebacks of bugs are saved: `errors.log` in `logs` under `COMMISSION_HOME`."""
    return _home() / "logs" / "errors.log"


def log_error(error: BaseException, *, context: str | None = None) -> Path:
    """Append `error`'s traceback to the error log, created readable by its owner only; return its path."""
    from assistant import __version__

    path = error_log()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    python = ".".join(str(part) for part in sys.version_info[:3])
    heading = f"--- {stamp} commission {__version__}, Python {python}" + (f", {context}" if context else "")
    details = "".join(traceback.format_exception(error))
    if len(details) > ENTRY_LIMIT:
        cut = len(details) - ENTRY_LIMIT
        half = ENTRY_LIMIT // 2
        details = f"{details[:half]}\n[… {cut:,} characters cut …]\n{details[-half:]}"
    entry = f"{heading}\n{details}\n"
    try:
        if path.stat().st_size + len(entry) > LOG_LIMIT:
            os.replace(path, path.with_name(f"{path.name}.1"))
    except FileNotFoundError:
        pass
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8", errors="backslashreplace") as log:
        log.write(entry)
    return path


def debugging() -> bool:
    """Whether `COMMISSION_DEBUG` asks for bugs to be raised with their traceback rather than summarised."""
    return os.environ.get("COMMISSION_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def _home() -> Path:
    try:
        from assistant.config import get_settings

        return get_settings().home
    except Exception:  # the settings may be what is broken; the variable alone still says where
        return Path(os.environ.get("COMMISSION_HOME") or Path.home() / ".commission").expanduser()
