"""Fit the page re-ranker on messages written the way families write: ``python -m bench rerank``.

The re-ranker (knowledge_base/reranking.py) scores the first pages of the fused ranking again on
what each whole page offers. It is fitted here on every read answer set's answerable opening
messages (single messages and first turns, with the pages that answer them), never the blind set.
Each set is ranked with its own example questions left out (as in ``python -m bench calibrate``),
and with its own questions left out of the re-ranker's memory (``asked_votes``), and judged by a
model fitted on the other sets: the table compares how often the first page is one that answers
the message, in the fused order, re-ranked by the logistic model and by the boosted trees that
score. The model saved is then fitted on all of them, and remembers every set's questions (the same
ones the example questions are made from). Refit the follow-up re-ranker and the confidence model
afterwards (``python -m bench rerank-follow-ups``, ``python -m bench calibrate``): both read the
re-ranker's chances.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench.answer_scoring import is_answerable, page_matches
from bench.answer_set import ALL_READ_SETS, openers
from bench.example_questions import asked_questions, examples_from_sets
from bench.results_file import write_results
from bench.tree_fitting import fit_trees
from knowledge_base.answering import query_vector, query_vectors, searchable
from knowledge_base.confidence import LogisticModel
from knowledge_base.examples import PAGE_QUESTIONS_FILE, load_examples
from knowledge_base.model_memory import page_key
from knowledge_base.reranking import (
    FEATURES,
    MEMORY_FEATURES,
    AskedBefore,
    PageCandidate,
    PageClassifier,
    Reranker,
    save_reranker,
)
from knowledge_base.search import KnowledgeBase

# Regularisation of the logistic model; 0.3 to 3 gave the same out-of-set figures (2026-12-04).
STRENGTH = 1.0
# The page classifier is ridge regression onto each page's indicator (closed form: a fit takes well
# under a second, where a multinomial logistic fit over ~400 pages took nearly two minutes, and the
# benches fit one per read set). Out of set on the read sets (logistic re-ranker) a ridge of 0.3
# put a right page first as often as the logistic classifier (88.1% against 88.2%); 1 and 10 a
# little less often (88.0%, 87.3%). SHARPNESS turns its scores into chances (softmax); 10 did
# better than 20 or 30.
CLASSIFIER_RIDGE = 0.3
CLASSIFIER_SHARPNESS = 10.0


@dataclass(frozen=True)
class Ranked:
    """One answerable message's first pages, and which of them answer it."""

    text: str
    candidates: list[PageCandidate]
    answers: list[bool]


def remembered(kb: KnowledgeBase, set_names: Sequence[str]) -> list[AskedBefore]:
    """The sets' questions that a page answers, as the re-ranker remembers them.

    The same questions, in the same redacted words, as the example questions are made from
    (bench.example_questions), so a set is left out of both by the same texts. A question asked by
    a young person and by a parent is remembered once for each.
    """
    pages_of: dict[tuple[str, bool], list[str]] = {}
    for asked in asked_questions(tuple(set_names)):
        pages = pages_of.setdefault((asked.text, asked.young_person), [])
        pages.extend(page for page in asked.pages if page not in pages)
    return [AskedBefore.of(q, query_vector(kb, q), pages, young) for (q, young), pages in pages_of.items()]


def fit_classifier(kb: KnowledgeBase, set_names: Sequence[str]) -> PageClassifier:
    """The page classifier, fitted on these sets' questions and the questions written from each page."""
    texts: list[str] = []
    pages: list[str] = []
    for written in load_examples(PAGE_QUESTIONS_FILE).pages:
        for question in written.questions:
            texts.append(question)
            pages.append(page_key(written.page))
    for asked in asked_questions(tuple(set_names)):
        for address in asked.pages:
            texts.append(asked.text)
            pages.append(page_key(address))
    x = _question_vectors(kb, texts).astype(np.float64)
    classes = sorted(set(pages))
    row = {page: i for i, page in enumerate(classes)}
    targets = np.zeros((len(texts), len(classes)))
    targets[np.arange(len(texts)), [row[page] for page in pages]] = 1.0
    # The bias is the last column of ones, and is not shrunk.
    design = np.hstack([x, np.ones((len(texts), 1))])
    penalty = CLASSIFIER_RIDGE * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0
    solved = np.linalg.solve(design.T @ design + penalty, design.T @ targets)
    return PageClassifier.of(
        classes,
        solved[:-1].T,
        solved[-1],
        CLASSIFIER_SHARPNESS,
        f"bench/answers/sets {', '.join(set_names)} and {PAGE_QUESTIONS_FILE.name}: {len(texts)} questions",
    )


