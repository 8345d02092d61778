"""Fit which sentences of a page the answer quotes, on the read family-message sets: ``python -m bench salience``.

The salience model (knowledge_base/salience.py) scores each sentence of the page an answer comes
from. It is fitted here on every read answer set's answerable opening messages that have key
facts, each with the first page that answers it (never the blind sets). A sentence's label is the
largest share of one key fact's content words that it holds (0 to 1), fitted as a soft target (a
share p counts as p of a quoted sentence and 1 - p of an unquoted one). A yes-or-no label (half of
a fact's words) threw away the sentences that hold part of a fact: chosen knowing the labels, 120
words held about two thirds of the facts by the yes-or-no label and four in five by the share.

Each set is judged by a model fitted on the other sets, with the 'held' counts (how much advisers
quoted a sentence from this page) and the earlier questions behind 'held_near' also taken from
the other sets only: the table compares the
key facts of a ``MAX_WORDS`` answer chosen by closeness to the question alone and by the fitted
model, with the whole page as the ceiling. While fitting, each training message's counts and
questions leave out its own set as well, so the model cannot learn to trust counts that include
its own label. The model saved is then fitted on all the sets, with counts and questions from all
of them (the questions' vectors are stored as int8, about 0.5 KB each).
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bench.answer_scoring import content_words, fact_covered, is_answerable
from bench.answer_set import ALL_READ_SETS, openers
from bench.results_file import write_results
from bench.tree_fitting import fit_trees
from knowledge_base.answering import MAX_WORDS, _choose, _Section, page_sections, query_vector, scored
from knowledge_base.model_memory import page_key, text_key
from knowledge_base.salience import (
    FEATURES,
    UNFITTED,
    Asked,
    Salience,
    save_salience,
)
from knowledge_base.search import KnowledgeBase

# Regularisation of the logistic model (sklearn's C).
STRENGTH = 1.0
# Boosted trees score the sentences (bench/tree_fitting.py): the features interact (a sentence's
# closeness matters more on a page advisers rarely quote from; a number matters more when the
# question asks 'how long'), which one logistic model cannot express. Out of set they beat the
# logistic model on every read set (docs/retrieval.md).


@dataclass(frozen=True)
class Quoted:
    """One answerable message, its first expected page's sections (features without 'held'), and the labels."""

    set_name: str
    key_facts: list[str]
    page: str  # page_key
    vector: np.ndarray  # the message's query vector
    sections: list[_Section]
    labels: list[float]  # per sentence, in page order: the largest share of one key fact it holds


def sentences_of(row: Quoted) -> list[str]:
    return [s.text for section in row.sections for s in section.sentences]


def gather(kb: KnowledgeBase, set_name: str) -> list[Quoted]:
    blank = UNFITTED.model_copy(update={"held": {}})
    rows = []
    for turn, _asker in openers(set_name):
        if not (is_answerable(turn.expected, turn.pages) and turn.pages) or not turn.key_facts:
            continue
        hit = kb.page(turn.pages[0].rsplit("/", 1)[-1])
        if hit is None or hit.page_type == "service":
            continue
        vector = query_vector(kb, turn.text)
        sections = page_sections(kb, vector, hit, 0, turn.text, salience=blank)
        if not sections:
            continue
        facts = [words for words in (content_words(f) for f in turn.key_facts) if words]
        labels = []
        for section in sections:
            for sentence in section.sentences:
                words = content_words(sentence.text)
                labels.append(max((len(f & words) / len(f) for f in facts), default=0.0))
        rows.append(Quoted(set_name, turn.key_facts, page_key(hit.doc_url), vector, sections, labels))
    return rows


def memory_of(rows: Sequence[Quoted]) -> Salience:
    """What advisers quoted in answering ``rows``: the 'held' counts per page and each question's shares."""
    seen: dict[str, int] = defaultdict(int)
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    asked = []
    for row in rows:
        seen[row.page] += 1
        shares = {}
        for text, label in zip(sentences_of(row), row.labels, strict=True):
            if label:
                counts[row.page][text_key(text)] += label
                shares[text_key(text)] = label
        asked.append(Asked.of(row.page, row.vector, shares))
    return Salience(
        features=UNFITTED.features,
        coefficients=UNFITTED.coefficients,
        intercept=UNFITTED.intercept,
        held={page: (n, dict(counts[page])) for page, n in seen.items()},
        asked=asked,
    )


def with_held(row: Quoted, memory: Salience, model: Salience) -> list[_Section]:
    """The row's sections with 'held' and 'held_near' read from ``memory`` and every sentence scored by ``model``."""
    near = memory.held_near(row.page, row.vector)
    read = []
    for section in row.sections:
        sentences = []
        for s in section.sentences:
            assert s.features is not None
            features = replace(s.features, held=memory.held_for(row.page, s.text), held_near=near(s.text))
            sentences.append(replace(s, features=features))
        read.append(replace(section, sentences=sentences))
    return scored(read, model)


