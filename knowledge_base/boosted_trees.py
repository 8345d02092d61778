"""Gradient-boosted trees fitted offline and served with numpy: the trees as flat arrays, no pickle.

The sentence salience model (knowledge_base/salience.py) is one. Fitting needs scikit-learn's
``HistGradientBoostingClassifier`` (bench/, ``from_sklearn``); serving reads the trees from JSON and
walks every tree for every sentence at once, one numpy step per level of depth, so scoring a page's
sentences costs about as much as its logistic model did.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, PrivateAttr

LEAF = -1


class BoostedTrees(BaseModel):
    """A binary classifier's trees, flattened: node ``i`` splits on ``feature[i]`` at ``threshold[i]``
    (a value at or below it goes to ``left[i]``, above to ``right[i]``), or is a leaf (``left[i] == LEAF``)
    worth ``value[i]``. ``roots`` are the first node of each tree; the log-odds are ``baseline`` plus
    one leaf of every tree."""

    baseline: float
    roots: list[int]
    feature: list[int]
    threshold: list[float]
    left: list[int]
    right: list[int]
    value: list[float]
    depth: int  # the deepest leaf, so ``chances`` knows when every walk has reached one
    _arrays: tuple[np.ndarray, ...] | None = PrivateAttr(default=None)

    def chances(self, x: np.ndarray) -> np.ndarray:
        """The modelled probability for each row of ``x`` (rows of feature values in the fitted order)."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if self._arrays is None:
            self._arrays = (
                np.asarray(self.roots, dtype=np.int64),
                np.asarray(self.feature, dtype=np.int64),
                np.asarray(self.threshold, dtype=np.float64),
                np.asarray(self.left, dtype=np.int64),
                np.asarray(self.right, dtype=np.int64),
                np.asarray(self.value, dtype=np.float64),
            )
        roots, feature, threshold, left, right, value = self._arrays
        rows = np.arange(len(x))[None, :]
        node = np.repeat(roots[:, None], len(x), axis=1)  # (trees, rows)
        for _ in range(self.depth):
            inner = left[node] != LEAF
            if not inner.any():
                break
            goes_left = x[rows, np.where(inner, feature[node], 0)] <= threshold[node]
            node = np.where(inner, np.where(goes_left, left[node], right[node]), node)
        log_odds = self.baseline + value[node].sum(axis=0)
        chances: np.ndarray = 1.0 / (1.0 + np.exp(-log_odds))
        return chances

    @classmethod
    def from_sklearn(cls, model: Any) -> BoostedTrees:
        """The trees of a fitted binary ``HistGradientBoostingClassifier`` on numeric features.

        Reads its per-tree node arrays (``_predictors``, stable in the pinned scikit-learn); a unit
        test checks that ``chances`` agrees with ``predict_proba``.
        """
        if getattr(model, "n_trees_per_iteration_", 1) != 1:
            raise ValueError("Only a binary classifier's trees can be exported.")
        roots: list[int] = []
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        depth = 0
        for (predictor,) in model._predictors:
            nodes = predictor.nodes
            offset = len(feature)
            roots.append(offset)
            for node in nodes:
                leaf = bool(node["is_leaf"])
                feature.append(0 if leaf else int(node["feature_idx"]))
                threshold.append(0.0 if leaf else float(node["num_threshold"]))
                left.append(LEAF if leaf else offset + int(node["left"]))
                right.append(LEAF if leaf else offset + int(node["right"]))
                value.append(float(node["value"]) if leaf else 0.0)
                depth = max(depth, int(node["depth"]))
        baseline = float(np.asarray(model._baseline_prediction).ravel()[0])
        return cls(
            baseline=baseline,
            roots=roots,
            feature=feature,
            threshold=threshold,
            left=left,
            right=right,
            value=value,
            depth=depth,
        )
