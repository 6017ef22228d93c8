"""Cutting a paper into passages along its own structure.

Committee papers have headings ("5.4 The Funding Envelope", "## 2. Procurement", "Governance"), numbered
paragraphs ("39 The value of services ...", "- 4.1 Health and social care ..."), lists introduced by a
colon, tables (tab- or pipe-separated, with a caption and a header row) and appendices. A passage never
crosses a heading, keeps a numbered paragraph whole where it fits (with the lists and page-break
continuations that belong to it), and keeps each table with its header row. Each chunk records its
section, its paragraph numbers and its character offsets in the document's text.

Two passages of a paper never share a citation: where several fall under the same paragraphs or heading,
each records its part ("part 2 of 3"). An appendix that follows the paper's sign-off ("Paper prepared by
...") without a heading of its own takes the name the text gives it ("summarised in Appendix 1").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.retrieval.lines import Line, classify_lines

# Stored with every passage: a change to the chunker re-cuts files whose content has not changed.
CHUNKER_VERSION = "2"
TARGET_CHARS = 900
MAX_CHARS = 1500


@dataclass(frozen=True)
class Chunk:
    """One passage: cleaned text, its place in the document, and what a citation needs."""

    text: str
    start: int
    end: int
    section: str = ""
    paragraphs: tuple[str, ...] = ()
    part: str = ""  # "2 of 3" when other passages share its paragraphs or heading


_SIGN_OFF = re.compile(r"^(?:paper|report)\s+(?:prepared|written|produced)\s+by\b|^report\s+authors?\b", re.I)
_DATE_LINE = re.compile(r"^(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4}$")
_APPENDIX_NAMED = re.compile(r"\b(Appendix\s+(?:\d{1,2}|[A-Z]))\b")


@dataclass
class _Unit:
    """Lines that belong together: a numbered paragraph with its lists, a table, a block of text."""

    lines: list[Line]
    section: str
    paragraph: str | None = None
    kind: str = "text"  # "text" or "table"

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    @property
    def size(self) -> int:
        return sum(len(line.text) + 1 for line in self.lines)


def chunk_text(text: str) -> list[Chunk]:
    """The passages of a document's text, in order.

    Args:
        text: the document as plain text (as `tools.documents.read_document` returns it).
    """
    chunks: list[Chunk] = []
    for group in _sections(_units(_name_appendix(classify_lines(text), text))):
        chunks.extend(_pack(group))
    return _number_parts(chunks)


def place(section: str, paragraphs: tuple[str, ...] | list[str]) -> str:
    """What a citation label shows of a passage's place: its paragraphs, else its most specific heading."""
    if paragraphs:
        return f"para {paragraphs[0]}" if len(paragraphs) == 1 else f"paras {paragraphs[0]}–{paragraphs[-1]}"
    return section.split(" — ")[-1]


def _number_parts(chunks: list[Chunk]) -> list[Chunk]:
    """Give "part i of n" to the chunks whose label would otherwise be the same."""
    groups: dict[str, list[int]] = {}
    for n, chunk in enumerate(chunks):
        groups.setdefault(place(chunk.section, chunk.paragraphs), []).append(n)
    numbered = list(chunks)
    for members in groups.values():
        if len(members) > 1:
            for part, n in enumerate(members, start=1):
                numbered[n] = replace(chunks[n], part=f"{part} of {len(members)}")
    return numbered


def _name_appendix(lines: list[Line], text: str) -> list[Line]:
    """An unheaded appendix after the sign-off becomes a heading named as the text names it.

    The appendix starts after the sign-off's block (names and roles) and any date line under it; a single
    line standing just above a table there is the table's caption, so every piece of the table keeps it.
    """
    sign_off = next((n for n, line in enumerate(lines) if _SIGN_OFF.match(line.clean)), None)
    named = _APPENDIX_NAMED.findall(text[: lines[sign_off].start]) if sign_off is not None else []
    if sign_off is None or not named:
        return lines
    where = sign_off
    while where < len(lines) and lines[where].kind != "blank":
        where += 1  # the sign-off's own block
    while where < len(lines) and (lines[where].kind == "blank" or _DATE_LINE.match(lines[where].clean)):
        where += 1
    if where >= len(lines) or lines[where].kind == "major":
        return lines
    after = [*lines[where:]]
    following = next((n for n in range(1, len(after)) if after[n].kind != "blank"), None)
    if after[0].kind == "text" and following is not None and after[following].kind == "table":
        after[0] = replace(after[0], kind="caption")
    at = lines[where].start
    return [*lines[:where], Line(text=named[0], start=at, end=at, kind="major"), *after]


