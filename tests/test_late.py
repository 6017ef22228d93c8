"""Word-by-word matching (`late.py`): the codes, the question's weights, the files, and what it finds."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from assistant.retrieval import late
from assistant.retrieval.embeddings import TokenStates, get_embedder
from assistant.retrieval.search import get_retriever

PIECES = st.tuples(st.integers(0, 40), st.just(late.WIDTH))
STOPWORDS = frozenset({"the", "of", "is", "what", "a"})


def _states(pieces: list[str], ids: list[int], seed: int = 1) -> TokenStates:
    vectors = np.random.default_rng(seed).standard_normal((len(pieces), late.WIDTH)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return TokenStates(vectors, np.asarray(ids, dtype=np.int32), pieces)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float32, PIECES, elements=st.floats(-1, 1, width=32)))
def test_codes_keep_each_sign_in_48_bytes_a_piece(vectors: np.ndarray) -> None:
    codes = late.pack(vectors)
    assert codes.shape == (len(vectors), late.WIDTH // 8) and codes.dtype == np.uint8
    back = late.unpack(codes)
    assert np.array_equal(back > 0, vectors > 0)
    assert np.allclose(np.linalg.norm(back, axis=1), 1.0)


def test_a_passage_holding_the_questions_own_pieces_scores_highest() -> None:
    states = _states(["estates", "budget"], [1, 2])
    asked = late.question(states, STOPWORDS, np.ones(late.VOCABULARY), 10)
    own = late.pack(states.vectors)
    other = late.pack(-states.vectors)
    none = np.zeros((0, late.WIDTH // 8), dtype=np.uint8)
    scores = asked.scores([own, none, np.concatenate([other, own[:1]]), other])
    assert scores[0] > scores[2] > scores[3] and scores[1] == 0.0
    one_by_one = [float(asked.scores([codes])[0]) for codes in (own, other)]
    assert one_by_one == pytest.approx([scores[0], scores[3]])
    expected = float((states.vectors @ late.unpack(own).T).max(axis=1).mean())  # equal weights here
    assert scores[0] == pytest.approx(expected)


def test_stopwords_and_punctuation_do_not_count_and_rarer_pieces_count_more() -> None:
    states = _states(["what", "is", "the", "est", "##ates", "budget", "?"], [1, 2, 3, 4, 5, 6, 7])
    df = np.zeros(late.VOCABULARY, dtype=np.int32)
    df[[4, 5, 6]] = [1, 1, 9]  # "budget" is in 9 of the 10 passages, "est" "##ates" in one
    asked = late.question(states, STOPWORDS, df, 10)
    assert len(asked.weights) == 3 and math.isclose(float(asked.weights.sum()), 1.0, rel_tol=1e-6)
    assert np.array_equal(asked.vectors, states.vectors[[3, 4, 5]])
    assert asked.weights[0] == asked.weights[1] > asked.weights[2]


def test_a_question_of_stopwords_alone_keeps_its_pieces() -> None:
    asked = late.question(_states(["what", "is", "the"], [1, 2, 3]), STOPWORDS, np.zeros(late.VOCABULARY), 10)
    assert len(asked.weights) == 3


def test_the_files_give_back_each_passages_codes_and_count_its_pieces(tmp_path: Path) -> None:
    first, second = _states(["a", "b", "a"], [7, 8, 7]), _states(["c"], [9], seed=2)
    codes = [late.pack(first.vectors), None, late.pack(second.vectors)]
    late.write(tmp_path / "tokens", codes, [first.ids, None, second.ids])
    tokens = late.Tokens.open(tmp_path / "tokens", 3)
    found = tokens.of([2, 0, 1])
    assert np.array_equal(found[0], codes[2]) and np.array_equal(found[1], codes[0]) and len(found[2]) == 0
    assert list(tokens.pieces_of([0])[0]) == [7, 8, 7]
    assert (int(tokens.df[7]), int(tokens.df[8]), int(tokens.df[9]), tokens.passages) == (1, 1, 1, 3)
    with pytest.raises(ValueError, match="damaged"):
        late.Tokens.open(tmp_path / "tokens", 4)


def test_codes_without_as_many_pieces_are_refused(tmp_path: Path) -> None:
    states = _states(["a", "b"], [1, 2])
    with pytest.raises(ValueError, match="not as many pieces"):
        late.write(tmp_path / "tokens", [late.pack(states.vectors)], [states.ids[:1]])


def test_the_model_gives_each_word_piece_in_context_and_the_same_vector_as_before() -> None:
    texts = ["estates budget", "The budget for estates is c£5m and will be treated as a pass through cost."]
    embedder = get_embedder()
    vectors, states = embedder.embed_with_tokens(texts)
    assert np.array_equal(vectors, embedder.embed(texts))
    assert states[0].pieces == ["estates", "budget"] and list(states[0].ids) == [8707, 5166]
    assert "[CLS]" not in states[1].pieces and "[PAD]" not in states[0].pieces
    assert np.allclose(np.linalg.norm(states[1].vectors, axis=1), 1.0)
    # the same word in two contexts has two vectors
    budget = [s.vectors[s.pieces.index("budget")] for s in states]
    assert float(budget[0] @ budget[1]) < 0.99


@pytest.mark.usefixtures("indexed_home")
@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        (
            "Are several neighbouring CCGs buying a round-the-clock phone support line together?",
            "24 hour, 365 days/year Mental Health helpline",
        ),
        (
            "Why will the Bath CCG get a smaller funding uplift than most CCGs?",
            "marginally above target allocation",
        ),
    ],
)
def test_word_by_word_matching_finds_what_keywords_and_meaning_miss(question: str, phrase: str) -> None:
    retriever = get_retriever()

    def rank(mode: str) -> int | None:
        found = retriever.search(question, 5, mode=mode)  # type: ignore[arg-type]
        return next((n for n, p in enumerate(found, start=1) if phrase in " ".join(p.text.split())), None)

    assert rank("bm25") is None and rank("dense") is None
    assert rank("hybrid") == 1


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 60), st.integers(0, 2**32 - 1))
def test_a_passages_pieces_travel_as_text_and_come_back_the_same(count: int, seed: int) -> None:
    numbers = np.random.default_rng(seed)
    codes = numbers.integers(0, 256, size=(count, late.WIDTH // 8), dtype=np.uint8)
    pieces = numbers.integers(0, late.VOCABULARY, size=count, dtype=np.int32)
    text = late.to_text(codes, pieces)
    assert text.isascii()
    back_codes, back_pieces = late.from_text(text)
    assert np.array_equal(back_codes, codes) and np.array_equal(back_pieces, pieces)


@given(st.text(max_size=200))
def test_text_that_is_not_word_pieces_is_refused(text: str) -> None:
    try:
        codes, pieces = late.from_text(text)
    except ValueError:
        return
    assert len(codes) == len(pieces) and (not len(pieces) or int(pieces.max()) < late.VOCABULARY)


def test_the_rarity_of_word_pieces_travels_as_text_and_comes_back_the_same() -> None:
    states = [_states(["a", "b", "a"], [7, 8, 7]), _states(["b"], [8], seed=2)]
    df = late.frequencies([late.pack(s.vectors) for s in states] + [None], [s.ids for s in states] + [None])
    assert (int(df[7]), int(df[8]), int(df.sum())) == (1, 2, 3)
    back, passages = late.frequencies_from_text(late.frequencies_text(df, 3))
    assert np.array_equal(back, df) and passages == 3


@given(st.text(max_size=300))
def test_text_that_is_not_frequencies_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        late.frequencies_from_text(text)
