"""What a citation says about a paper: title, short name, organisations, body and date.

The bundled papers are described in `knowledge/manifest.yaml`; a folder an officer indexes may carry its
own `manifest.yaml` in the same form. A paper with no entry gets its title from its first heading, its
short name from the title or the file name, and a date when one is printed near its top.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.errors import InputError
from tools.formatting import MONTHS, long_date
from tools.inputs import load_data
from tools.types import printed_date

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent.parent / "knowledge"
UNDATED = "undated"


class PaperInfo(BaseModel):
    """One paper's entry in a manifest."""

    model_config = ConfigDict(extra="ignore")

    file: str
    title: str
    short: str = ""
    organisations: list[str] = Field(default_factory=list)
    body: str = ""
    date: str = UNDATED

    @field_validator("date", mode="before")
    @classmethod
    def _iso(cls, value: object) -> str:
        # YAML reads 2017-11-09 as a date and 2015-11 as a string; keep both as text.
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value or UNDATED).strip()
        if text != UNDATED and not re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
            raise ValueError(f"date {text!r} must be YYYY-MM-DD, YYYY-MM, YYYY or 'undated'")
        return text

    @property
    def name(self) -> str:
        """The short name a citation uses."""
        return self.short or self.title

    def date_label(self) -> str:
        """`9 November 2017`, `November 2015`, `2015` or `undated`."""
        return date_label(self.date)

    def date_bounds(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day the printed date could mean, or None when undated."""
        if self.date == UNDATED:
            return None
        parts = [int(part) for part in self.date.split("-")]
        year, month = parts[0], parts[1] if len(parts) > 1 else None
        if len(parts) == 3:
            day = dt.date(*parts)
            return day, day
        if month:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)

    def matches(self, name: str) -> bool:
        """Whether `name` (any part of the file name, title or short name) picks out this paper."""
        wanted = name.casefold().strip()
        return any(wanted in text.casefold() for text in (self.file, self.title, self.short))


def date_label(value: str) -> str:
    """A manifest date (`2017-11-09`, `2015-11`, `2015` or `undated`) as a citation prints it."""
    parts = [int(part) for part in value.split("-")] if value and value != UNDATED else []
    if len(parts) == 3:
        return long_date(dt.date(*parts))
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0]) if parts else UNDATED


def load_manifest(folder: Path) -> dict[str, PaperInfo]:
    """The entries of `folder/manifest.yaml` by file name; empty when there is none or it is unreadable.

    The manifest may be saved as UTF-8, UTF-16 or Windows-1252 (see `tools.textfiles`); it is read by
    the bounded loader of `tools.inputs` (no aliases, limited nesting).
    """
    path = folder / "manifest.yaml"
    try:
        data = load_data(path)
        entries = [PaperInfo.model_validate(item) for item in (data or {}).get("papers", [])]
    except (InputError, ValueError, AttributeError, TypeError):
        return {}
    return {entry.file: entry for entry in entries}


def infer_info(path: Path, text: str) -> PaperInfo:
    """A paper's details from its own text: the first heading as title, a date printed near the top."""
    title = _first_heading(text) or path.stem.replace("-", " ").replace("_", " ")
    short = title if len(title) <= 40 else path.stem
    printed = printed_date(text[:2000].splitlines())
    when = printed[0].isoformat() if printed else UNDATED
    return PaperInfo(file=path.name, title=title, short=short, date=when)


def _first_heading(text: str) -> str:
    for line in text.splitlines():
        cleaned = re.sub(r"<[^>]+>|[#*_]", "", line).strip(" \t-|")
        if len(cleaned) >= 3 and any(ch.isalpha() for ch in cleaned):
            return cleaned[:120]
    return ""
