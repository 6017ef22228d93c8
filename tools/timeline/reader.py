"""Reading a proposed timeline as officers write it: a Markdown table, CSV (or tab-separated), or YAML.

Each row gives a stage and when it happens, either in one column ("When": "late October 2017") or in
two ("Start", "End"). Prose around a Markdown table (headings, notes) is ignored, so a pasted section of
a paper reads as it stands. A timeline has at most `MAX_ROWS` rows; YAML is read by the bounded loader
of `tools.inputs` (no aliases, limited nesting).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tools.errors import InputError
from tools.inputs import NotYamlError, load_yaml_text
from tools.textfiles import read_text_file

MAX_ROWS = 500
"""The most rows (stages) a timeline may have: a procurement has a few dozen; checking is per pair."""
MAX_YAML_VALUES = 20 * MAX_ROWS
"""The most values a YAML timeline may hold (a row is a handful), so too many rows are refused as read."""

HOW_TO_WRITE = (
    "give a Markdown table, CSV or YAML list with a stage and a date on each row, "
    "e.g. '| Stage | When |' then '| Publication of tender | Early November 2017 |'"
)
_STAGE_WORDS = ("stage", "milestone", "activity", "task", "step", "event", "action", "description", "what")
_START_WORDS = ("start", "from", "begin", "commence")
_END_WORDS = ("end", "finish", "until", "to", "complete")
_DATE_WORDS = ("when", "date", "timescale", "timing", "timeframe", "month", "target", "deadline", "by")
_TEXT_SUFFIXES = (".csv", ".tsv", ".yaml", ".yml", ".json")
_DATA_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Row:
    """One row as written: the stage, when it starts (or happens) and, if given apart, when it ends."""

    name: str
    when: str
    until: str | None = None


def read_timeline_file(path: Path) -> str:
    """The text of a timeline file: .md, .txt, .csv, .tsv, .yaml, .yml, .json, .docx, .pdf or .html.

    Raises:
        UnreadableFileError: missing, a folder, binary, empty, too large or unreadable.
        InputError: a YAML or JSON file that uses aliases or is nested too deep, naming the file.
    """
    path = Path(path)
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        from tools.documents import read_document

        return read_document(path)
    text = read_text_file(path).text
    if path.suffix.lower() in _DATA_SUFFIXES:
        # Aliases and deep nesting are refused here so the message names the file; text that is not
        # YAML at all (a table saved as .yaml) is left for read_rows to make what it can of.
        with contextlib.suppress(NotYamlError):
            load_yaml_text(text, source=path, max_values=MAX_YAML_VALUES)
    return text


def read_rows(text: str) -> list[Row]:
    """The rows of a timeline written as a Markdown table, CSV/TSV or YAML.

    Raises:
        InputError: when no stage-and-date rows can be found, there are more than `MAX_ROWS`, or YAML
            uses aliases or is nested too deep.
    """
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if sum(line.startswith("|") for line in lines) >= 2:
        rows = _table([_cells(line) for line in lines if line.startswith("|") and not _separator(line)])
    elif sum("\t" in line for line in lines) >= 2:
        rows = _table([line.split("\t") for line in lines if "\t" in line])
    elif sum("," in line for line in lines) >= 2 and not lines[0].startswith(("-", "{", "[")):
        rows = _table(list(csv.reader(io.StringIO("\n".join(lines)))))
    else:
        rows = _yaml(str(text))
    if not rows:
        raise InputError(f"timeline: no stages with dates found; {HOW_TO_WRITE}")
    if len(rows) > MAX_ROWS:
        raise InputError(
            f"timeline: has {len(rows):,} rows; a timeline may have at most {MAX_ROWS} rows (stages); "
            "keep the main stages, or check each phase as a timeline of its own"
        )
    return rows


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _separator(line: str) -> bool:
    return re.fullmatch(r"[\s|:\-]+", line) is not None


def _column(header: list[str], words: tuple[str, ...], taken: set[int]) -> int | None:
    for index, cell in enumerate(header):
        tokens = set(re.findall(r"[a-z]+", cell.lower()))
        if index not in taken and tokens & set(words):
            return index
    return None


def _table(table: list[list[str]]) -> list[Row]:
    table = [[cell.strip() for cell in row] for row in table if any(cell.strip() for cell in row)]
    if not table:
        return []
    header = table[0]
    stage = _column(header, _STAGE_WORDS, set())
    start = _column(header, _START_WORDS, {stage} if stage is not None else set())
    end = _column(header, _END_WORDS, {index for index in (stage, start) if index is not None})
    when = _column(header, _DATE_WORDS, {index for index in (stage, start, end) if index is not None})
    if stage is None and start is None and when is None:
        stage, when, body = 0, 1, table  # no header row: stage then date
    else:
        body = table[1:]
    stage = 0 if stage is None else stage
    first = start if start is not None else when if when is not None else (1 if stage == 0 else 0)
    last = end if start is not None else None
    rows = []
    for cells in body:
        padded = [*cells, *[""] * (len(header) + 2)]
        if padded[stage]:
            until = padded[last] if last is not None else ""
            rows.append(Row(padded[stage], padded[first], until or None))
    return rows


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else "" if value is None else str(value)


def _yaml(text: str) -> list[Row]:
    try:
        data = load_yaml_text(text, source="timeline", max_values=MAX_YAML_VALUES)
    except NotYamlError:
        return []
    if isinstance(data, dict):
        items = (
            data.get("stages") or data.get("timeline") or [{"stage": k, "date": v} for k, v in data.items()]
        )
        data = items if isinstance(items, list) else []
    if not isinstance(data, list):
        return []
    rows = []
    for item in data:
        if isinstance(item, dict):
            keys = {str(key).lower(): value for key, value in item.items()}
            name = next(
                (keys[key] for key in ("stage", "name", "milestone", "activity", "task") if key in keys), None
            )
            start = next((keys[key] for key in ("start", "from") if key in keys), None)
            when = (
                start
                if start is not None
                else next((keys[k] for k in ("date", "when", "by") if k in keys), None)
            )
            until = keys.get("end") if start is not None else None
            if name is not None:
                rows.append(Row(str(name), _text(when), _text(until) or None))
        elif isinstance(item, list | tuple) and len(item) >= 2:
            rows.append(Row(str(item[0]), _text(item[1]), _text(item[2]) if len(item) > 2 else None))
    return rows
