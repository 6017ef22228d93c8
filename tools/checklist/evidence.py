"""Finding evidence in a paper: sentences with their locations, and the phrase matching of monitor_data.

Deterministic and explainable: a paper's wrapped lines are joined into paragraphs, list items and table
rows, which are split into sentences; each sentence keeps the paragraph number where the paper numbers
its paragraphs and the line where it starts. An element is found when a sentence matches one of its
phrases. Headings (Markdown `#` lines, underlined lines, short lines with no closing punctuation standing
alone, Title Case table cells) are titles, not evidence. Sentences that restate a Monitor question (as the
Sheffield appendix does) are not evidence, but the rest of their table row is the answer to that
question and is preferred as a quote.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from tools.checklist.model import CheckResult, Evidence, EvidenceStatus
from tools.checklist.monitor_data import DUTY_WORDING, NORMALISE, QUESTIONS, Check, Element

MAX_QUOTE = 320
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘'(])")
_NUMBERED = re.compile(r"^\s*(?:[-•*]\s*)?(\d+(?:\.\d+)+|\d+\.)\s+(\S.*)$")
_BULLET = re.compile(r"^\s*[-•*]\s+")
_EMPHASIS = re.compile(r"\*{2,}|_{2,}")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_UNDERLINE = re.compile(r"^\s*(=+|-{3,})\s*$")
_WRAPPED_WORD = re.compile(r"[A-Za-z]-$")
_CELL = re.compile(r"[^\t|]+")
_CLOSING = (".", "!", "?", ":", ";", ",", ")", '"', "”", "’")
_HEADING_WORDS = 12
_WORD = re.compile(r"[a-z]+")
_DUTY = re.compile(DUTY_WORDING)
_STOPWORDS = frozenset(("a", "an", "and", "any", "of", "the", "to", "that", "has", "have", "in", "on", "or"))


@dataclass(frozen=True)
class Sentence:
    """A sentence of the paper, as quoted and as matched."""

    text: str
    matched: str
    location: str
    answers: int | None = None


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower())) - _STOPWORDS


_QUESTION_WORDS = [(check.number, _words(check.question)) for check in QUESTIONS]


def restated_question(text: str) -> int | None:
    """The number of the Monitor question `text` restates, if it does."""
    words = _words(text)
    if len(words) < 4:
        return None
    for number, question in _QUESTION_WORDS:
        if len(words & question) >= 0.8 * len(words):
            return number
    return None


def normalise(text: str) -> str:
    """The text as matched: lower case, with names of bodies and regulations rewritten."""
    text = text.lower()
    for pattern, replacement in NORMALISE:
        text = re.sub(pattern, replacement.lower(), text)
    return text


def split_sentences(text: str, *, where: str | None = None) -> list[Sentence]:
    """The sentences of `text`, each with its location: `where` if given, else the paragraph or line.

    Lines wrapped inside a paragraph are joined first, so a sentence that runs over two lines is one
    sentence; its location is the paragraph number where the paper numbers paragraphs, and the line where
    the sentence starts. Table rows stay rows. A paper's headings are not evidence and are left out (an
    answer, given with `where`, has none).
    """
    sentences: list[Sentence] = []
    for unit in _units(text.splitlines(), headings=where is None):
        pieces = [piece for cell in unit.cells() for piece in _sentences(cell)]
        answers = next((q for _, piece in pieces if (q := _question_asked(piece))), None)
        for offset, piece in pieces:
            if _question_asked(piece) or _DUTY.search(piece.lower()):
                continue
            location = where or _location(unit.line_at(offset), unit.number, unit.section, answers)
            sentences.append(Sentence(piece, normalise(piece), location, answers))
    return sentences


@dataclass
class _Unit:
    """A paragraph (its wrapped lines joined), a list item, or a table row, with where each line starts.

    The lines are kept as pieces and joined once, when the text is first read: joining as each line
    came would copy a long paragraph once per line.
    """

    starts: list[tuple[int, int]]  # (offset in text, line number)
    number: str | None = None
    section: str | None = None
    row: bool = False
    item: bool = False
    pieces: list[str] = field(default_factory=list)
    length: int = 0
    tail: str = ""  # the text's last two characters: all that joining the next line looks at

    @classmethod
    def of(cls, text: str, starts: list[tuple[int, int]], section: str | None) -> _Unit:
        return cls(starts, None, section, pieces=[text], length=len(text), tail=text[-2:])

    @property
    def text(self) -> str:
        if len(self.pieces) != 1:
            self.pieces = ["".join(self.pieces)]
        return self.pieces[0]

    def add(self, line: str, number: int) -> None:
        line = line.strip()
        wrapped_word = _WRAPPED_WORD.search(self.tail) and line[:1].islower()
        joint = "" if not self.length or wrapped_word else " "
        self.starts.append((self.length + len(joint), number))
        piece = joint + line
        self.pieces.append(piece)
        self.length += len(piece)
        self.tail = (self.tail + piece)[-2:]

    def cells(self) -> list[tuple[int, str]]:
        """(offset, text) of each cell of a row, or of the whole text."""
        if not self.row:
            return [(0, self.text)]
        cells = [(match.start(), match.group()) for match in _CELL.finditer(self.text)]
        return [(start, cell) for start, cell in cells if not _is_title(cell)]

    def line_at(self, offset: int) -> int:
        # The line of the last start at or before `offset` (starts are in order): a search, not a scan.
        return self.starts[bisect.bisect_right(self.starts, offset, key=lambda start: start[0]) - 1][1]


def _units(lines: list[str], *, headings: bool) -> list[_Unit]:
    units: list[_Unit] = []
    current: _Unit | None = None
    section: str | None = None
    for number, raw in enumerate(lines, start=1):
        line = _clean(raw)
        # A number starting a line in mid-sentence ("published in / 2019. The ...") is not a paragraph's.
        mid_sentence = current is not None and not current.row and not current.tail.endswith(_CLOSING)
        numbered = None if mid_sentence else _NUMBERED.match(line)
        if not line.strip() or _MARKDOWN_HEADING.match(line) or _UNDERLINE.match(line):
            if _UNDERLINE.match(line) and current is not None and len(current.starts) == 1:
                units.pop()  # the line above a === or --- underline is a heading (`current` is the last)
            current = None
            continue
        if numbered and _is_heading(numbered.group(2), lines, number):
            section, current = numbered.group(1).rstrip("."), None
            continue
        body = _BULLET.sub("", numbered.group(2) if numbered else line)  # the location keeps the number
        row = "\t" in line or line.lstrip().startswith("|")
        if current is not None and not (numbered or row or current.row or _BULLET.match(line)):
            current.add(body, number)
            continue
        current = _Unit([], numbered.group(1).rstrip(".") if numbered else None, section, row)
        current.item = bool(numbered or _BULLET.match(line))
        current.add(body, number)
        units.append(current)
    if not headings:
        return units
    return [unit for unit in map(_without_heading, units) if unit is not None]


def _clean(raw: str) -> str:
    # Tags and bold or underline markers are formatting, not the paper's words.
    return _EMPHASIS.sub("", _TAG.sub(" ", raw))


def _without_heading(unit: _Unit) -> _Unit | None:
    """The unit with a heading left out: a short line with no closing punctuation, standing alone or
    leading a paragraph whose lines are much longer."""
    if unit.row or unit.item:
        return unit
    if _looks_like_heading(unit.text):
        return None
    if len(unit.starts) < 2:
        return unit
    end = unit.starts[1][0]
    first, rest = unit.text[: end - 1], unit.text[end:]
    longest = max(len(line) for line in _lines_of(unit)[1:])
    if _looks_like_heading(first) and len(first) < 0.6 * longest and rest[:1].isupper():
        return _Unit.of(rest, [(start - end, line) for start, line in unit.starts[1:]], unit.section)
    return unit


def _lines_of(unit: _Unit) -> list[str]:
    bounds = [start for start, _ in unit.starts] + [len(unit.text) + 1]
    return [unit.text[a : b - 1] for a, b in itertools.pairwise(bounds)]


def _looks_like_heading(text: str) -> bool:
    text = text.strip()
    return len(text.split()) <= _HEADING_WORDS and not text.endswith(_CLOSING)


def _is_title(cell: str) -> bool:
    # A table cell in Title Case with no closing punctuation labels the row ("Integrated Approach to
    # Procurement"): a title, not a statement.
    long_words = [word for word in cell.split() if len(word) >= 4]
    return _looks_like_heading(cell) and all(word[:1].isupper() for word in long_words)


def _sentences(cell: tuple[int, str]) -> list[tuple[int, str]]:
    """(offset, sentence) of each sentence of three or more words in the cell, whitespace collapsed."""
    offset, text = cell
    bounds = [0, *(match.end() for match in _SENTENCE_END.finditer(text)), len(text)]
    pieces = [(offset + a, " ".join(text[a:b].split())) for a, b in itertools.pairwise(bounds)]
    return [(start, piece) for start, piece in pieces if len(piece.split()) >= 3]


def _is_heading(rest: str, lines: list[str], number: int) -> bool:
    # A numbered heading is short, has no closing punctuation, and stands alone between blank lines.
    alone = all(not lines[i].strip() for i in (number - 2, number) if 0 <= i < len(lines))
    short = len(rest) <= 80 and len(rest.split()) >= 2
    return alone and short and not rest.rstrip().endswith((".", ":", ";", ","))


def _question_asked(piece: str) -> int | None:
    # A question is not evidence of its own answer: "?" marks most, the word overlap the others.
    number = restated_question(piece)
    if number is None and piece.rstrip().endswith("?"):
        return 0
    return number


def _location(line: int, number: str | None, section: str | None, answers: int | None) -> str:
    if answers:
        return f"answer to question {answers}, line {line}"
    if number:
        return f"paragraph {number}, line {line}"
    return f"line {line} (section {section})" if section else f"line {line}"


def _term_pattern(term: str) -> re.Pattern[str]:
    # `|` at the top level and inside brackets, `(...)?` optional words, `*` any ending, space or hyphen.
    body = ""
    for char in term.strip().lower():
        if char == "*":
            body += r"\w*"
        elif char == " ":
            body += r"[\s\-]+"
        elif char in "()|?":
            body += char
        else:
            body += re.escape(char)
    alternatives = [alt if alt.endswith((r"\w*", ")", "?")) else alt + r"\b" for alt in _top_level(body)]
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")")


def _top_level(body: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in body:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


@cache
def _phrase_patterns(phrase: str) -> tuple[re.Pattern[str], ...]:
    return tuple(_term_pattern(term) for term in phrase.split(" & "))


@cache
def _first_terms(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for the first term of every phrase: a sentence matching none of them shows none."""
    return re.compile("|".join(f"(?:{_phrase_patterns(phrase)[0].pattern})" for phrase in phrases))


