"""Which words and sentences of a passage match a query: for highlighting, and for offline answers.

Pure functions of text. Words match when their English stems match ("costs" matches "cost",
"procuring" matches "procurement"), ignoring common words. Without a language model the assistant
answers with the best passages and, in each, the sentences that carry the most query words.
"""

from __future__ import annotations

import re
from functools import cache

_WORD = re.compile(r"\w+(?:['’]\w+)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(“\"‘'£0-9-])|\n+")
_COMMON = (
    "a an and are as at be been but by can could did do does for from had has have how i if in into is it "
    "its may might must of on or our shall should so such than that the their them then there these they "
    "this those to was we were what when where which who whom why will with would you your about after any "
    "all also"
)
_STOPWORDS = frozenset(_COMMON.split())


@cache
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word.casefold()))  # type: ignore[attr-defined]


def query_terms(query: str) -> set[str]:
    """The stems of the query's meaningful words."""
    return {_stem(word) for word in _WORD.findall(query) if word.casefold() not in _STOPWORDS}


def sentence_terms(sentence: str) -> set[str]:
    """The stems of every word of `sentence`."""
    return {_stem(word) for word in _WORD.findall(sentence)}


def matching_spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every word in `text` whose stem is one of the query's."""
    terms = query_terms(query)
    return [
        (match.start(), match.end())
        for match in _WORD.finditer(text)
        if match.group().casefold() not in _STOPWORDS and _stem(match.group()) in terms
    ]


def best_sentences(text: str, query: str, limit: int = 2) -> list[str]:
    """The sentences of `text` that carry the most distinct query words, in reading order.

    Args:
        text: a passage.
        query: what was searched for.
        limit: at most this many sentences; sentences with no query word are never returned.
    """
    terms = query_terms(query)
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    scored = []
    for order, sentence in enumerate(sentences):
        found = {_stem(word) for word in _WORD.findall(sentence)} & terms
        if found:
            scored.append((len(found), -order, sentence))
    best = sorted(scored, reverse=True)[:limit]
    return [sentence for _, _, sentence in sorted(best, key=lambda item: -item[1])]


def bold_matches(text: str, query: str) -> str:
    """`text` with the query's words in Markdown bold."""
    pieces, cursor = [], 0
    for start, end in matching_spans(text, query):
        pieces += [text[cursor:start], f"**{text[start:end]}**"]
        cursor = end
    return "".join(pieces) + text[cursor:]
