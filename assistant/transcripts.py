"""Conversations saved as they happen: one JSON Lines file per conversation under COMMISSION_HOME.

Each message, each set of retrieved passages and each finished answer is appended as one line and
flushed to disk at once, so a crash loses nothing said before it; a line torn by a crash is skipped when
the file is read back. The first line describes the conversation. API keys are never written: the
configured key, and anything shaped like one, is replaced before a line reaches the disk. What the officer
types is theirs alone: conversation files (and the chat's input history) are readable by their owner only.

Record types: ``conversation`` (first line), ``message`` (see `assistant.messages`), ``sources`` (the
passages a search returned), ``answer`` (the labels of the sources an answer cited, and whether it was an
offline answer) and ``stopped``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets as random
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.citations import Source
from tools.errors import InputError

# Shapes of common API keys (OpenAI "sk-...", Azure's 32 hex digits, bearer tokens pasted whole).
_KEY_SHAPES = re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}|\b[0-9a-f]{32}\b|\bBearer\s+[A-Za-z0-9._\-]{16,}")
REDACTED = "[redacted]"


class Transcript:
    """An open conversation file that every record is appended to as it happens."""

    def __init__(self, path: Path, *, secrets: Iterable[str] = ()) -> None:
        self.path = path
        self.secrets = [secret for secret in secrets if secret]

    @property
    def id(self) -> str:
        return self.path.stem

    @classmethod
    def new(cls, directory: Path, *, secrets: Iterable[str] = (), model: str | None = None) -> Transcript:
        """Start a conversation file named by the time it began."""
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        now = datetime.now().astimezone()
        name = f"{now:%Y%m%d-%H%M%S}-{random.token_hex(2)}"
        transcript = cls(directory / f"{name}.jsonl", secrets=secrets)
        transcript.write({"type": "conversation", "id": name, "started": now.isoformat(), "model": model})
        return transcript

    def write(self, record: dict[str, Any]) -> None:
        """Append one record and make sure it is on disk before returning."""
        line = json.dumps({**record, "time": datetime.now().astimezone().isoformat()}, ensure_ascii=False)
        for secret in self.secrets:
            line = line.replace(secret, REDACTED).replace(json.dumps(secret)[1:-1], REDACTED)
        line = _KEY_SHAPES.sub(REDACTED, line)
        with open(private_file(self.path), "a", encoding="utf-8") as stream:
            stream.write(line + "\n")
            stream.flush()
            os.fsync(stream.fileno())


def private_file(path: Path) -> Path:
    """`path`, created empty if missing, readable and writable by its owner only (0600, tightened if looser).

    For files holding what the officer typed: saved conversations and the chat's input history.
    """
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        with contextlib.suppress(OSError, NotImplementedError):  # not ours to change, or not POSIX
            path.chmod(0o600)
    return path


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every readable record of a conversation file; a line torn by a crash is skipped."""
    records = []
    # split("\n"), not splitlines(): a passage may hold U+2028 or U+0085, which are not line ends here.
    for line in path.read_text(encoding="utf-8").split("\n"):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def retrieved_sources(records: list[dict[str, Any]]) -> list[Source]:
    """Every passage retrieved in the conversation, so a resumed answer may still cite them."""
    found = [record.get("sources") or [] for record in records if record.get("type") == "sources"]
    return [Source.from_dict(item) for items in found for item in items]


@dataclass
class Turn:
    """One question and the answer that finished it, with the labels of the sources it cited."""

    question: str
    answer: str = ""
    sources: list[str] = field(default_factory=list)


def turns(records: list[dict[str, Any]]) -> list[Turn]:
    """The questions and answers of a conversation, in order (tool messages left out)."""
    result: list[Turn] = []
    cited: list[str] = []
    for record in records:
        kind, role = record.get("type"), record.get("role")
        if kind == "answer":
            cited = list(record.get("sources") or [])
        elif kind == "message" and role == "user":
            result.append(Turn(str(record.get("content", ""))))
            cited = []
        elif kind == "message" and role == "assistant" and not record.get("tool_calls") and result:
            result[-1].answer, result[-1].sources = str(record.get("content", "")), cited
    return result


def conversation_markdown(records: list[dict[str, Any]]) -> str:
    """The whole conversation as Markdown, for `/save`."""
    header = next((r for r in records if r.get("type") == "conversation"), {})
    lines = [f"# Conversation {header.get('id', '')}".strip(), ""]
    if header.get("started"):
        lines += [f"Started {header['started'][:16].replace('T', ' at ')}", ""]
    for turn in turns(records):
        lines += [f"## {turn.question.strip()}", "", turn.answer.strip() or "_(no answer)_", ""]
    return "\n".join(lines).rstrip() + "\n"


@dataclass
class ConversationInfo:
    id: str
    path: Path
    started: str
    updated: datetime
    questions: int
    title: str


def list_conversations(directory: Path) -> list[ConversationInfo]:
    """Saved conversations, the most recently used first."""
    found = []
    for path in directory.glob("*.jsonl") if directory.is_dir() else ():
        records = read_records(path)
        header = next((r for r in records if r.get("type") == "conversation"), {})
        asked = turns(records)
        title = " ".join(asked[0].question.split())[:70] if asked else "(no questions)"
        updated = datetime.fromtimestamp(path.stat().st_mtime)
        started = str(header.get("started", ""))
        found.append(ConversationInfo(path.stem, path, started, updated, len(asked), title))
    return sorted(found, key=lambda info: (info.updated, info.id), reverse=True)


def find_conversation(directory: Path, conversation: str | None = None) -> Path:
    """The named conversation, or the last one used; `InputError` when there is none."""
    saved = list_conversations(directory)
    if not saved:
        raise InputError("--resume: there are no saved conversations yet; start one with `commission chat`")
    if conversation is None:
        return saved[0].path
    matches = [info.path for info in saved if info.id.startswith(conversation)]
    if len(matches) != 1:
        problem = "matches no saved conversation" if not matches else "matches more than one conversation"
        raise InputError(f"--conversation {conversation!r} {problem}; `commission history` lists them")
    return matches[0]
