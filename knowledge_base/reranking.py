"""Which of the first few pages answers the message: a small learned re-ranker over page features.

The fused passage ranking (dense + BM25 + example questions + audience) puts the right page first
for about four family messages in five, and among the first three for more than nine in ten. The
passage score alone cannot tell a page with one lucky sentence-shaped passage from a page whose
sections are about the question throughout, so the first ``DEPTH`` pages are scored again on what
the whole page offers: its best sentence, its second passage, how many of its passages were
found, its example questions (the closest, and how many of the nearest are its), the lexical
match, and which pages answered the read sets' questions most like this one (``asked_votes``),
beside its lead from the fused ranking.

Boosted trees over those features (with a logistic model beside them, for comparison and for an
older file), fitted by ``python -m bench rerank`` on the read answer sets (each set scored without
its own example questions and its own questions' votes, judged leaving one set out) and stored in
reranker.json beside this module with the questions it remembers, so serving needs only numpy.
Without the file the fused order stands. The chance it gives the first page is also read by the
confidence model. Figures and what was tried: docs/retrieval.md, ADR 0018.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import Base64Bytes, BaseModel, Field, PrivateAttr

from knowledge_base.boosted_trees import BoostedTrees
from knowledge_base.confidence import LogisticModel
from knowledge_base.model_memory import pack, page_key, text_key, unpack

RERANKER_FILE = Path(__file__).with_name("reranker.json")
# How many pages of the fused ranking are scored again. The right page is among the first six for
# nearly every answerable message that has one, and further down it is rarely worth promoting.
DEPTH = 6
FEATURES = (
    "lag",
    "best_sentence",
    "second_passage",
    "passages",
    "example",
    "lexical_share",
    "example_votes",
    "asked_votes",
    "classified",
)
# Features that come from the read sets' questions (the memory and the page classifier): left out of
# the model for a search that takes nothing from them (``without_memory``).
MEMORY_FEATURES = ("asked_votes", "classified")
# ``asked_votes``: the read sets' opening questions nearest this one vote for the pages that answer
# them, each weighted by its cosine to this power. Unlike the example questions (which the fused
# ranking also reads, and which adding read_5 onwards made worse), this is one feature among the
# others, so the fit decides how far to trust it. Out of set on the read sets, 10 voters at power 4
# were as good as 5 or 20 voters and powers 1 or 8 (ADR 0018).
ASKED_VOTERS = 10
ASKED_POWER = 4


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
    asked_votes: float = 0.0  # the page's weighted share of the nearest read-set questions' answers (ASKED_VOTERS)
    classified: float = 0.0  # the page classifier's chance that this page answers the message (PageClassifier)

    def vector(self, names: tuple[str, ...] = FEATURES) -> list[float]:
        return [float(getattr(self, name)) for name in names]


class AskedBefore(BaseModel):
    """A read set's question, as its vector, the pages that answer it, and who wrote it."""

    key: str  # model_memory.text_key of the question, so a bench can leave a set's own questions out
    vector: Base64Bytes  # the search's query vector, packed (knowledge_base.model_memory)
    pages: tuple[str, ...]  # page keys ('advice.page?id=appeals'), as the mappers listed them
    # Written by a young person about themself. Mappers list a page and its Future Me twin alike and
    # parents write most questions, so without this a young person's question was outvoted onto the
    # parents' page (docs/decisions/0018-page-reranker.md).
    young_person: bool = False

    @classmethod
    def of(cls, question: str, vector: np.ndarray, pages: Collection[str], young_person: bool) -> AskedBefore:
        return cls(
            key=text_key(question),
            vector=pack(vector),
            pages=tuple(page_key(page) for page in pages),
            young_person=young_person,
        )


