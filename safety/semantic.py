"""Sentence embeddings of prepared messages, so the classifier can recognise a paraphrase it never saw.

The vectors come from the project's embedding model (all-MiniLM-L6-v2, local weights, no download;
``knowledge_base.embedding.Embedder``): unit length, 384 numbers, similar meanings close together.
"won't be around by september" and "i won't be here after the summer" share few words but sit close.

Training messages are embedded once per process and kept in memory (about 1.5 MB for a thousand
messages); the messages being judged are embedded one at a time and never kept, so nobody's words
stay in memory after their turn.

The model runs on one CPU thread. When other processes keep the cores busy (the gateway shares its
machine with Rasa and the action server), torch's threads wait on each other. Measured here with
other work running on both cores: one message took 21 ms (p50) and 27 ms (p95) on one thread,
55 ms and 225 ms on two; the thousand training messages took 9 s on one thread, 26 s on two. On an
idle machine two threads are only a little faster (12 ms against 16 ms a message).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from numpy.typing import NDArray

from knowledge_base.embedding import DIMENSION, Embedder, shared_embedder

# torch's thread count is one setting for the whole process: change it for our calls only, one at a time.
_thread_setting = threading.Lock()


@contextmanager
def _one_thread() -> Iterator[None]:
    import torch

    with _thread_setting:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(threads)


class SentenceEncoder:
    """Embeds prepared texts; remembers the training texts only."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder or shared_embedder()
        self._remembered: dict[str, NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    def training_vectors(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per text, embedding each distinct text once per process (batched)."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        with self._lock:
            missing = sorted({text for text in texts if text not in self._remembered})
            if missing:
                with _one_thread():
                    vectors = self._embedder.encode(missing)
                self._remembered.update(zip(missing, vectors, strict=True))
            return np.stack([self._remembered[text] for text in texts])

    @property
    def remembered(self) -> int:
        """How many training texts are held in memory."""
        return len(self._remembered)

    def vector(self, text: str) -> NDArray[np.float32]:
        """The embedding of one message being judged (not remembered)."""
        with _one_thread():
            vectors = self._embedder.encode([text])
        return np.asarray(vectors[0], dtype=np.float32)


_encoder_lock = threading.Lock()
_encoder: SentenceEncoder | None = None


def get_encoder() -> SentenceEncoder:
    """The process's encoder. The model itself loads on first use, not here (see ``Embedder``)."""
    global _encoder
    if _encoder is None:
        with _encoder_lock:
            if _encoder is None:
                _encoder = SentenceEncoder()
    return _encoder