# The same ten thousand questions are embedded for every set's classifier: far more than the
# knowledge base's own cache of recent vectors holds, and ten times faster in batches.
_VECTORS: dict[tuple[int, str], np.ndarray] = {}


def _question_vectors(kb: KnowledgeBase, texts: Sequence[str]) -> np.ndarray:
    new = [text for text in dict.fromkeys(texts) if (id(kb), text) not in _VECTORS]
    for text, vector in zip(new, query_vectors(kb, new), strict=True):
        _VECTORS[(id(kb), text)] = vector
    return np.asarray([_VECTORS[(id(kb), text)] for text in texts])


_CLASSIFIERS: dict[tuple[int, str], PageClassifier] = {}


def set_view(kb: KnowledgeBase, set_name: str) -> KnowledgeBase:
    """``kb`` as a family not yet seen would find it for this read set: its own example questions
    and remembered questions left out, and a page classifier fitted without it."""
    own = {q for page in examples_from_sets((set_name,)).pages for q in page.questions}
    view = kb.leaving_out_examples(own)
    if view.reranker is not None:
        key = (id(kb), set_name)
        if key not in _CLASSIFIERS:
            _CLASSIFIERS[key] = fit_classifier(kb, [name for name in ALL_READ_SETS if name != set_name])
        view.reranker = view.reranker.model_copy(update={"classifier": _CLASSIFIERS[key]})
    return view


def rank_set(kb: KnowledgeBase, set_name: str) -> list[Ranked]:
    """The set's answerable opening messages, ranked with its own example questions (and the
    re-ranker's memory of them and its page classifier) left out (``set_view``)."""
    view = set_view(kb, set_name)
    ranked = []
    for turn, asker in openers(set_name):
        if not (is_answerable(turn.expected, turn.pages) and turn.pages):
            continue
        found = view.page_candidates(searchable(view, turn.text), query_vector(view, turn.text), asker)
        if found:
            ranked.append(Ranked(turn.text, [c for _, c in found], [page_matches(url, turn.pages) for url, _ in found]))
    return ranked


def fit(rows: Sequence[Ranked]) -> Reranker:
    """Boosted trees over every feature and over all but the memory's votes, which score; and the
    logistic models beside them (``logistic``)."""
    forgetful = tuple(name for name in FEATURES if name not in MEMORY_FEATURES)
    y = np.asarray([int(a) for r in rows for a in r.answers])
    x_full, x_without = (_matrix(rows, names) for names in (FEATURES, forgetful))
    full, without = _fit_on(x_full, y, FEATURES), _fit_on(x_without, y, forgetful)
    trees, trees_without = fit_trees(x_full, y), fit_trees(x_without, y)
    return Reranker(
        features=FEATURES,
        coefficients=full.coefficients,
        intercept=full.intercept,
        without_memory=without,
        trees=trees,
        trees_without_memory=trees_without,
    )


def logistic(reranker: Reranker) -> Reranker:
    """The same re-ranker scoring with its logistic models (to compare with the trees in one run)."""
    return reranker.model_copy(update={"trees": None, "trees_without_memory": None})


def ranked_sets(kb: KnowledgeBase) -> dict[str, list[Ranked]]:
    """Every read set's answerable opening messages, ranked as ``rank_set`` does."""
    return {name: rank_set(kb, name) for name in ALL_READ_SETS}


def out_of_set(by_set: dict[str, list[Ranked]]) -> dict[str, Reranker]:
    """For each set, the re-ranker fitted on the other sets (no memory: a caller gives it the view's).

    The confidence model and the follow-up re-ranker read the page re-ranker's chances; fitted on
    chances the re-ranker gives the sets it was fitted on, they would learn to trust it more than
    they should with families' messages it has not seen.
    """
    return {name: fit([r for other, rows in by_set.items() if other != name for r in rows]) for name in by_set}