class PageClassifier(BaseModel):
    """A linear classifier from a message's vector to the page that answers it (a softmax over pages
    of its scores times ``sharpness``).

    Fitted by ``python -m bench rerank`` on the read sets' questions and the questions written from
    each page. Where ``asked_votes`` lets the ten nearest questions vote, this weighs every question
    a page was asked with, so a page learns the directions its askers share and not only their
    nearest wordings. It cannot forget a set: a bench judging a set gives it one fitted without it.
    """

    pages: tuple[str, ...]  # page keys ('advice.page?id=appeals'), one a row of ``weights``
    weights: Base64Bytes  # float32, len(pages) x the vector's size, row-major
    biases: tuple[float, ...]
    sharpness: float = 1.0
    fitted_on: str = ""
    _matrix: np.ndarray | None = PrivateAttr(default=None)

    @classmethod
    def of(
        cls,
        pages: Collection[str],
        weights: np.ndarray,
        biases: Collection[float],
        sharpness: float,
        fitted_on: str,
    ) -> PageClassifier:
        raw = np.ascontiguousarray(weights, dtype=np.float32).tobytes()
        return cls(
            pages=tuple(pages),
            weights=base64.b64encode(raw),
            biases=tuple(float(b) for b in biases),
            sharpness=sharpness,
            fitted_on=fitted_on,
        )

    def chances(self, vector: np.ndarray) -> dict[str, float]:
        """Page key -> the chance that it answers the message whose vector this is."""
        if self._matrix is None:
            self._matrix = np.frombuffer(self.weights, dtype=np.float32).reshape(len(self.pages), -1)
        vector = np.asarray(vector, dtype=np.float32).ravel()
        if vector.shape[0] != self._matrix.shape[1]:
            return {}
        logits = self.sharpness * (self._matrix @ vector + np.asarray(self.biases, dtype=np.float32))
        exp = np.exp(logits - logits.max())
        return dict(zip(self.pages, (exp / exp.sum()).tolist(), strict=True))


class Reranker(LogisticModel):
    """Fitted coefficients, the read sets' questions it remembers, and where they came from."""

    features: tuple[str, ...] = FEATURES
    asked: list[AskedBefore] = Field(default_factory=list)
    classifier: PageClassifier | None = None
    # The same fit without ``asked_votes``, for a search with nothing to remember: a follow-up blended
    # with the question before it, whose nearest remembered questions are the earlier question's.
    # Reading its votes as 0 in the model above would skew its chances; this model never had them.
    without_memory: LogisticModel | None = None
    # Boosted trees over the same features, and over those without the memory's votes: when present
    # they score instead of the logistic models above. Out of set on the read sets they put a right
    # page first a little more often, and their chance of the first page sorts right from wrong
    # better, which the confidence model reads (``page_chance``; ADR 0018, docs/retrieval.md).
    trees: BoostedTrees | None = None
    trees_without_memory: BoostedTrees | None = None
    # The memory unpacked once, split by kind of asker: (memory it came from, {young_person: (indices, vectors)}).
    _voters: tuple[list[AskedBefore], dict[bool, tuple[np.ndarray, np.ndarray]]] | None = PrivateAttr(default=None)

    def leaving_out(self, questions: Collection[str]) -> Reranker:
        """The same model remembering none of these questions (to judge a set as families not yet seen)."""
        keys = {text_key(question) for question in questions}
        if not any(asked.key in keys for asked in self.asked):
            return self
        return self.model_copy(update={"asked": [asked for asked in self.asked if asked.key not in keys]})

    def asked_votes(self, vector: np.ndarray, young_person: bool) -> dict[str, float]:
        """Page key -> its share of the answers to the ``ASKED_VOTERS`` remembered questions nearest
        ``vector`` that the same kind of asker wrote (a young person, or anyone else), each weighted
        by closeness; empty with no memory or a memory from another model."""
        if self._voters is None or self._voters[0] is not self.asked:
            young = np.asarray([a.young_person for a in self.asked], dtype=bool)
            vectors = unpack([a.vector for a in self.asked])
            by_kind = {kind: np.flatnonzero(young == kind) for kind in (False, True)}
            self._voters = (self.asked, {kind: (rows, vectors[rows]) for kind, rows in by_kind.items()})
        voters, vectors = self._voters[1][young_person]
        if not len(vectors) or vectors.shape[1] != np.asarray(vector).shape[-1]:
            return {}
        similarity = vectors @ np.asarray(vector, dtype=np.float32)
        nearest = np.argsort(-similarity)[:ASKED_VOTERS]
        weights = np.clip(similarity[nearest], 0.0, None) ** ASKED_POWER
        total = float(weights.sum())
        if total <= 0:
            return {}
        votes: dict[str, float] = {}
        for i, weight in zip(voters[nearest].tolist(), weights.tolist(), strict=True):
            for page in self.asked[i].pages:
                votes[page] = votes.get(page, 0.0) + weight / total
        return votes

    def scores(self, candidates: list[PageCandidate], remembered: bool = True) -> list[float]:
        """The fitted chance that each page answers the message; ``remembered=False`` when the
        search took no votes from the memory (``without_memory``)."""
        if not candidates:
            return []
        model: LogisticModel = self
        trees = self.trees
        if not remembered and self.without_memory is not None:
            model, trees = self.without_memory, self.trees_without_memory
        if trees is not None:
            chances: list[float] = trees.chances(np.asarray([c.vector(model.features) for c in candidates])).tolist()
            return chances
        return [model.chance(c.vector(model.features)) for c in candidates]

    def order(self, candidates: list[PageCandidate], scores: list[float] | None = None) -> list[int]:
        """The candidates' pages, most likely to answer first; ties keep the fused order.

        ``scores``: the candidates' chances when the caller has already scored them.
        """
        chances = scores if scores is not None else self.scores(candidates)
        ranked = sorted(range(len(candidates)), key=lambda i: (-chances[i], i))
        return [candidates[i].page for i in ranked]


