"""Word-by-word matching ("late interaction"): how well each word of a question finds its counterpart among
a passage's own words, each read in its context by the embedding model.

One vector per passage blurs a long passage into its average, so a question about one clause of it ("which
law firm advised?") loses to passages that are wholly about something close. Here each word piece of the
question keeps its own vector from MiniLM's last layer and takes its best cosine among the passage's word
pieces (ColBERT's MaxSim, with no training); a rarer piece counts for more (inverse document frequency
over the index's passages, as BM25 weighs words), and stopwords and punctuation not at all. Measured on
`make eval`, this alone ranks the answer first more often than keywords or whole-passage meaning do, and
it finds paraphrases the other two miss (see the README).

A passage's pieces are stored once, at index time, as the signs of their vectors (48 bytes a piece, about
5 kB a passage): `codes.npy` (every piece of every passage, in index order), `pieces.npy` (each piece's
vocabulary number, so a later build can count them again), `offsets.npy` (where each passage's pieces
begin) and `df.npy` (how many passages hold each vocabulary entry). A search reads only
the pieces of its candidates. The question's own pieces stay exact: measured, signs on one side lose
nothing that full int8 vectors gain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from assistant.retrieval.embeddings import TokenStates

FOLDER = "tokens"
FILES = ("codes.npy", "pieces.npy", "offsets.npy", "df.npy")
WIDTH = 384
"""The embedding model's width: a piece's code is WIDTH sign bits."""
VOCABULARY = 30522
"""The embedding model's vocabulary size (MiniLM's BERT word pieces)."""
_BLOCK = 1024


def pack(vectors: np.ndarray) -> np.ndarray:
    """Each row's signs as bits: a (pieces, WIDTH / 8) uint8 array."""
    import numpy as np

    return np.packbits(np.asarray(vectors) > 0, axis=1)


def unpack(codes: np.ndarray) -> np.ndarray:
    """Codes back to unit vectors of ±1/sqrt(WIDTH), float32, one row a piece."""
    import numpy as np

    rows = np.asarray(codes, dtype=np.uint8)
    return _signs()[rows].reshape(len(rows), WIDTH)


@cache
def _signs() -> np.ndarray:
    """Each byte's 8 bits as ±1/sqrt(WIDTH), first bit first (`np.packbits`'s order): one lookup a byte
    unpacks codes about four times as fast as unpacking bits and scaling them."""
    import numpy as np

    bits = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).astype(np.float32)
    return (bits * 2 - 1) / np.float32(math.sqrt(WIDTH))


