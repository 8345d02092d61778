"""How dense and lexical candidates become one ranking.

Two methods are kept so the evaluation can compare them (bench/retrieval_quality.py):
- 'weighted': the cosine similarity plus a share of the passage's BM25 score relative to the
  query's best BM25 score. It stays in cosine units, so the audience preference and the
  confidence features keep their meaning.
- 'rrf': reciprocal rank fusion (Cormack et al., 2009), which ignores score scales entirely.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

RetrievalMode = Literal["dense", "lexical", "fused"]
FusionMethod = Literal["weighted", "rrf"]

RRF_K = 60


def weighted_scores(cosine: np.ndarray, bm25: np.ndarray, lexical_weight: float) -> np.ndarray:
    """Cosine plus ``lexical_weight`` times BM25 scaled so that the query's best passage has 1."""
    top = float(bm25.max()) if bm25.size else 0.0
    if top <= 0:
        return cosine.astype(np.float32)
    return (cosine + lexical_weight * (bm25 / top)).astype(np.float32)


def rrf_scores(candidates: np.ndarray, *rankings: np.ndarray) -> np.ndarray:
    """RRF score of each candidate row from rankings (arrays of rows, best first)."""
    position = {int(row): i for i, row in enumerate(candidates)}
    fused = np.zeros(len(candidates), dtype=np.float32)
    for ranking in rankings:
        for rank, row in enumerate(ranking):
            i = position.get(int(row))
            if i is not None:
                fused[i] += 1.0 / (RRF_K + rank + 1)
    return fused
