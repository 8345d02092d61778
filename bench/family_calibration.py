"""Fit 'confident' on messages written the way families write: ``python -m bench calibrate``.

The confidence model (knowledge_base/confidence.py) turns features of a ranking into the chance
that the first page answers the message. It is fitted here on the read answer sets (never the
blind one), because families' messages (long, first person, misspelt) rank differently from the
page-worded questions of bench/eval.

Each read set's own wordings are also example questions in the build (knowledge_base/examples.py),
which would flatter it: every set is scored with its own examples left out
(``KnowledgeBase.leaving_out_examples``), as the questions of families not yet seen, and with the
page re-ranker fitted without it (the model reads the re-ranker's chance for the first page). The
model is fitted on the other sets and judged on each; the thresholds are chosen on those out-of-set
figures, and the model saved is then fitted on all of them.

The two thresholds are chosen on purpose (docs/dialogue.md says why):
- confident: the lowest at which at most ``MAX_WRONG_WHEN_CONFIDENT`` of the answered questions
  get a wrong first page; a confident answer is quoted without a caveat.
- tentative: the highest at which at least ``MIN_ANSWER_RATE`` of the answerable questions are
  answered; below it the assistant says it is not sure and lists pages.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench.answer_scoring import is_answerable, page_matches
from bench.answer_set import ALL_READ_SETS, openers
from bench.page_reranking import out_of_set, ranked_sets, set_view, with_reranker
from bench.results_file import write_results
from knowledge_base.answering import query_vector, searchable
from knowledge_base.confidence import Calibration, RankingFeatures, save_calibration
from knowledge_base.reranking import Reranker
from knowledge_base.search import KnowledgeBase

# top_cosine, margin and lexical_share separated right first pages from the rest best when fitted
# on one read set and judged on the other (the example feature adds nothing once a set's own
# examples are left out; 'agree' adds nothing either). The page re-ranker's chance for the first
# page sorts right from wrong first pages better than any of them (2026-12-07). Figures:
# docs/retrieval.md.
FEATURES = ("top_cosine", "margin", "lexical_share", "page_chance")
MAX_WRONG_WHEN_CONFIDENT = 0.05  # the limit for a wrong page quoted
# Nine in ten (it was four in five until 2026-12-05): the messages answered between the two bars
# quote the right page about three times in four, and the tentative wording says plainly that the
# page may not be the right one; 'not sure' gives the family only titles. docs/dialogue.md has figures.
MIN_ANSWER_RATE = 0.90
GRID = tuple(round(t, 2) for t in np.arange(0.20, 0.951, 0.01))


@dataclass(frozen=True)
class Scored:
    """One message of a read set, ranked with its own set's examples left out."""

    set_name: str
    answerable: bool
    first_page_right: bool
    features: RankingFeatures

    @property
    def positive(self) -> bool:
        return self.answerable and self.first_page_right


def score_set(kb: KnowledgeBase, set_name: str, page_reranker: Reranker) -> list[Scored]:
    """The set's opening messages ranked without its own example questions and remembered questions,
    by ``page_reranker`` (fitted without the set: its chances are what the model reads)."""
    view = with_reranker(set_view(kb, set_name), page_reranker)
    scored = []
    for turn, asker in openers(set_name):
        result = view.search_vector(searchable(view, turn.text), query_vector(view, turn.text), k=6, asker=asker)
        if result.features is None:
            continue  # nothing ranked: 'not sure' whatever the model says
        first = result.hits[0].doc_url if result.hits else ""
        scored.append(
            Scored(
                set_name=set_name,
                answerable=is_answerable(turn.expected, turn.pages) and bool(turn.pages),
                first_page_right=bool(first) and page_matches(first, turn.pages or []),
                features=result.features,
            )
        )
    return scored


