"""The page re-ranker's model: ordering, ties, and the fitted file that ships."""

from __future__ import annotations

from pathlib import Path

from knowledge_base.reranking import FEATURES, RERANKER_FILE, PageCandidate, Reranker, load_reranker


def _page(page: int, lag: float = 0.0, example: float = 0.0) -> PageCandidate:
    return PageCandidate(
        page=page, lag=lag, best_sentence=0.5, second_passage=0.4, passages=2, example=example, lexical_share=0.5
    )


def test_a_page_with_a_close_example_question_overtakes_a_small_lead() -> None:
    model = Reranker(features=("lag", "example"), coefficients=(-3.0, 2.0), intercept=0.0)
    assert model.order([_page(7), _page(3, lag=0.05, example=0.8)]) == [3, 7]
    # A large lead is kept.
    assert model.order([_page(7), _page(3, lag=0.9, example=0.8)]) == [7, 3]


def test_ties_keep_the_fused_order() -> None:
    model = Reranker(features=("passages",), coefficients=(1.0,), intercept=0.0)
    assert model.order([_page(5), _page(2), _page(9)]) == [5, 2, 9]


def test_no_file_means_no_reranking(tmp_path: Path) -> None:
    assert load_reranker(tmp_path / "missing.json") is None


def test_the_shipped_model_reads_every_feature_and_prefers_the_page_in_front() -> None:
    shipped = load_reranker(RERANKER_FILE)
    assert shipped is not None
    assert shipped.features == FEATURES
    assert "read" in shipped.fitted_on
    coefficient = dict(zip(shipped.features, shipped.coefficients, strict=True))
    assert coefficient["lag"] < 0  # a page further behind in the fused ranking is less likely