def _soft_targets(
    rows: Sequence[Quoted], memory_without: dict[str, Salience]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each sentence twice, as quoted and as not, weighted by its share and the rest: a soft target."""
    x: list[list[float]] = []
    y: list[int] = []
    weights: list[float] = []
    for row in rows:
        vectors = [
            s.features.vector(FEATURES)
            for section in with_held(row, memory_without[row.set_name], UNFITTED)
            for s in section.sentences
            if s.features is not None
        ]
        for vector, share in zip(vectors, row.labels, strict=True):
            x += [vector, vector]
            y += [1, 0]
            weights += [share, 1.0 - share]
    return np.asarray(x), np.asarray(y), np.asarray(weights)


def fit(rows: Sequence[Quoted], memory_without: dict[str, Salience]) -> Salience:
    """The logistic model, and boosted trees beside it that do the scoring."""
    from sklearn.linear_model import LogisticRegression

    x, y, weights = _soft_targets(rows, memory_without)
    logistic = LogisticRegression(C=STRENGTH, max_iter=5000).fit(x, y, sample_weight=weights)
    return Salience(
        features=FEATURES,
        coefficients=tuple(float(c) for c in logistic.coef_[0]),
        intercept=float(logistic.intercept_[0]),
        trees=fit_trees(x, y, sample_weight=weights),
    )


def coverage(row: Quoted, sections: list[_Section]) -> float:
    words = content_words(" ".join(s.text for s in _choose(sections, budget=MAX_WORDS)))
    return sum(fact_covered(f, words) for f in row.key_facts) / len(row.key_facts)


def whole_page(row: Quoted) -> float:
    words = content_words(" ".join(sentences_of(row)))
    return sum(fact_covered(f, words) for f in row.key_facts) / len(row.key_facts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench salience", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the figures and the model; save nothing")
    args = parser.parse_args(argv)
    from settings import get_settings

    kb = KnowledgeBase.load(get_settings().kb_dir)
    by_set = {name: gather(kb, name) for name in ALL_READ_SETS}
    every = [row for rows in by_set.values() for row in rows]
    figures: dict[str, dict[str, float]] = {}
    print(f"key facts in a {MAX_WORDS}-word answer from the right page, each set judged out of set")
    print(f"{'set':10} {'messages':>9} {'closeness':>10} {'logistic':>9} {'trees':>7} {'whole page':>11}")
    for name, rows in by_set.items():
        others = [row for row in every if row.set_name != name]
        memory_without = {
            other: memory_of([row for row in others if row.set_name != other]) for other in by_set if other != name
        }
        model = fit(others, memory_without)
        logistic = model.model_copy(update={"trees": None})
        memory = memory_of(others)
        figures[name] = {
            "messages": len(rows),
            "closeness": statistics.fmean(coverage(row, with_held(row, memory, UNFITTED)) for row in rows),
            "logistic": statistics.fmean(coverage(row, with_held(row, memory, logistic)) for row in rows),
            "salience": statistics.fmean(coverage(row, with_held(row, memory, model)) for row in rows),
            "whole_page": statistics.fmean(whole_page(row) for row in rows),
        }
        f = figures[name]
        print(
            f"{name:10} {len(rows):>9} {f['closeness']:>10.1%} {f['logistic']:>9.1%} {f['salience']:>7.1%} "
            f"{f['whole_page']:>11.1%}"
        )
    columns = ("closeness", "logistic", "salience", "whole_page")
    means = {k: float(np.mean([f[k] for f in figures.values()])) for k in columns}
    print(
        f"{'mean':10} {'':>9} {means['closeness']:>10.1%} {means['logistic']:>9.1%} {means['salience']:>7.1%} "
        f"{means['whole_page']:>11.1%}"
    )
    memory_without = {name: memory_of([row for row in every if row.set_name != name]) for name in by_set}
    everything = memory_of(every)
    salience = fit(every, memory_without).model_copy(
        update={
            "held": everything.held,
            "asked": everything.asked,
            "fitted_on": (
                f"bench/answers/sets {', '.join(ALL_READ_SETS)}: {len(every)} answerable opening messages with key "
                f"facts; key facts of a {MAX_WORDS}-word answer from the right page out of set, mean of the sets: "
                f"closeness {means['closeness']:.3f}, logistic {means['logistic']:.3f}, trees {means['salience']:.3f}"
            ),
        }
    )
    print(
        "\nlogistic: "
        + ", ".join(f"{n} {c:+.2f}" for n, c in zip(salience.features, salience.coefficients, strict=True))
    )
    if salience.trees is not None:
        print(f"trees: {len(salience.trees.roots)}, {len(salience.trees.feature)} nodes, depth {salience.trees.depth}")
    if not args.dry_run:
        save_salience(salience)
        print("Saved knowledge_base/salience.json.")
    out = write_results(
        "salience",
        {"model": salience.model_dump(exclude={"held", "asked", "trees"}), "figures": figures, "means": means},
    )
    print(f"Figures written to {out}")
    return 0
