"""Retrieval quality on the project's evaluation set: dense, lexical and fused, side by side.

For each question the ranked passages are turned into a ranking of pages (a page counts once, at
its best passage). Measures:
- Recall@k: the share of questions with a page that answers them among the first k pages (the
  bot quotes the first; the widget lists the next ones as 'pages that might help').
- MRR: the mean of 1 / rank of the first answering page (0 when none is in the first 20 passages).
- nDCG@10: binary relevance over every labelled page, so ranking all answering pages high counts.
- False confidence: the share of unanswerable questions the confidence signal calls confident; and,
  for the answerable ones, how often it is confident and how often a confident top page is right.

The confidence model is fitted on family messages, not here: ``python -m bench calibrate``
(bench/family_calibration.py). This set's false-confidence figures show what it does to
page-worded questions.

The knowledge base must be a build of the demo snapshot: ``python -m signposting build``.
"""

from __future__ import annotations

import argparse
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass

from bench.eval_set import EvalQuestion, load_eval_set, page_ref_to_url_suffix
from bench.results_file import write_results
from knowledge_base.confidence import RankingFeatures
from knowledge_base.fusion import FusionMethod, RetrievalMode
from knowledge_base.search import KnowledgeBase
from settings import get_settings

# (label, mode, fusion) for each retrieval compared.
SYSTEMS: tuple[tuple[str, RetrievalMode, FusionMethod], ...] = (
    ("dense", "dense", "weighted"),
    ("lexical", "lexical", "weighted"),
    ("fused (weighted)", "fused", "weighted"),
    ("fused (rrf)", "fused", "rrf"),
)
PASSAGES = 20  # enough passages for ten pages at two per page


@dataclass
class Outcome:
    """One question's result under one system."""

    question: EvalQuestion
    pages: list[str]
    first_relevant: int | None  # 1-based rank of the first answering page
    ndcg10: float
    confident: bool
    confidence: float
    features: RankingFeatures | None


def _relevant(question: EvalQuestion, page: str) -> bool:
    return any(page.endswith(page_ref_to_url_suffix(ref)) for ref in question.answers)


def _ndcg(question: EvalQuestion, pages: list[str], k: int = 10) -> float:
    gains = [1.0 if _relevant(question, p) else 0.0 for p in pages[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(question.answers))))
    return dcg / ideal if ideal else 0.0


def evaluate(kb: KnowledgeBase, questions: list[EvalQuestion], mode: RetrievalMode) -> list[Outcome]:
    """Run every question through ``kb`` (its current fusion settings) in one retrieval mode."""
    outcomes = []
    vectors = {q.q: kb.embed(q.q) for q in questions}
    for question in questions:
        result = kb.search_vector(question.q, vectors[question.q], k=PASSAGES, asker=question.audience, mode=mode)
        pages = list(dict.fromkeys(h.doc_url for h in result.hits))
        first = next((i + 1 for i, p in enumerate(pages) if _relevant(question, p)), None)
        outcomes.append(
            Outcome(
                question,
                pages,
                first,
                _ndcg(question, pages),
                result.confident,
                result.confidence,
                result.features,
            )
        )
    return outcomes


def summarise(outcomes: list[Outcome]) -> dict[str, float]:
    """Recall@1/@5, MRR, nDCG@10 on answerable questions; confidence figures on both kinds."""
    answerable = [o for o in outcomes if o.question.answers]
    unanswerable = [o for o in outcomes if not o.question.answers]
    figures: dict[str, float] = {"questions": len(answerable)}
    if answerable:
        figures["recall@1"] = statistics.mean(1.0 if o.first_relevant == 1 else 0.0 for o in answerable)
        figures["recall@5"] = statistics.mean(
            1.0 if o.first_relevant is not None and o.first_relevant <= 5 else 0.0 for o in answerable
        )
        figures["mrr"] = statistics.mean(1 / o.first_relevant if o.first_relevant else 0.0 for o in answerable)
        figures["ndcg@10"] = statistics.mean(o.ndcg10 for o in answerable)
        figures["confident_answerable"] = statistics.mean(1.0 if o.confident else 0.0 for o in answerable)
        confident = [o for o in answerable if o.confident]
        if confident:
            figures["precision_when_confident"] = statistics.mean(
                1.0 if o.first_relevant == 1 else 0.0 for o in confident
            )
    if unanswerable:
        figures["unanswerable"] = len(unanswerable)
        figures["false_confidence"] = statistics.mean(1.0 if o.confident else 0.0 for o in unanswerable)
    return figures


def _print_table(title: str, rows: dict[str, dict[str, float]], columns: list[str]) -> None:
    print(title)
    width = max(len(c) for c in columns) + 2
    print(f"{'':34}" + "".join(f"{c:>{width}}" for c in columns))
    for name, figures in rows.items():
        cells = "".join(f"{figures[c]:{width}.3f}" if c in figures else f"{'-':>{width}}" for c in columns)
        print(f"{name:34}{cells}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench retrieval", description=__doc__.splitlines()[0])
    parser.parse_args(argv)

    kb = KnowledgeBase.load(get_settings().kb_dir)
    if kb.manifest.source != "demo":
        print("The evaluation set labels pages of the demo snapshot; build it: python -m signposting build --site demo")
        return 2
    eval_set = load_eval_set()
    questions = list(eval_set.questions)
    default = (kb.mode, kb.fusion)

    report: dict[str, object] = {"build_id": kb.manifest.build_id, "passages": kb.size}

    overall: dict[str, dict[str, float]] = {}
    per_topic: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for label, mode, fusion in SYSTEMS:
        kb.fusion = fusion
        outcomes = evaluate(kb, questions, mode)
        overall[label] = summarise(outcomes)
        by_topic: dict[str, list[Outcome]] = defaultdict(list)
        for o in outcomes:
            by_topic[o.question.topic].append(o)
        for topic, items in by_topic.items():
            per_topic[topic][label] = summarise(items)
        if (mode, fusion) == default or (mode != "fused" and mode == default[0]):
            misses = [o for o in outcomes if o.question.answers and o.first_relevant != 1]
            report[f"misses_{label}"] = [
                {"q": o.question.q, "answers": list(o.question.answers), "got": o.pages[:3]} for o in misses
            ]
    kb.mode, kb.fusion = default

    columns = ["recall@1", "recall@5", "mrr", "ndcg@10", "false_confidence", "confident_answerable"]
    _print_table(
        f"Retrieval on {len(eval_set.answerable)} answerable and {len(eval_set.unanswerable)} unanswerable questions "
        f"(default: {default[0]}, {default[1]})",
        overall,
        columns,
    )
    default_label = next(lbl for lbl, m, f in SYSTEMS if (m, f) == default or (m == default[0] != "fused"))
    topic_rows = {topic: figures[default_label] for topic, figures in sorted(per_topic.items())}
    _print_table(f"Per topic ({default_label})", topic_rows, ["questions", "recall@1", "recall@5", "mrr", "ndcg@10"])
    report["overall"] = overall
    report["per_topic"] = per_topic
    report["default"] = default_label
    out = write_results("retrieval-quality", report)
    print(f"Wrote {out}")
    return 0
