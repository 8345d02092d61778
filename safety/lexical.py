"""Word and character n-gram features of a prepared message, and a fast way to apply linear models to them.

TF-IDF over word 1-2-grams and character 2-5-grams (robust to typos). scikit-learn's per-call
overhead (input checks, sparse matrices) is a few milliseconds for one short text, so
``FoldedTfidf`` recomputes the same sublinear TF-IDF with an L2 norm per block of features directly,
as plain lookups; a unit test checks it against scikit-learn's own answers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer


class TfidfFeatures:
    """Word 1-2-grams and character 2-5-grams, TF-IDF weighted, side by side."""

    def __init__(self) -> None:
        self.vectorisers = (
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        )

    def fit_transform(self, texts: Sequence[str]) -> csr_matrix:
        """Learn the vocabularies and weights from ``texts`` and return their features."""
        return csr_matrix(hstack([v.fit_transform(texts) for v in self.vectorisers]))

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        """Features of ``texts`` with the learnt vocabularies."""
        return csr_matrix(hstack([v.transform(texts) for v in self.vectorisers]))

    @property
    def size(self) -> int:
        """Number of features."""
        return sum(len(v.vocabulary_) for v in self.vectorisers)


class FoldedTfidf:
    """``TfidfFeatures.transform`` for one text as sparse (indices, values), without scikit-learn's overhead."""

    def __init__(self, features: TfidfFeatures) -> None:
        self._blocks: list[tuple[Callable[[str], list[str]], dict[str, tuple[int, float]]]] = []
        offset = 0
        for vectoriser in features.vectorisers:
            idf = vectoriser.idf_
            table = {term: (offset + index, float(idf[index])) for term, index in vectoriser.vocabulary_.items()}
            self._blocks.append((vectoriser.build_analyzer(), table))
            offset += len(vectoriser.vocabulary_)

    def vector(self, text: str) -> tuple[list[int], list[float]]:
        """Indices and values of the non-zero features of ``text``."""
        indices: list[int] = []
        values: list[float] = []
        for analyse, table in self._blocks:
            start = len(values)
            for term, count in Counter(analyse(text)).items():
                entry = table.get(term)
                if entry is not None:
                    indices.append(entry[0])
                    values.append((1.0 + math.log(count)) * entry[1])
            norm = math.sqrt(sum(v * v for v in values[start:]))
            for i in range(start, len(values)):
                values[i] /= norm
        return indices, values

    @staticmethod
    def dot(weights: NDArray[np.float64], indices: list[int], values: list[float]) -> float:
        """``weights`` (one row) times the sparse vector."""
        return float(sum(weights[i] * v for i, v in zip(indices, values, strict=True)))