def with_reranker(view: KnowledgeBase, reranker: Reranker) -> KnowledgeBase:
    """``view`` (a ``set_view``) scoring with ``reranker``, remembering what the view remembers and
    classifying pages with the view's classifier."""
    asked = view.reranker.asked if view.reranker is not None else []
    classifier = view.reranker.classifier if view.reranker is not None else None
    view.reranker = reranker.model_copy(update={"asked": asked, "classifier": classifier})
    return view


def _matrix(rows: Sequence[Ranked], names: tuple[str, ...]) -> np.ndarray:
    """Every candidate page's features ``names``, a row each, in the order of the rows' answers."""
    return np.asarray([c.vector(names) for r in rows for c in r.candidates])


def _fit_on(x: np.ndarray, y: np.ndarray, names: tuple[str, ...]) -> LogisticModel:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=STRENGTH, max_iter=2000).fit(x, y)
    return LogisticModel(
        features=names, coefficients=tuple(float(c) for c in model.coef_[0]), intercept=float(model.intercept_[0])
    )


def first_page_right(rows: Sequence[Ranked], reranker: Reranker | None) -> float:
    """Share of messages whose first page answers them: in the fused order, or re-ranked."""
    right = 0
    for r in rows:
        first = r.candidates[0].page if reranker is None else reranker.order(r.candidates)[0]
        right += r.answers[[c.page for c in r.candidates].index(first)]
    return right / max(1, len(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rerank", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the figures and the model; save nothing")
    args = parser.parse_args(argv)
    from settings import get_settings

    kb = KnowledgeBase.load(get_settings().kb_dir)
    memory = remembered(kb, ALL_READ_SETS)
    # Only the memory is read while the sets are ranked (their features); the fit comes after.
    kb.reranker = Reranker(features=FEATURES, coefficients=(0.0,) * len(FEATURES), intercept=0.0, asked=memory)
    classifier = fit_classifier(kb, ALL_READ_SETS)
    by_set = ranked_sets(kb)
    models = out_of_set(by_set)
    figures: dict[str, dict[str, float]] = {}
    heading = f"{'set (judged out of set)':24} {'messages':>9} {'fused':>7} {'logistic':>9} {'trees':>7}"
    print(f"{heading} {'in first 3':>11}")
    for name, rows in by_set.items():
        model = models[name]
        in_three = sum(any(r.answers[:3]) for r in rows) / max(1, len(rows))
        figures[name] = {
            "messages": len(rows),
            "fused": first_page_right(rows, None),
            "logistic": first_page_right(rows, logistic(model)),
            "reranked": first_page_right(rows, model),
            "in_first_three": in_three,
        }
        f = figures[name]
        print(
            f"{name:24} {len(rows):>9} {f['fused']:>7.1%} {f['logistic']:>9.1%} {f['reranked']:>7.1%} {in_three:>11.1%}"
        )
    mean_fused = float(np.mean([f["fused"] for f in figures.values()]))
    mean_logistic = float(np.mean([f["logistic"] for f in figures.values()]))
    mean_reranked = float(np.mean([f["reranked"] for f in figures.values()]))
    print(f"{'mean of the sets':24} {'':>9} {mean_fused:>7.1%} {mean_logistic:>9.1%} {mean_reranked:>7.1%}")
    every = [r for rows in by_set.values() for r in rows]
    reranker = fit(every).model_copy(
        update={
            "asked": memory,
            "classifier": classifier,
            "fitted_on": (
                f"bench/answers/sets {', '.join(ALL_READ_SETS)}: {len(every)} answerable opening messages, each set "
                f"ranked without its own example questions and remembered questions ({len(memory)} remembered "
                f"in all); first page right out of set, mean of the sets: "
                f"fused {mean_fused:.3f}, logistic {mean_logistic:.3f}, trees (scoring) {mean_reranked:.3f}"
            ),
        }
    )
    print("\n" + ", ".join(f"{n} {c:+.2f}" for n, c in zip(reranker.features, reranker.coefficients, strict=True)))
    if not args.dry_run:
        save_reranker(reranker)
        print("Saved knowledge_base/reranker.json. Refit next: python -m bench rerank-follow-ups, then calibrate")
    saved = reranker.model_dump(mode="json", exclude={"asked", "classifier", "trees", "trees_without_memory"})
    out = write_results("rerank", {"reranker": saved, "figures": figures})
    print(f"Figures written to {out}")
    return 0