# A follow-up ('what if they say no') is searched with the conversation's topic; the message read
# alone often knows better when it brings a subject of its own ('and who pays for a solicitor').
FOLLOW_UP_FILE = Path(__file__).with_name("follow_up_reranker.json")
FOLLOW_UP_FEATURES = ("with_topic", "alone", "answered_before")


@dataclass(frozen=True)
class FollowUpSearches:
    """What the follow-up re-ranker reads: each page's chance in the two searches, and the page the
    last answer came from (its address, if either search found it)."""

    with_topic: dict[str, float]
    alone: dict[str, float]
    answered_before: str | None = None

    def pages(self) -> list[str]:
        return list(dict.fromkeys([*self.with_topic, *self.alone]))

    def values(self, page: str) -> dict[str, float]:
        return {
            "with_topic": self.with_topic.get(page, 0.0),
            "alone": self.alone.get(page, 0.0),
            "answered_before": float(page == self.answered_before),
        }


class FollowUpReranker(LogisticModel):
    """Which page answers a follow-up, from the re-ranker's chances in two searches and the last answer.

    ``with_topic``: the page's chance when the follow-up is searched with the topic's question and
    page title; ``alone``: its chance when the message is searched by itself (0 where the page is
    not among that search's first pages); ``answered_before``: 1 for the page the last answer came
    from ('how long does that take' is most often answered on the page just quoted). Fitted by
    ``python -m bench rerank-follow-ups`` on the read sets' later conversation turns.
    """

    features: tuple[str, ...] = FOLLOW_UP_FEATURES

    def order(self, searches: FollowUpSearches) -> list[str]:
        """Every page of either search, most likely to answer first; ties keep the topic search's order."""
        pages = searches.pages()
        if not pages:
            return []
        values = [searches.values(page) for page in pages]
        chances = [self.chance([v[name] for name in self.features]) for v in values]
        ranked = sorted(range(len(pages)), key=lambda i: (-chances[i], i))
        return [pages[i] for i in ranked]


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
