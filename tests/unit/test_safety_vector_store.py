"""The safety classifier's training vectors are kept on disk, so a new process does not embed them again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge_base.embedding import Embedder, shared_embedder
from safety.semantic import SentenceEncoder

# In sorted order, the order the file keeps them in.
TEXTS = ["is there a holiday club in stroud", "my son needs help with reading"]


class NoEmbedding(Embedder):
    """An embedder that must not be used: the vectors have to come from the disk."""

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        raise AssertionError(f"embedded {texts!r} again")


def test_a_new_process_loads_the_vectors_instead_of_embedding_again(tmp_path: Path) -> None:
    first = SentenceEncoder(shared_embedder(), cache_dir=tmp_path).training_vectors(TEXTS)
    assert len(list(tmp_path.glob("safety-vectors-*.npy"))) == 1
    again = SentenceEncoder(NoEmbedding(), cache_dir=tmp_path).training_vectors(TEXTS)
    assert np.array_equal(first, again)


def test_other_texts_are_embedded_not_loaded(tmp_path: Path) -> None:
    SentenceEncoder(shared_embedder(), cache_dir=tmp_path).training_vectors(TEXTS)
    with pytest.raises(AssertionError, match="embedded"):
        SentenceEncoder(NoEmbedding(), cache_dir=tmp_path).training_vectors([*TEXTS, "a new training sentence"])


def test_a_damaged_file_is_embedded_again_and_replaced(tmp_path: Path) -> None:
    SentenceEncoder(shared_embedder(), cache_dir=tmp_path).training_vectors(TEXTS)
    (stored,) = tmp_path.glob("safety-vectors-*.npy")
    stored.write_bytes(b"not a numpy file")
    vectors = SentenceEncoder(shared_embedder(), cache_dir=tmp_path).training_vectors(TEXTS)
    assert vectors.shape == (2, 384)
    assert np.array_equal(np.load(stored), vectors)


def test_messages_being_judged_are_never_written(tmp_path: Path) -> None:
    encoder = SentenceEncoder(shared_embedder(), cache_dir=tmp_path)
    encoder.vector("my daughter's name and our address")
    assert list(tmp_path.iterdir()) == []


def test_without_a_folder_nothing_is_kept(tmp_path: Path) -> None:
    vectors = SentenceEncoder(shared_embedder(), cache_dir=None).training_vectors(TEXTS)
    assert vectors.shape == (2, 384)
