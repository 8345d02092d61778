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
the sentence holds, over the answers from this page). A logistic model over those
features, fitted by ``python -m bench salience`` on the read answer sets (judged leaving one set
out) and stored in salience.json beside this module, so serving needs only numpy. Without the file
the sentences are scored on their closeness to the question alone. Figures: docs/retrieval.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, fields
from pathlib import Path

from pydantic import Field

from knowledge_base.confidence import LogisticModel

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

_SPACE = re.compile(r"\s+")


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

    def vector(self, names: tuple[str, ...] | None = None) -> list[float]:
        return [float(getattr(self, name)) for name in names or FEATURES]


FEATURES = tuple(f.name for f in fields(SentenceFeatures))


def sentence_key(text: str) -> str:
    """A short stable key for a sentence's text (whitespace and case do not matter)."""
    return hashlib.blake2b(_SPACE.sub(" ", text.strip().lower()).encode(), digest_size=6).hexdigest()


def page_key(doc_url: str) -> str:
    """A page's address without the site ('advice.page?id=appeals'), so a table fits any host."""
    return doc_url.rsplit("/", 1)[-1]


def held_rate(held: float, seen: int) -> float:
    """The smoothed mean, over the answers from a page, of the share of a key fact a sentence held."""
    return (held + HELD_PRIOR * HELD_PRIOR_WEIGHT) / (seen + HELD_PRIOR_WEIGHT)


class Salience(LogisticModel):
    """Fitted coefficients, the held counts per page and sentence, and where they came from."""

    features: tuple[str, ...] = FEATURES
    # page_key -> [answers from the page seen, {sentence_key: the sum over them of the share of a fact it held}]
    held: dict[str, tuple[int, dict[str, float]]] = Field(default_factory=dict)

    def held_for(self, doc_url: str, text: str) -> float:
        seen, counts = self.held.get(page_key(doc_url), (0, {}))
        return held_rate(counts.get(sentence_key(text), 0), seen)

    def score(self, features: SentenceFeatures) -> float:
        """The fitted chance that an adviser would quote this sentence."""
        return self.chance(features.vector(self.features))


# Before any fit: the sentence's closeness to the question alone decides.
UNFITTED = Salience(features=("cosine",), coefficients=(10.0,), intercept=-5.0, fitted_on="unfitted: cosine")


def load_salience(path: Path = SALIENCE_FILE) -> Salience:
    """The stored model, or the closeness-only fallback when none has been fitted."""
    if not path.is_file():
        return UNFITTED
    return Salience.model_validate(json.loads(path.read_text()))


def save_salience(salience: Salience, path: Path = SALIENCE_FILE) -> None:
    path.write_text(salience.model_dump_json(indent=1) + "\n")