def shows(element: Element, sentence: Sentence) -> bool:
    """Whether `sentence` shows `element`: every term of one of its phrases appears in it."""
    if not _first_terms(element.phrases).search(sentence.matched):
        return False  # most sentences: one search instead of one a phrase
    return any(
        all(pattern.search(sentence.matched) for pattern in _phrase_patterns(phrase))
        for phrase in element.phrases
    )


def evaluate(check: Check, sentences: list[Sentence]) -> CheckResult:
    """How far `sentences` evidence `check`: one quote per element found, the best one first in the paper."""
    # Sentences by position, so that scoring and choosing are counts and set look-ups, not list scans.
    shown = {
        element.name: [n for n, s in enumerate(sentences) if shows(element, s)] for element in check.elements
    }
    elements_shown = Counter(n for found in shown.values() for n in found)

    def score(n: int) -> int:
        in_answer = 10 if sentences[n].answers == check.number else 0
        return in_answer + elements_shown[n]

    # max keeps the earliest of equals; the quotes are in the paper's order.
    chosen = sorted({max(found, key=score) for found in shown.values() if found})
    found_names = [name for name, found in shown.items() if found]
    missing = [f"{e.name}: {e.suggestion}" for e in check.elements if not shown[e.name]]
    status: EvidenceStatus = "evidenced" if not missing else "partial" if found_names else "missing"
    found_at = {name: set(found) for name, found in shown.items()}
    evidence = [
        Evidence(
            quote=_trim(sentences[n].text),
            location=sentences[n].location,
            elements=[name for name, at in found_at.items() if n in at],
        )
        for n in chosen
    ]
    return CheckResult(
        number=check.number,
        key=check.key,
        question=check.question,
        regulation=check.rule.citation(),
        status=status,
        evidence=evidence,
        found=found_names,
        missing=missing,
    )


def _trim(text: str) -> str:
    if len(text) <= MAX_QUOTE:
        return text
    return text[:MAX_QUOTE].rsplit(" ", 1)[0] + " …"
