"""Trees fitted by scikit-learn and served with numpy give the same chances."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from knowledge_base.boosted_trees import BoostedTrees


def test_exported_trees_give_the_chances_scikit_learn_gives() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 5))
    # Not linear in any one feature, so the trees need several levels.
    y = ((x[:, 0] * x[:, 1] > 0.2) | (x[:, 2] > 1.0)).astype(int)
    model = HistGradientBoostingClassifier(
        max_iter=40, learning_rate=0.1, max_leaf_nodes=15, early_stopping=False, random_state=0
    ).fit(x, y)
    trees = BoostedTrees.model_validate_json(BoostedTrees.from_sklearn(model).model_dump_json())
    unseen = rng.normal(size=(300, 5))
    assert trees.depth > 2
    np.testing.assert_allclose(trees.chances(unseen), model.predict_proba(unseen)[:, 1], rtol=1e-6, atol=1e-9)
    # One row alone scores as it does among others.
    assert trees.chances(unseen[7]) == pytest.approx(trees.chances(unseen)[7])


def test_a_multi_class_model_is_refused() -> None:
    x = np.arange(60, dtype=float).reshape(-1, 1)
    model = HistGradientBoostingClassifier(max_iter=3, early_stopping=False).fit(x, np.arange(60) % 3)
    with pytest.raises(ValueError, match="binary"):
        BoostedTrees.from_sklearn(model)
