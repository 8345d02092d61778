"""Boosted trees for the models the benches fit (sentence salience, the page and follow-up re-rankers).

One set of settings for all of them: those of the first trial on sentence salience, which out of
set on the read sets also beat the logistic page re-ranker (docs/retrieval.md). No early stopping
and a fixed seed, so a refit on the same sets gives the same trees. The trees are exported to
``knowledge_base.boosted_trees.BoostedTrees`` so that serving needs numpy only.
"""

from __future__ import annotations

import numpy as np

from knowledge_base.boosted_trees import BoostedTrees

TREES = {
    "max_iter": 200,
    "learning_rate": 0.05,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 40,
    "early_stopping": False,
    "random_state": 0,
}


def fit_trees(x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> BoostedTrees:
    """Boosted trees for a binary target (``TREES`` settings), as served."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(**TREES).fit(x, y, sample_weight=sample_weight)
    return BoostedTrees.from_sklearn(model)