def _fit(rows: Sequence[Scored]) -> Calibration:
    """The confidence model fitted on ``rows``, scored as the assistant scores (``Calibration.probability``)."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray([r.features.vector(FEATURES) for r in rows])
    y = np.asarray([1 if r.positive else 0 for r in rows])
    model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    return Calibration(
        features=FEATURES, coefficients=tuple(float(c) for c in model.coef_[0]), intercept=float(model.intercept_[0])
    )


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    answer_rate: float  # answerable messages answered
    wrong_page: float  # of those answered, first page wrong
    unanswerable_answered: float


def curve(rows: Sequence[Scored], probabilities: np.ndarray) -> list[CurvePoint]:
    answerable = np.asarray([r.answerable for r in rows])
    right = np.asarray([r.first_page_right for r in rows])
    points = []
    for t in GRID:
        answered = probabilities >= t
        on_answerable = answered & answerable
        points.append(
            CurvePoint(
                threshold=t,
                answer_rate=float(on_answerable.sum() / max(1, answerable.sum())),
                wrong_page=float((on_answerable & ~right).sum() / max(1, on_answerable.sum())),
                unanswerable_answered=float((answered & ~answerable).sum() / max(1, (~answerable).sum())),
            )
        )
    return points


def choose(points: Sequence[CurvePoint]) -> tuple[float, float]:
    """(confident, tentative) thresholds by the rules in the module docstring."""
    confident = next((p.threshold for p in points if p.wrong_page <= MAX_WRONG_WHEN_CONFIDENT), GRID[-1])
    tentative = max((p.threshold for p in points if p.answer_rate >= MIN_ANSWER_RATE), default=GRID[0])
    return confident, min(tentative, confident)


def calibrate(by_set: dict[str, list[Scored]]) -> tuple[Calibration, list[CurvePoint]]:
    """Fit on one set, judge on the other (both ways); choose thresholds there; fit the saved model on all."""
    names = list(by_set)
    rows: list[Scored] = []
    out_of_set: list[float] = []
    for name in names:
        train = [r for other in names if other != name for r in by_set[other]]
        model = _fit(train)
        rows += by_set[name]
        out_of_set += [model.probability(r.features) for r in by_set[name]]
    points = curve(rows, np.asarray(out_of_set))
    confident, tentative = choose(points)
    at = {p.threshold: p for p in points}
    fitted_on = (
        f"bench/answers/sets {', '.join(names)}: {len(rows)} opening messages, each set scored without its own "
        f"example questions, fitted on the other; out of set at {confident}: answered "
        f"{at[confident].answer_rate:.3f}, wrong page {at[confident].wrong_page:.3f}; at {tentative}: answered "
        f"{at[tentative].answer_rate:.3f}, wrong page {at[tentative].wrong_page:.3f}"
    )
    calibration = _fit(rows).model_copy(
        update={"threshold": confident, "tentative_threshold": tentative, "fitted_on": fitted_on}
    )
    return calibration, points


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the curve and the model; save nothing")
    args = parser.parse_args(argv)
    from settings import get_settings

    kb = KnowledgeBase.load(get_settings().kb_dir)
    page_rerankers = out_of_set(ranked_sets(kb))
    by_set = {name: score_set(kb, name, page_rerankers[name]) for name in ALL_READ_SETS}
    before = kb.calibration
    rows = [r for name in ALL_READ_SETS for r in by_set[name]]
    before_points = {p.threshold: p for p in curve(rows, np.asarray([before.probability(r.features) for r in rows]))}
    calibration, points = calibrate(by_set)
    after_points = {p.threshold: p for p in points}
    print(f"{'threshold':>10} {'answered':>9} {'wrong page':>11} {'unanswerable answered':>22}")
    for p in points[::5]:
        print(f"{p.threshold:>10.2f} {p.answer_rate:>9.3f} {p.wrong_page:>11.3f} {p.unanswerable_answered:>22.3f}")
    print(f"\nconfident >= {calibration.threshold}, tentative >= {calibration.tentative_threshold}")
    print(f"\n{'at each model thresholds':34} {'answered':>9} {'wrong page':>11} {'unanswerable answered':>22}")
    compared = {}
    for label, model, at in (("before", before, before_points), ("now", calibration, after_points)):
        for name, t in (("confident", model.threshold), ("tentative", model.tentative_threshold or model.threshold)):
            p = at[round(t, 2)]
            compared[f"{label} {name}"] = p.__dict__
            title = f"{label} {name} (>= {t})"
            print(f"  {title:32} {p.answer_rate:>9.3f} {p.wrong_page:>11.3f} {p.unanswerable_answered:>22.3f}")
    print(calibration.fitted_on)
    if not args.dry_run:
        save_calibration(calibration)
        print("Saved knowledge_base/confidence.json. Rebuild nothing; restart the action server to use it.")
    out = write_results(
        "calibrate",
        {"calibration": calibration.model_dump(), "compared": compared, "curve": [p.__dict__ for p in points]},
    )
    print(f"Figures written to {out}")
    return 0
