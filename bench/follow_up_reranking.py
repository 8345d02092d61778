"""Fit how a follow-up's page is chosen, on the read sets' conversations: ``python -m bench rerank-follow-ups``.

A follow-up ('what if they say no', 'and who pays for a solicitor') is searched with the
conversation's topic (answering.search_with_topic). Its page is then chosen by the follow-up
re-ranker (knowledge_base/reranking.py) from each page's chance in that search and in a search of
the message alone. This fits it on every read answer set's later conversation turns that the
assistant reads with the topic and that the set maps to pages, never a blind set.

Each conversation is played as the assistant plays it (the topic is the last question and the page
that answered it), each set with its own example questions left out, and judged by a model fitted on
the other sets. The table compares how often the first page answers the turn: the topic search's
first page (before this model), and the page the model chooses. Run it after ``python -m bench
rerank``: it reads the page re-ranker's chances, each set's from a page re-ranker fitted without it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench.answer_scoring import is_answerable, page_matches
from bench.answer_set import ALL_READ_SETS, load_answer_set
from bench.page_reranking import out_of_set, ranked_sets, set_view, with_reranker
from bench.results_file import write_results
from knowledge_base.answering import (
    Topic,
    answer,
    answered_page,
    asks_for_judgement,
    raises_a_dispute,
    search_alone,
    search_with_topic,
)
from knowledge_base.reranking import (
    FOLLOW_UP_FEATURES,
    FollowUpReranker,
    FollowUpSearches,
    Reranker,
    save_follow_up_reranker,
)
from knowledge_base.search import KnowledgeBase
from vocabulary.audiences import Audience

# Regularisation of the logistic model; 0.3 to 3 gave the same out-of-set figures (2026-12-05).
STRENGTH = 1.0
# Turns whose reply carries the conversation on: the topic after them is what they were answered from.
TOPIC_SETTERS = ("answer", "answer_and_signpost", "handoff", "clarify")


@dataclass(frozen=True)
class FollowUp:
    """One later turn read with the topic: what the re-ranker reads of it, and which pages answer it."""

    text: str
    pages: list[str]
    searches: FollowUpSearches
    answers: dict[str, bool]
    topic_first: str  # the topic search's first page, as the assistant chose before this model


def follow_ups(kb: KnowledgeBase, set_name: str, page_reranker: Reranker) -> list[FollowUp]:
    """The set's later turns that are read with the topic, played with its own example questions left out.

    ``page_reranker``: the page re-ranker fitted without this set (``page_reranking.out_of_set``).
    """
    view = with_reranker(set_view(kb, set_name), page_reranker)
    # Topics come from the assistant without this model, so the fit does not lean on itself.
    view.follow_up_reranker = None
    found = []
    for conversation in load_answer_set(set_name).conversations:
        asker: Audience = "young_person" if conversation.audience == "young_person" else "parent"
        topic: Topic | None = None
        for number, turn in enumerate(conversation.turns):
            signposted = asks_for_judgement(turn.text) or raises_a_dispute(turn.text)
            reply = answer(view, turn.text, asker, topic, signposted=signposted)
            wanted = number > 0 and is_answerable(turn.expected, turn.pages) and bool(turn.pages)
            if wanted and reply.followed_topic and topic is not None:
                _, _, with_topic = search_with_topic(view, turn.text, topic, asker)
                _, _, alone = search_alone(view, turn.text, asker)
                if with_topic.page_chances and with_topic.hits:
                    pages = turn.pages or []
                    candidates = {*with_topic.page_chances, *alone.page_chances}
                    found_pages = {hit.doc_url: [hit] for hit in [*alone.hits, *with_topic.hits]}
                    searches = FollowUpSearches(
                        with_topic.page_chances, alone.page_chances, answered_page(topic, found_pages)
                    )
                    answers = {url: page_matches(url, pages) for url in candidates}
                    found.append(FollowUp(turn.text, pages, searches, answers, with_topic.hits[0].doc_url))
            if turn.expected in TOPIC_SETTERS:
                page_title = reply.sources[0].title if reply.sources else (topic.page_title if topic else None)
                topic = Topic(reply.question, page_title)
    return found


def _rows(turns: Sequence[FollowUp]) -> tuple[np.ndarray, np.ndarray]:
    x, y = [], []
    for t in turns:
        for url, right in t.answers.items():
            values = t.searches.values(url)
            x.append([values[name] for name in FOLLOW_UP_FEATURES])
            y.append(int(right))
    return np.asarray(x), np.asarray(y)


def fit(turns: Sequence[FollowUp]) -> FollowUpReranker:
    """The logistic model (boosted trees and four more features were tried, ADR 0023: no better out of set)."""
    from sklearn.linear_model import LogisticRegression

    x, y = _rows(turns)
    model = LogisticRegression(C=STRENGTH, max_iter=3000).fit(x, y)
    return FollowUpReranker(
        features=FOLLOW_UP_FEATURES,
        coefficients=tuple(float(c) for c in model.coef_[0]),
        intercept=float(model.intercept_[0]),
    )


def first_page_right(turns: Sequence[FollowUp], model: FollowUpReranker | None) -> int:
    """How many turns' first page answers them: the topic search's, or the model's choice."""
    right = 0
    for t in turns:
        first = t.topic_first if model is None else model.order(t.searches)[0]
        right += t.answers.get(first, False)
    return right


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rerank-follow-ups", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the figures and the model; save nothing")
    args = parser.parse_args(argv)
    from settings import get_settings

    kb = KnowledgeBase.load(get_settings().kb_dir)
    if kb.reranker is None:
        parser.error("No page re-ranker: fit it first (python -m bench rerank).")
    # Each set is played with the page re-ranker fitted without it (its chances are what this model reads).
    page_rerankers = out_of_set(ranked_sets(kb))
    by_set = {name: follow_ups(kb, name, page_rerankers[name]) for name in ALL_READ_SETS}
    figures: dict[str, dict[str, float]] = {}
    print(f"{'set (judged out of set)':24} {'follow-ups':>11} {'topic search':>13} {'chosen':>8}")
    for name, turns in by_set.items():
        model = fit([t for other, others in by_set.items() if other != name for t in others])
        before, after = first_page_right(turns, None), first_page_right(turns, model)
        figures[name] = {"follow_ups": len(turns), "topic_search": before, "chosen": after}
        print(f"{name:24} {len(turns):>11} {before:>13} {after:>8}")
    every = [t for turns in by_set.values() for t in turns]
    total = len(every) or 1
    before = sum(int(f["topic_search"]) for f in figures.values())
    after = sum(int(f["chosen"]) for f in figures.values())
    print(f"{'all, first page right':24} {len(every):>11} {before / total:>13.1%} {after / total:>8.1%}")
    model = fit(every).model_copy(
        update={
            "fitted_on": (
                f"bench/answers/sets {', '.join(ALL_READ_SETS)}: {len(every)} later conversation turns read with "
                f"the topic, each set without its own example questions; first page right out of set: topic "
                f"search {before / total:.3f}, chosen {after / total:.3f}"
            )
        }
    )
    print("\n" + ", ".join(f"{n} {c:+.2f}" for n, c in zip(model.features, model.coefficients, strict=True)))
    if not args.dry_run:
        save_follow_up_reranker(model)
        print("Saved knowledge_base/follow_up_reranker.json.")
    out = write_results("rerank-follow-ups", {"model": model.model_dump(), "figures": figures})
    print(f"Figures written to {out}")
    return 0
