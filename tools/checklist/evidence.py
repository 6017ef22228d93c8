"""Finding evidence in a paper: sentences with their locations, and the phrase matching of monitor_data.

Deterministic and explainable: a paper is split into sentences, each keeps the line it came from and the
paragraph number where the paper numbers its paragraphs; an element is found when a sentence matches one
of its phrases. Sentences that restate a Monitor question (as the Sheffield appendix does) are not
evidence, but the rest of their table row is the answer to that question and is preferred as a quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from tools.checklist.model import CheckResult, Evidence, EvidenceStatus
from tools.checklist.monitor_data import DUTY_WORDING, NORMALISE, QUESTIONS, Check, Element

MAX_QUOTE = 320
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘'(])")
_NUMBERED = re.compile(r"^\s*(?:[-•*]\s*)?(\d+(?:\.\d+)+|\d+\.)\s+(\S.*)$")
_BULLET = re.compile(r"^\s*[-•*]\s+")
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
    """The sentences of `text`, each with its location: `where` if given, else the paragraph or line."""
    sentences: list[Sentence] = []
    section: str | None = None
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = _TAG.sub(" ", raw)
        numbered = _NUMBERED.match(line)
        if numbered and _is_heading(numbered.group(2), lines, number):
            section = numbered.group(1).rstrip(".")
            continue
        line = _BULLET.sub("", numbered.group(2) if numbered else line)  # the location keeps the number
        pieces = [piece for cell in line.split("\t") for piece in _SENTENCE_END.split(cell)]
        pieces = [" ".join(piece.split()) for piece in pieces]
        pieces = [piece for piece in pieces if len(piece.split()) >= 3]
        answers = next((q for piece in pieces if (q := _question_asked(piece))), None)
        for piece in pieces:
            if _question_asked(piece) or _DUTY.search(piece.lower()):
                continue
            location = where or _location(number, numbered, section, answers)
            sentences.append(Sentence(piece, normalise(piece), location, answers))
    return sentences


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


def _location(number: int, numbered: re.Match[str] | None, section: str | None, answers: int | None) -> str:
    if answers:
        return f"answer to question {answers}, line {number}"
    if numbered:
        return f"paragraph {numbered.group(1).rstrip('.')}, line {number}"
    return f"line {number} (section {section})" if section else f"line {number}"


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


def shows(element: Element, sentence: Sentence) -> bool:
    """Whether `sentence` shows `element`: every term of one of its phrases appears in it."""
    return any(
        all(pattern.search(sentence.matched) for pattern in _phrase_patterns(phrase))
        for phrase in element.phrases
    )


def evaluate(check: Check, sentences: list[Sentence]) -> CheckResult:
    """How far `sentences` evidence `check`: one quote per element found, the best one first in the paper."""
    shown = {element.name: [s for s in sentences if shows(element, s)] for element in check.elements}

    def score(sentence: Sentence) -> int:
        in_answer = 10 if sentence.answers == check.number else 0
        return in_answer + sum(sentence in found for found in shown.values())

    chosen: list[Sentence] = []
    for found in shown.values():
        if found:
            best = max(found, key=score)  # max keeps the earliest of equals
            if best not in chosen:
                chosen.append(best)
    chosen.sort(key=sentences.index)
    found_names = [name for name, found in shown.items() if found]
    missing = [f"{e.name}: {e.suggestion}" for e in check.elements if not shown[e.name]]
    status: EvidenceStatus = "evidenced" if not missing else "partial" if found_names else "missing"
    evidence = [
        Evidence(quote=_trim(s.text), location=s.location, elements=[n for n, f in shown.items() if s in f])
        for s in chosen
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
