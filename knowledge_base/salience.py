"""Which sentences of the chosen page an adviser would quote: a small learned model of sentence salience.

The answer is a page's own sentences, about 120 words of them. Which ones matters as much as which
page: on the read answer sets, quoting whole sections in order of their closeness to the question
held about half of the key facts an adviser gives, while the best 120 words of the same page
(chosen knowing the facts) held about four in five. The facts families are told are not always the
sentences nearest the question: 'can I ask for an assessment myself?' wants who can ask, and also
the 6-week decision and that no diagnosis is needed.

So each sentence of the page is scored on what the question and the page say of it (its closeness
to the question and its passage's, where it sits, whether it holds a number or a duty, how many of
the question's words it shares, how central it is to the page) and on how often advisers writing
the read sets quoted it when answering from this page (``held``: the mean share of an adviser's fact
the sentence holds, over the answers from this page), and how much of it advisers quoted for the
questions most like this one (``held_near``: the same mean, each earlier question weighted by its
closeness to this one). Different questions on one page want different sentences: 'how long does
an assessment take' and 'who can ask for one' are both answered from the assessment page. A logistic model over those
features, fitted by ``python -m bench salience`` on the read answer sets (judged leaving one set
out) and stored in salience.json beside this module, so serving needs only numpy. Without the file
the sentences are scored on their closeness to the question alone. Figures: docs/retrieval.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
from pydantic import Base64Bytes, BaseModel, Field, PrivateAttr

from knowledge_base.boosted_trees import BoostedTrees
from knowledge_base.confidence import LogisticModel
from knowledge_base.model_memory import pack, page_key, text_key, unpack

SALIENCE_FILE = Path(__file__).with_name("salience.json")


# What ``held`` is for a sentence no adviser has yet answered from, and how strongly the counts are
# pulled towards it.
HELD_PRIOR = 0.1
HELD_PRIOR_WEIGHT = 1.0

# How much a sentence's words already quoted count against it. Greedy choice by score alone
# quotes the same fact twice in different words; this weight was chosen on the read sets.
REDUNDANCY = 0.45
# A sentence's value is divided by its length to this power: within a fixed word budget, two short
# sentences that each hold a fact beat one long one that holds a single fact. Chosen on the read
# sets with REDUNDANCY (docs/retrieval.md).
LENGTH_WEIGHT = 0.5

# ``held_near`` weighs an earlier question by its cosine with this one to this power, so the few
# nearest questions count most (4 was best of 1, 4, 8 and 16 on the read sets, out of set), and
# pulls the weighted mean towards HELD_PRIOR with this weight.
NEAR_POWER = 4
NEAR_PRIOR_WEIGHT = 0.2
# Shares below this are one word of a long fact; storing them only grows the file.
MIN_SHARE_KEPT = 0.1


@dataclass(frozen=True)
class SentenceFeatures:
    """What the salience model reads from one sentence of a page, for one question."""

    cosine: float  # the sentence and the question
    passage_cosine: float  # the sentence's passage and the question
    passage_rank: float  # 1 / (1 + the passage's rank on its page by closeness to the question)
    opens_section: float  # 1.0 for the first sentence of its passage
    place: float  # where on the page, 0 (top) to 1 (end)
    length: float  # log(1 + words)
    has_fact: float  # a number, a duty ('must'), a time limit ('within'), 'free'
    focus: float  # the question asks when, what it costs or who to contact, and the sentence says
    shared_words: float  # the question's content words it holds, up to 5, over 5
    shared_share: float  # the share of its own content words the question holds
    centrality: float  # cosine with the mean of the page's sentences
    list_item: float
    introduces_list: float  # ends with ':'
    asks: float  # ends with '?'
    held: float  # how much of an adviser's fact it held in answers from this page (smoothed mean)
    held_near: float  # the same, each earlier answer weighted by its question's closeness to this one

    def vector(self, names: tuple[str, ...] | None = None) -> list[float]:
        return [float(getattr(self, name)) for name in names or FEATURES]


FEATURES = tuple(f.name for f in fields(SentenceFeatures))


def held_rate(held: float, seen: int) -> float:
    """The smoothed mean, over the answers from a page, of the share of a key fact a sentence held."""
    return (held + HELD_PRIOR * HELD_PRIOR_WEIGHT) / (seen + HELD_PRIOR_WEIGHT)


class Asked(BaseModel):
    """One read-set question answered from a page: its vector and the share of a fact each sentence held."""

    page: str  # page_key
    vector: Base64Bytes  # the question's unit embedding (the search's query vector) times 127, as int8
    shares: dict[str, float]  # text_key -> share, for the sentences that held a quarter of a fact or more

    @classmethod
    def of(cls, page: str, vector: np.ndarray, shares: dict[str, float]) -> Asked:
        kept = {key: round(share, 2) for key, share in shares.items() if share >= MIN_SHARE_KEPT}
        return cls(page=page, vector=pack(vector), shares=kept)


class Salience(LogisticModel):
    """Fitted coefficients (or trees), the held counts per page and sentence, and where they came from."""

    features: tuple[str, ...] = FEATURES
    # Boosted trees over the same features: when present they score, and the logistic model's
    # coefficients are kept only for comparison (bench salience reports both, out of set).
    trees: BoostedTrees | None = None
    # page_key -> [answers from the page seen, {text_key: the sum over them of the share of a fact it held}]
    held: dict[str, tuple[int, dict[str, float]]] = Field(default_factory=dict)
    asked: list[Asked] = Field(default_factory=list)
    _by_page: tuple[list[Asked], dict[str, tuple[np.ndarray, list[dict[str, float]]]]] | None = PrivateAttr(
        default=None
    )

    def held_for(self, doc_url: str, text: str) -> float:
        seen, counts = self.held.get(page_key(doc_url), (0, {}))
        return held_rate(counts.get(text_key(text), 0), seen)

    def held_near(self, doc_url: str, question: np.ndarray) -> Callable[[str], float]:
        """For one question and page: each sentence's share of a fact held in answers to questions like it."""
        vectors, shares = self._asked_on(page_key(doc_url))
        if not shares or vectors.shape[1] != np.asarray(question).shape[-1]:
            # No earlier question from this page, or a file fitted with another embedding model
            # (refit it, docs/retrieval.md): every sentence gets the prior.
            return lambda _text: HELD_PRIOR
        weights = np.clip(vectors @ np.asarray(question, dtype=np.float32), 0.0, None) ** NEAR_POWER
        total = float(weights.sum()) + NEAR_PRIOR_WEIGHT
        weighted: dict[str, float] = {}
        for weight, held in zip(weights.tolist(), shares, strict=True):
            for key, share in held.items():
                weighted[key] = weighted.get(key, 0.0) + weight * share

        def near(text: str) -> float:
            return (weighted.get(text_key(text), 0.0) + HELD_PRIOR * NEAR_PRIOR_WEIGHT) / total

        return near

    def score(self, features: SentenceFeatures) -> float:
        """The fitted chance that an adviser would quote this sentence."""
        return self.scores([features])[0]

    def scores(self, sentences: list[SentenceFeatures]) -> list[float]:
        """The fitted chance for each sentence (a page's sentences at once: the trees walk them together)."""
        if not sentences:
            return []
        if self.trees is not None:
            chances: list[float] = self.trees.chances(np.asarray([f.vector(self.features) for f in sentences])).tolist()
            return chances
        return [self.chance(f.vector(self.features)) for f in sentences]

    def _asked_on(self, page: str) -> tuple[np.ndarray, list[dict[str, float]]]:
        # Grouped by page once per list of questions (a copy with other questions regroups).
        if self._by_page is None or self._by_page[0] is not self.asked:
            grouped: dict[str, list[Asked]] = {}
            for asked in self.asked:
                grouped.setdefault(asked.page, []).append(asked)
            by_page = {
                key: (unpack([a.vector for a in group]), [a.shares for a in group]) for key, group in grouped.items()
            }
            self._by_page = (self.asked, by_page)
        return self._by_page[1].get(page, (np.zeros((0, 0), dtype=np.float32), []))


# Before any fit: the sentence's closeness to the question alone decides.
UNFITTED = Salience(features=("cosine",), coefficients=(10.0,), intercept=-5.0, fitted_on="unfitted: cosine")


def load_salience(path: Path = SALIENCE_FILE) -> Salience:
    """The stored model, or the closeness-only fallback when none has been fitted."""
    if not path.is_file():
        return UNFITTED
    return Salience.model_validate(json.loads(path.read_text()))


def save_salience(salience: Salience, path: Path = SALIENCE_FILE) -> None:
    path.write_text(salience.model_dump_json(indent=1) + "\n")
