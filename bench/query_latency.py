"""Warm per-question latency of the knowledge base, stage by stage.

Measures, on the current build: embedding the question, the FAISS search with its metadata, the
excerpt choice, and the whole of what an answer costs. The baseline, measured in the same run, is
the search with metadata; the table reports each stage as a ratio of it too, because absolute
times on a shared machine move with its load.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from bench.results_file import repeat_option as _repeat
from bench.results_file import write_results
from knowledge_base.answering import Topic
from knowledge_base.answering import answer as answer_from_pages
from knowledge_base.excerpt import best_excerpt
from knowledge_base.reranking import Reranker
from knowledge_base.search import KnowledgeBase
from settings import get_settings

QUESTIONS = [
    "How do I ask for an EHC needs assessment?",
    "how long does an ehcp take",
    "what is a SENCO",
    "my son got sent home from school is that allowed",
    "do i need a diagnosis to get help",
    "can i appeal if they say no",
    "what happens at the annual review",
    "help with transport to college",
    "short breaks for my disabled daughter",
    "im 17 what is a supported internship",
    "speech therapy group for my 3 year old in stroud",
    "who can help me with a disagreement with school",
]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000,
    }


def _time(fn: Callable[[], object], repeat: int, before: Callable[[], object] = lambda: None) -> list[float]:
    samples = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def main(argv: list[str] | None = None) -> int:
    repeat = _repeat(argv, default=5)
    settings = get_settings()
    kb = KnowledgeBase.load(settings.kb_dir)
    kb.search("warm up the model", k=1)
    vectors = {q: kb.embed(q) for q in QUESTIONS}
    baseline = "search with metadata (baseline)"
    # 'search' is the whole of KnowledgeBase.search after the embedding: query understanding,
    # filters, dense and lexical retrieval, fusion, the per-page cap, metadata and confidence.
    measured = "embed + search + metadata"
    stages: dict[str, list[float]] = {
        baseline: [],
        "search, fused order only": [],
        "search, re-ranker without memory": [],
        "embed": [],
        measured: [],
        "excerpt": [],
        "whole answer (before answer first)": [],
        "answering.answer": [],
        "answer, logistic salience": [],
        "answering.answer, a follow-up": [],
    }

    def excerpt(question: str) -> None:
        vector = vectors[question]
        found = kb.search_vector(question, vector, k=3).hits
        best_excerpt(kb, vector, kb.page_passages(vector, found[0].doc_url))

    shipped = kb.reranker
    forgetful = shipped.model_copy(update={"asked": [], "classifier": None}) if shipped is not None else None

    def searched_with(reranker: Reranker | None, question: str) -> None:
        # The same search with another page re-ranker (ADR 0018): none shows what re-ranking costs,
        # one that remembers no questions what its memory of them (asked_votes, the page classifier) costs.
        kb.reranker = reranker
        try:
            kb.search_vector(question, vectors[question], k=3)
        finally:
            kb.reranker = shipped

    trees = kb.salience
    logistic = trees.model_copy(update={"trees": None})

    def answered_with_logistic_salience(question: str) -> None:
        # The same answer with the sentences scored by the logistic model instead of the boosted
        # trees (ADR 0021): what the trees cost.
        kb.salience = logistic
        try:
            answer_from_pages(kb, question, "parent")
        finally:
            kb.salience = trees

    def answer(question: str) -> None:
        vector = kb.embed(question)
        found = kb.search_vector(question, vector, k=3).hits
        best_excerpt(kb, vector, kb.page_passages(vector, found[0].doc_url))

    # Every timing starts with the knowledge base's cache of recent vectors empty: each stage is
    # timed as for a message seen for the first time, not a repeat of the one before.
    fresh = kb.forget_embeddings
    for q in QUESTIONS:
        stages[baseline] += _time(partial(kb.search_vector, q, vectors[q], k=3), repeat, fresh)
        stages["search, fused order only"] += _time(partial(searched_with, None, q), repeat, fresh)
        stages["search, re-ranker without memory"] += _time(partial(searched_with, forgetful, q), repeat, fresh)
        stages["embed"] += _time(partial(kb.embed, q), repeat, fresh)
        stages[measured] += _time(partial(kb.search, q, k=3), repeat, fresh)
        stages["excerpt"] += _time(partial(excerpt, q), repeat, fresh)
        stages["whole answer (before answer first)"] += _time(partial(answer, q), repeat, fresh)
        # What a turn costs now: page words, the question of a long story, composition across sections.
        stages["answering.answer"] += _time(partial(answer_from_pages, kb, q, "parent"), repeat, fresh)
        stages["answer, logistic salience"] += _time(partial(answered_with_logistic_salience, q), repeat, fresh)
        topic = Topic("How do I ask for an EHC needs assessment?", "Asking for an EHC needs assessment")
        stages["answering.answer, a follow-up"] += _time(
            partial(answer_from_pages, kb, q, "parent", topic, True), repeat, fresh
        )

    base = statistics.median(stages[baseline])
    rows = {
        name: {**_percentiles(s), "ratio_to_baseline_p50": statistics.median(s) / base} for name, s in stages.items()
    }
    print(f"Query latency on build {kb.manifest.build_id} ({kb.size} passages), {len(QUESTIONS)} questions x {repeat}")
    print(f"{'stage':36} {'p50 ms':>9} {'p95 ms':>9} {'x baseline':>11}")
    for name, row in rows.items():
        print(f"{name:36} {row['p50_ms']:9.2f} {row['p95_ms']:9.2f} {row['ratio_to_baseline_p50']:11.1f}")
    out = write_results(
        "query-latency",
        {
            "build_id": kb.manifest.build_id,
            "passages": kb.size,
            "questions": len(QUESTIONS),
            "repeat": repeat,
            "numpy": np.__version__,
            "stages": rows,
        },
    )
    print(f"Wrote {out}")
    return 0
