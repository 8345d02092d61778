"""Which of the first few pages answers the message: a small learned re-ranker over page features.

The fused passage ranking (dense + BM25 + example questions + audience) puts the right page first
for about four family messages in five, and among the first three for more than nine in ten. The
passage score alone cannot tell a page with one lucky sentence-shaped passage from a page whose
sections are about the question throughout, so the first ``DEPTH`` pages are scored again on what
the whole page offers: its best sentence, its second passage, how many of its passages were
found, its example questions (the closest, and how many of the nearest are its) and the lexical
match, beside its lead from the fused ranking.

A logistic model over those features, fitted by ``python -m bench rerank`` on the read answer
sets (each set scored without its own example questions, judged leaving one set out) and stored
in reranker.json beside this module, so serving needs only numpy. Without the file the fused
order stands. Figures and what was tried: docs/retrieval.md, ADR 0018.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.confidence import LogisticModel

RERANKER_FILE = Path(__file__).with_name("reranker.json")
# How many pages of the fused ranking are scored again. The right page is among the first six for
# nearly every answerable message that has one, and further down it is rarely worth promoting.
DEPTH = 6
FEATURES = ("lag", "best_sentence", "second_passage", "passages", "example", "lexical_share", "example_votes")


@dataclass(frozen=True)
class PageCandidate:
    """One page among the first ``DEPTH`` of the fused ranking, and what the re-ranker reads from it."""

    page: int  # RowAttributes.page numbering
    lag: float  # the first page's fused score minus this page's (0 for the first)
    best_sentence: float  # cosine of the query and the page's closest sentence
    second_passage: float  # cosine of the page's second-best passage among the candidates, 0 for none
    passages: int  # how many of the page's passages are among the candidates
    example: float  # cosine of the query and the page's closest example question among the nearest, 0 for none
    lexical_share: float  # the page's best BM25 score over the query's best (0-1)
    example_votes: float  # the page's share of the query's nearest example questions (search.EXAMPLE_VOTERS)

    def vector(self, names: tuple[str, ...] = FEATURES) -> list[float]:
        return [float(getattr(self, name)) for name in names]


class Reranker(LogisticModel):
    """Fitted coefficients and where they came from."""

    features: tuple[str, ...] = FEATURES

    def score(self, candidate: PageCandidate) -> float:
        """The fitted chance that this page answers the message."""
        return self.chance(candidate.vector(self.features))

    def order(self, candidates: list[PageCandidate], scores: list[float] | None = None) -> list[int]:
        """The candidates' pages, most likely to answer first; ties keep the fused order.

        ``scores``: the candidates' chances when the caller has already scored them.
        """
        chances = scores if scores is not None else [self.score(c) for c in candidates]
        ranked = sorted(range(len(candidates)), key=lambda i: (-chances[i], i))
        return [candidates[i].page for i in ranked]


# A follow-up ('what if they say no') is searched with the conversation's topic; the message read
# alone often knows better when it brings a subject of its own ('and who pays for a solicitor').
FOLLOW_UP_FILE = Path(__file__).with_name("follow_up_reranker.json")
FOLLOW_UP_FEATURES = ("with_topic", "alone", "answered_before")


class FollowUpReranker(LogisticModel):
    """Which page answers a follow-up, from the re-ranker's chances in two searches and the last answer.

    ``with_topic``: the page's chance when the follow-up is searched with the topic's question and
    page title; ``alone``: its chance when the message is searched by itself (0 where the page is
    not among that search's first pages); ``answered_before``: 1 for the page the last answer came
    from ('how long does that take' is most often answered on the page just quoted). Fitted by
    ``python -m bench rerank-follow-ups`` on the read sets' later conversation turns.
    """

    features: tuple[str, ...] = FOLLOW_UP_FEATURES

    def order(
        self, with_topic: dict[str, float], alone: dict[str, float], answered_before: str | None = None
    ) -> list[str]:
        """Every page of either search, most likely to answer first; ties keep the topic search's order.

        ``answered_before``: the address of the page the last answer came from, if known.
        """
        pages = list(dict.fromkeys([*with_topic, *alone]))
        values = {p: [with_topic.get(p, 0.0), alone.get(p, 0.0), float(p == answered_before)] for p in pages}
        scored = [(-self.chance(values[p][: len(self.features)]), i, p) for i, p in enumerate(pages)]
        return [page for _, _, page in sorted(scored)]


def load_follow_up_reranker(path: Path = FOLLOW_UP_FILE) -> FollowUpReranker | None:
    """The stored follow-up re-ranker, or None (the topic search's order stands)."""
    if not path.is_file():
        return None
    return FollowUpReranker.model_validate(json.loads(path.read_text()))


def save_follow_up_reranker(model: FollowUpReranker, path: Path = FOLLOW_UP_FILE) -> None:
    path.write_text(model.model_dump_json(indent=2) + "\n")


def load_reranker(path: Path = RERANKER_FILE) -> Reranker | None:
    """The stored re-ranker, or None (keep the fused order) when none has been fitted."""
    if not path.is_file():
        return None
    return Reranker.model_validate(json.loads(path.read_text()))


def save_reranker(reranker: Reranker, path: Path = RERANKER_FILE) -> None:
    path.write_text(reranker.model_dump_json(indent=2) + "\n")