def _units(lines: list[Line]) -> list[_Unit]:
    units: list[_Unit] = []
    major = minor = ""
    caption: list[Line] = []
    blank_before = True
    for line in lines:
        if line.kind == "blank":
            blank_before = True
            continue
        section = " — ".join(part for part in (major, minor) if part)
        previous = units[-1] if units and units[-1].section == section else None
        if line.kind in ("major", "minor"):
            major, minor = (line.clean, "") if line.kind == "major" else (major, line.clean)
            caption = [*caption, line] if caption and caption[-1].kind == "major" else [line]
        elif line.kind == "caption":
            caption.append(line)
        elif line.kind == "table":
            if previous and previous.kind == "table" and not caption:
                previous.lines.append(line)
            else:
                units.append(_Unit([*caption, line], section, kind="table"))
            caption = []
        elif line.paragraph:
            units.append(_Unit([*caption, line], section, paragraph=line.paragraph))
            caption = []
        elif previous and previous.kind == "text" and _belongs_to(previous, line, blank_before):
            previous.lines.append(line)
        else:
            units.append(_Unit([*caption, line], section))
            caption = []
        blank_before = False
    return units


def _belongs_to(previous: _Unit, line: Line, blank_before: bool) -> bool:
    """Whether `line` continues the unit before it rather than starting a new block."""
    if not blank_before or previous.paragraph:
        return True  # same block, or anything up to the next numbered paragraph or heading
    last = previous.lines[-1].clean
    starts_lower = line.clean[:1].islower()
    return (
        starts_lower
        or last.endswith((":", ";"))
        or (line.kind == "bullet" and previous.lines[-1].kind == "bullet")
    )


def _sections(units: list[_Unit]) -> list[list[_Unit]]:
    groups: list[list[_Unit]] = []
    for unit in units:
        if groups and groups[-1][-1].section == unit.section:
            groups[-1].append(unit)
        else:
            groups.append([unit])
    return groups


def _pack(units: list[_Unit]) -> list[Chunk]:
    """Units of one section joined into chunks of about TARGET_CHARS; an oversized unit is split."""
    chunks: list[Chunk] = []
    batch: list[_Unit] = []
    for unit in units:
        if unit.size > MAX_CHARS:
            chunks.extend(_flush(batch))
            batch = []
            chunks.extend(_split(unit))
            continue
        if batch and sum(u.size for u in batch) + unit.size > TARGET_CHARS:
            chunks.extend(_flush(batch))
            batch = []
        batch.append(unit)
    chunks.extend(_flush(batch))
    return chunks


def _flush(batch: list[_Unit]) -> list[Chunk]:
    if not batch:
        return []
    lines = [line for unit in batch for line in unit.lines]
    paragraphs = tuple(unit.paragraph for unit in batch if unit.paragraph)
    return [_chunk(lines, batch[0].section, paragraphs)]


def _split(unit: _Unit) -> list[Chunk]:
    """An oversized table by rows (each piece repeating the header row), or text by sentences."""
    paragraphs = (unit.paragraph,) if unit.paragraph else ()
    if unit.kind == "table":
        first_row = next(n for n, line in enumerate(unit.lines) if line.kind == "table")
        header, rows = unit.lines[: first_row + 1], unit.lines[first_row + 1 :]
        pieces = _batches(rows, MAX_CHARS - sum(len(line.text) for line in header))
        return [
            _chunk([*header, *piece], unit.section, paragraphs)
            if i == 0
            else _chunk(piece, unit.section, paragraphs, prefix=header)
            for i, piece in enumerate(pieces)
        ]
    return [
        _chunk(piece, unit.section, paragraphs) for piece in _batches(_sentences(unit.lines), TARGET_CHARS)
    ]


def _batches(lines: list[Line], limit: int) -> list[list[Line]]:
    batches: list[list[Line]] = [[]]
    for line in lines:
        if batches[-1] and sum(len(item.text) + 1 for item in batches[-1]) + len(line.text) > limit:
            batches.append([])
        batches[-1].append(line)
    return [batch for batch in batches if batch]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(“\"'‘-])")


def _sentences(lines: list[Line]) -> list[Line]:
    """Lines cut further at sentence ends, so a long paragraph can be split between sentences."""
    pieces: list[Line] = []
    for line in lines:
        cursor = 0
        for match in _SENTENCE_END.finditer(line.text):
            pieces.append(line.slice(cursor, match.start()))
            cursor = match.end()
        pieces.append(line.slice(cursor, len(line.text)))
    return [piece for piece in pieces if piece.text.strip()]


def _chunk(
    lines: list[Line], section: str, paragraphs: tuple[str, ...], prefix: list[Line] | None = None
) -> Chunk:
    # a heading named from the text (an unheaded appendix) has no characters of its own in the paper
    text = "\n".join(line.clean for line in [*(prefix or []), *lines] if line.clean and line.end > line.start)
    return Chunk(text=text, start=lines[0].start, end=lines[-1].end, section=section, paragraphs=paragraphs)