@dataclass(frozen=True)
class Question:
    """A question's word pieces that count, as exact unit vectors, and their weights (summing to 1)."""

    vectors: np.ndarray
    weights: np.ndarray

    def scores(self, passages: Sequence[np.ndarray]) -> np.ndarray:
        """How well each passage (its codes) matches: the weighted mean over the question's pieces of each
        one's best cosine among the passage's pieces (0 for a passage with none). One product for all."""
        import numpy as np

        found = np.zeros(len(passages), dtype=np.float32)
        lengths = np.asarray([len(codes) for codes in passages], dtype=np.int64)
        if not len(self.weights) or not lengths.sum():
            return found
        holding = np.flatnonzero(lengths)
        cosines = self._cosines(np.concatenate([passages[int(n)] for n in holding]))
        starts = np.concatenate([[0], np.cumsum(lengths[holding])[:-1]])
        found[holding] = np.maximum.reduceat(cosines, starts, axis=0) @ self.weights
        return found

    def _cosines(self, codes: np.ndarray) -> np.ndarray:
        """(pieces, question pieces) cosines, unpacked and multiplied `_BLOCK` pieces at a time, so the
        unpacked floats stay in the processor's cache (a third faster than one product)."""
        import numpy as np

        found = np.empty((len(codes), len(self.weights)), dtype=np.float32)
        block = np.empty((_BLOCK, WIDTH // 8, 8), dtype=np.float32)
        transposed = np.ascontiguousarray(self.vectors.T)
        for begin in range(0, len(codes), _BLOCK):
            part = codes[begin : begin + _BLOCK]
            unpacked = block[: len(part)]
            np.take(_signs(), part, axis=0, out=unpacked)
            np.matmul(unpacked.reshape(len(part), WIDTH), transposed, out=found[begin : begin + len(part)])
        return found


def question(states: TokenStates, stopwords: frozenset[str], df: Any, passages: int) -> Question:
    """The pieces of a question that count (no stopword, no punctuation), weighted by rarity.

    `df` gives how many of the index's `passages` hold each vocabulary entry; a piece's weight is BM25's
    inverse document frequency, log(1 + (N - df + 0.5) / (df + 0.5)). A question of stopwords alone keeps
    all its pieces.
    """
    import numpy as np

    keep = [
        n
        for n, piece in enumerate(states.pieces)
        if piece.lower() not in stopwords and any(c.isalnum() for c in piece)
    ] or list(range(len(states.pieces)))
    counts = np.asarray([int(df[states.ids[n]]) if states.ids[n] < len(df) else 0 for n in keep], float)
    weights = np.log1p((passages - counts + 0.5) / (counts + 0.5))
    total = weights.sum()
    return Question(
        states.vectors[keep].astype(np.float32),
        (weights / total if total > 0 else np.zeros(len(keep))).astype(np.float32),
    )


def write(target: Path, tokens: Sequence[np.ndarray | None], pieces: Sequence[np.ndarray | None]) -> None:
    """Write each passage's codes (`pack`ed), its pieces' vocabulary numbers and their document
    frequencies into `target`. A passage with no codes (None) gets none: its word-by-word score is 0.
    """
    import numpy as np

    target.mkdir()
    lengths = np.asarray([0 if codes is None else len(codes) for codes in tokens], dtype=np.int64)
    offsets = np.zeros(len(tokens) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    codes_file = np.lib.format.open_memmap(
        target / "codes.npy", mode="w+", dtype=np.uint8, shape=(total, WIDTH // 8)
    )
    pieces_file = np.lib.format.open_memmap(target / "pieces.npy", mode="w+", dtype=np.uint16, shape=(total,))
    df = frequencies(tokens, pieces)  # first: it refuses a piece outside the vocabulary
    for n, (codes, ids) in enumerate(zip(tokens, pieces, strict=True)):
        if codes is None or not len(codes):
            continue
        if ids is None or len(ids) != len(codes):
            raise ValueError(f"passage {n} has {len(codes)} word-piece codes but not as many pieces")
        codes_file[offsets[n] : offsets[n + 1]] = codes
        pieces_file[offsets[n] : offsets[n + 1]] = ids
    codes_file.flush()
    pieces_file.flush()
    np.save(target / "offsets.npy", offsets)
    np.save(target / "df.npy", df)


def frequencies(tokens: Sequence[np.ndarray | None], pieces: Sequence[np.ndarray | None]) -> np.ndarray:
    """How many passages (those with codes) hold each vocabulary entry: an int32 array of VOCABULARY."""
    import numpy as np

    df = np.zeros(VOCABULARY, dtype=np.int32)
    for n, (codes, ids) in enumerate(zip(tokens, pieces, strict=True)):
        if codes is not None and len(codes) and ids is not None:
            df[np.unique(_numbers(ids, n))] += 1
    return df


def _numbers(ids: np.ndarray, passage: int) -> np.ndarray:
    import numpy as np

    numbers = np.asarray(ids, dtype=np.int64)
    if len(numbers) and (numbers.min() < 0 or numbers.max() >= VOCABULARY):
        raise ValueError(f"passage {passage} has a word piece outside the model's vocabulary")
    return numbers


SHARED = "word_pieces"
"""The metadata field that carries a passage's pieces on a Chroma server (`to_text`), so that a colleague's
next build keeps them without the model, and a colleague's search can score them."""
SHARED_FREQUENCIES = "word_piece_frequencies"
"""The collection metadata field that carries the generation's `frequencies` (`frequencies_text`)."""


def frequencies_text(df: np.ndarray, passages: int) -> str:
    """The document frequencies and the number of passages as one ASCII string (base64 of uint32s)."""
    import base64

    import numpy as np

    raw = np.concatenate([[passages], np.asarray(df)]).astype("<u4").tobytes()
    return base64.b64encode(raw).decode("ascii")


def frequencies_from_text(text: str) -> tuple[np.ndarray, int]:
    """`frequencies_text` read back: (df, passages).

    Raises:
        ValueError: the text is not what `frequencies_text` writes.
    """
    import numpy as np

    raw = _bytes(text, "word-piece frequencies")
    if len(raw) != 4 * (VOCABULARY + 1):
        raise ValueError("word-piece frequencies are not one count a vocabulary entry")
    numbers = np.frombuffer(raw, dtype="<u4").astype(np.int64)
    return numbers[1:].astype(np.int32), int(numbers[0])


def to_text(codes: np.ndarray, pieces: np.ndarray) -> str:
    """A passage's codes and pieces as one ASCII string for a metadata field: base64 of the pieces'
    numbers (2 bytes each, little-endian) followed by their codes (WIDTH / 8 bytes each)."""
    import base64

    import numpy as np

    raw = np.asarray(pieces, dtype="<u2").tobytes() + np.asarray(codes, dtype=np.uint8).tobytes()
    return base64.b64encode(raw).decode("ascii")


def from_text(text: str) -> tuple[np.ndarray, np.ndarray]:
    """`to_text` read back: (codes, pieces).

    Raises:
        ValueError: the text is not what `to_text` writes.
    """
    import numpy as np

    raw = _bytes(text, "word pieces")
    each = 2 + WIDTH // 8
    if len(raw) % each:
        raise ValueError("word pieces have a length no count of pieces gives")
    count = len(raw) // each
    pieces = np.frombuffer(raw[: 2 * count], dtype="<u2").astype(np.int32)
    if len(pieces) and pieces.max() >= VOCABULARY:
        raise ValueError("word pieces fall outside the model's vocabulary")
    codes = np.frombuffer(raw[2 * count :], dtype=np.uint8).reshape(count, WIDTH // 8)
    return codes, pieces


def _bytes(text: str, what: str) -> bytes:
    """The bytes a base64 metadata field holds, or ValueError naming `what` it should have held."""
    import base64
    import binascii

    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError(f"{what} are not base64") from None


@dataclass
class Tokens:
    """A generation's word-piece codes, memory-mapped: a search reads its candidates' pieces only."""

    codes: Any
    pieces: Any
    offsets: Any
    df: Any

    @classmethod
    def open(cls, where: Path, passages: int) -> Tokens:
        """Open `where` (a generation's `tokens/`) for an index of `passages` passages.

        Raises:
            OSError, ValueError: a file is missing or the arrays disagree.
        """
        import numpy as np

        codes, pieces, offsets, df = (np.load(where / name, mmap_mode="r") for name in FILES)
        if (
            len(offsets) != passages + 1
            or int(offsets[-1]) != len(codes)
            or len(pieces) != len(codes)
            or codes.ndim != 2
            or codes.shape[1] != WIDTH // 8
            or len(df) != VOCABULARY
        ):
            raise ValueError("its word-piece codes are damaged")
        return cls(codes, pieces, offsets, df)

    @property
    def passages(self) -> int:
        return len(self.offsets) - 1

    def of(self, positions: Sequence[int]) -> list[np.ndarray]:
        """The codes of the passages at `positions`."""
        return self._read(self.codes, positions)

    def pieces_of(self, positions: Sequence[int]) -> list[np.ndarray]:
        """The vocabulary numbers of the pieces of the passages at `positions`."""
        return self._read(self.pieces, positions)

    def _read(self, array: Any, positions: Sequence[int]) -> list[np.ndarray]:
        """Each passage's rows of `array`, read from the file (as `Vectors.rows` does, so that the map does
        not grow the process's memory)."""
        import numpy as np

        row = array.itemsize * (array.shape[1] if array.ndim == 2 else 1)
        found = []
        with open(array.filename, "rb", buffering=0) as file:
            for position in positions:
                begin, end = int(self.offsets[position]), int(self.offsets[position + 1])
                data = bytearray((end - begin) * row)
                file.seek(array.offset + begin * row)
                if file.readinto(data) != len(data):
                    raise OSError(f"{array.filename} is shorter than its header says")
                found.append(np.frombuffer(data, dtype=array.dtype).reshape((end - begin, *array.shape[1:])))
        return found
