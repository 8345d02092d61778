"""How 'confident' and 'tentative' are chosen from family messages (bench/family_calibration.py)."""

from __future__ import annotations

import numpy as np

from bench.family_calibration import FEATURES, Scored, calibrate, choose, curve
from knowledge_base.confidence import RankingFeatures


def _row(set_name: str, cosine: float, answerable: bool, right: bool) -> Scored:
    features = RankingFeatures(top_cosine=cosine, margin=cosine / 4, lexical_share=cosine, agree=1.0)
    return Scored(set_name=set_name, answerable=answerable, first_page_right=right, features=features)


def test_the_curve_counts_answered_wrong_pages_and_unanswerable_answered() -> None:
    rows = [
        _row("a", 0.9, True, True),
        _row("a", 0.6, True, False),
        _row("a", 0.3, True, True),
        _row("a", 0.5, False, False),
    ]
    points = {p.threshold: p for p in curve(rows, np.asarray([0.9, 0.6, 0.3, 0.5]))}
    assert points[0.55].answer_rate == 2 / 3
    assert points[0.55].wrong_page == 1 / 2
    assert points[0.55].unanswerable_answered == 0.0
    assert points[0.45].unanswerable_answered == 1.0
    assert points[0.95].answer_rate == 0.0


def test_confident_is_where_wrong_pages_are_rare_and_tentative_keeps_four_in_five_answered() -> None:
    # Right first pages score high, wrong ones in the middle: confident must sit above the wrong ones.
    rows = [_row("a", 0.9, True, True)] * 15 + [_row("a", 0.55, True, False)] * 3 + [_row("a", 0.3, True, True)] * 2
    probabilities = np.asarray([0.9] * 15 + [0.55] * 3 + [0.3] * 2)
    confident, tentative = choose(curve(rows, probabilities))
    assert 0.55 < confident <= 0.9
    # 15 of 20 above 0.55 is under four in five: the tentative bar must take in the middle three.
    assert 0.3 < tentative <= 0.55


def test_the_saved_model_ranks_like_the_data_and_says_what_it_was_fitted_on() -> None:
    rng = np.random.default_rng(3)
    by_set: dict[str, list[Scored]] = {}
    for name in ("one", "two"):
        rows = []
        for _ in range(120):
            right = bool(rng.random() < 0.6)
            cosine = float(np.clip(rng.normal(0.65 if right else 0.4, 0.08), 0, 1))
            rows.append(_row(name, cosine, True, right))
        by_set[name] = rows
    calibration, _ = calibrate(by_set)
    assert calibration.features == FEATURES
    high = calibration.probability(_row("x", 0.7, True, True).features)
    low = calibration.probability(_row("x", 0.35, True, True).features)
    assert high > low
    assert calibration.tentative_threshold is not None
    assert calibration.tentative_threshold <= calibration.threshold
    assert "one, two: 240 opening messages" in calibration.fitted_on
