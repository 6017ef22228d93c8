"""Reading a paper line by line: which lines are headings, numbered paragraphs, bullets or table rows.

Kinds: "blank"; "major" heading (numbered "5.", "3.0", markdown # or ##, an appendix); "minor" heading
(numbered "5.4", markdown ### and deeper, or a short stand-alone line such as "Governance"); "caption"
("Table 3: ..."); "table" (tab- or pipe-separated row); "bullet"; "text". A text or bullet line that starts
with a paragraph number ("39 The value ...", "- 4.1 Health and ...") carries that number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_PARA = re.compile(r"^\s*(?:[-•*]\s+)?(\d{1,3}(?:\.\d{1,2}){0,2})(?![.)\d])\s+(?=\S)")
_DOTTED = re.compile(r"^\s*(\d{1,2})\.\s+(?=[A-Z])")
_MARKDOWN = re.compile(r"^\s*(#{1,6})\s+")
_BULLET = re.compile(r"^\s*(?:[-•*–]|\(?[a-z]\)|\(?[ivx]+\)|\d+\)|[IVX]+\.)\s+")
_CAPTION = re.compile(r"^\s*(?:Table|Figure|Graph|Chart|Diagram)\s+\d+\s*[:.–-]", re.I)
_APPENDIX = re.compile(r"^\s*appendix\b", re.I)
_DATE_ONLY = re.compile(rf"^\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}\s+\d{{4}}\s*$", re.I)
_TAGS = re.compile(r"</?(?:p|u|b|i|em|strong|span|div|ul|ol|li|br|sup|sub|a)\b[^>]*>", re.I)
_EMPHASIS = re.compile(r"\*{2,3}|(?<!\w)_{2}|_{2}(?!\w)")
_SPACES = re.compile(r"[ \t\u00a0]+")
HEADING_MAX = 80


@dataclass(frozen=True)
class Line:
    """One line of the document with its offsets (end excludes the newline)."""

    text: str
    start: int
    end: int
    kind: str = "text"
    paragraph: str | None = None

    @property
    def clean(self) -> str:
        """The line without markup: HTML tags, markdown emphasis and heading marks, doubled spaces."""
        text = _TAGS.sub(" ", self.text)
        text = _EMPHASIS.sub("", _MARKDOWN.sub("", text))
        if self.kind == "table":
            cells = [_SPACES.sub(" ", cell).strip() for cell in re.split(r"\t|\|", text)]
            return " | ".join(cell for cell in cells if cell and not set(cell) <= set("-: "))
        return _SPACES.sub(" ", text).strip()

    def slice(self, begin: int, finish: int) -> Line:
        """Part of this line (for cutting a long paragraph between sentences)."""
        return replace(self, text=self.text[begin:finish], start=self.start + begin, end=self.start + finish)


def classify_lines(text: str) -> list[Line]:
    """Every line of `text` with its kind; stand-alone headings followed by nothing become text."""
    lines: list[Line] = []
    offset = 0
    raw = text.split("\n")
    for index, line in enumerate(raw):
        alone = _blank(raw, index - 1) and _blank(raw, index + 1)
        kind, paragraph = _kind(line, alone)
        lines.append(Line(line, offset, offset + len(line), kind, paragraph))
        offset += len(line) + 1
    return _demote_empty_headings(lines)


def _blank(raw: list[str], index: int) -> bool:
    return index < 0 or index >= len(raw) or not raw[index].strip()


def _kind(line: str, alone: bool) -> tuple[str, str | None]:
    stripped = line.strip()
    if not stripped:
        return "blank", None
    if _MARKDOWN.match(line):
        level = len(_MARKDOWN.match(line).group(1))  # type: ignore[union-attr]
        return ("major" if level <= 2 else "minor"), None
    if "\t" in stripped or stripped.startswith("|"):
        return "table", None
    if _CAPTION.match(stripped) and len(stripped) <= HEADING_MAX:
        return "caption", None
    numbered = _PARA.match(line)
    title = _EMPHASIS.sub("", _TAGS.sub("", stripped)).strip()
    if _looks_like_heading(title, alone) and not _DATE_ONLY.match(title):
        if _APPENDIX.match(title) or _DOTTED.match(title):
            return "major", None
        if numbered and not stripped.startswith("-"):
            number = numbered.group(1)
            return ("major" if "." not in number or number.endswith(".0") else "minor"), None
        if not numbered:
            return "minor", None
    if numbered and not _DATE_ONLY.match(line[numbered.end() :]):
        return ("bullet" if stripped.startswith(("-", "•", "*")) else "text"), numbered.group(1)
    if _BULLET.match(line):
        return "bullet", None
    return "text", None


def _looks_like_heading(title: str, alone: bool) -> bool:
    """A short stand-alone line that does not read as a sentence or the lead-in to a list."""
    letters = sum(ch.isalpha() for ch in title)
    return (
        alone
        and len(title) <= HEADING_MAX
        and letters >= 3
        and not title.endswith((".", ":", ";", ","))
        and (
            title[:1].isupper() or title[:1].isdigit() or re.match(r"^\(?[a-z]\)\s+[A-Z]", title) is not None
        )
        and not re.match(r"^(?:[-•*–]|\d+\))\s", title)
    )


def _demote_empty_headings(lines: list[Line]) -> list[Line]:
    """A minor heading with no text before the next heading or the end is content ("Not applicable")."""
    result = list(lines)
    following = "end"
    for index in range(len(result) - 1, -1, -1):
        kind = result[index].kind
        if kind == "blank":
            continue
        if kind == "minor" and following in ("major", "end"):
            result[index] = replace(result[index], kind="text")
            kind = "text"
        following = kind
    return result
