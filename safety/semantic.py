"""Sentence embeddings of prepared messages, so the classifier can recognise a paraphrase it never saw.

The vectors come from the project's embedding model (``knowledge_base.embedding``: local weights,
no download), unit length, similar meanings close together: "won't be around by september" and
"i won't be here after the summer" share few words but sit close.

Training messages are embedded once per process and kept in memory; the messages being judged are
embedded one at a time and never kept, so nobody's words stay in memory after their turn. The
training messages' vectors are also kept on disk (only ours: never a message being judged), named
by a hash of the weights and the texts, so training again does not embed them again.

The model runs on one CPU thread: the gateway shares its machine with Rasa and the action server,
and when other processes keep the cores busy torch's threads wait on each other (measured in
docs/safety.md).

``MessageEmbedding`` is the scikit-learn step of the classifier's pipeline that reads these vectors.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import Tags

from knowledge_base.embedding import DIMENSION, Embedder, shared_embedder, weights_sha256

log = logging.getLogger(__name__)

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

    def __init__(self, embedder: Embedder | None = None, cache_dir: Path | None = None) -> None:
        """``cache_dir``: where training vectors are kept between processes (None: not kept)."""
        self._embedder = embedder or shared_embedder()
        self._cache_dir = cache_dir
        self._remembered: dict[str, NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    def training_vectors(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per text, embedding each distinct text once per process (batched)."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        with self._lock:
            missing = sorted({text for text in texts if text not in self._remembered})
            if missing:
                self._remembered.update(zip(missing, self._stored_or_encoded(missing), strict=True))
            return np.stack([self._remembered[text] for text in texts])

    def _stored_or_encoded(self, texts: list[str]) -> NDArray[np.float32]:
        path = self._cache_path(texts)
        if path is not None and path.is_file():
            try:
                stored = np.load(path, allow_pickle=False)
                if stored.shape == (len(texts), DIMENSION) and stored.dtype == np.float32:
                    return np.asarray(stored)
            except (OSError, ValueError) as error:
                log.warning("Ignoring unreadable training vectors %s (%s)", path, error)
        with _one_thread():
            vectors = np.asarray(self._embedder.encode(texts), dtype=np.float32)
        if path is not None:
            _save_atomically(path, vectors)
        return vectors

    def _cache_path(self, texts: list[str]) -> Path | None:
        if self._cache_dir is None:
            return None
        digest = hashlib.sha256(weights_sha256().encode())
        for text in texts:
            digest.update(b"\x00" + text.encode("utf-8"))
        return self._cache_dir / f"safety-vectors-{digest.hexdigest()[:24]}.npy"

    @property
    def remembered(self) -> int:
        """How many training texts are held in memory."""
        return len(self._remembered)

    def vector(self, text: str) -> NDArray[np.float32]:
        """The embedding of one message being judged (not remembered)."""
        vector: NDArray[np.float32] = self.vectors([text])[0]
        return vector

    def vectors(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """The embeddings of texts being judged, in one batch (not remembered)."""
        with _one_thread():
            vectors = self._embedder.encode(list(texts))
        return np.asarray(vectors, dtype=np.float32)


_encoder_lock = threading.Lock()
_encoder: SentenceEncoder | None = None


def get_encoder() -> SentenceEncoder:
    """The process's encoder for messages being judged. The model itself loads on first use (see ``Embedder``).

    It keeps no training vectors on disk: training (``safety.model_file.train_and_save``) makes its
    own encoder with the models directory its caller gives it.
    """
    global _encoder
    if _encoder is None:
        with _encoder_lock:
            if _encoder is None:
                _encoder = SentenceEncoder()
    return _encoder


def _save_atomically(path: Path, vectors: NDArray[np.float32]) -> None:
    """Write then rename, so a process starting at the same moment never reads half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(dir=path.parent, suffix=".npy.tmp")
    except OSError as error:
        log.warning("Could not keep the training vectors in %s (%s)", path.parent, error)
        return
    try:
        with os.fdopen(handle, "wb") as out:
            np.save(out, vectors, allow_pickle=False)
        os.replace(scratch, path)
    except OSError as error:
        # Only start-up time is lost: the vectors are in memory already. No half-written file stays.
        Path(scratch).unlink(missing_ok=True)
        log.warning("Could not keep the training vectors in %s (%s)", path.parent, error)


class MessageEmbedding(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """The pipeline step that turns rows of (prepared text, vector or None) into embedding features.

    A row brings its vector when the caller has one (the training set's, from ``training_vectors``;
    a message the gateway already embedded); otherwise the message is embedded here with the
    process's encoder. ``weight`` scales the vectors: next to the two unit-length TF-IDF blocks it
    sets how much the meaning counts. Nothing is learnt, so the fitted step holds no one's words.
    """

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, rows: NDArray[np.object_], y: object = None) -> MessageEmbedding:
        """Nothing to learn; returns itself."""
        return self

    def transform(self, rows: NDArray[np.object_]) -> NDArray[np.float64]:
        """One row of ``weight`` times the embedding per input row (text in column 0, vector or None in 1)."""
        vectors = [
            get_encoder().vector(str(text)) if vector is None else np.asarray(vector, dtype=np.float32)
            for text, vector in rows
        ]
        if not vectors:
            return np.zeros((0, DIMENSION), dtype=np.float64)
        return np.stack(vectors).astype(np.float64) * self.weight

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags
