"""Whether the top hit can be trusted: a calibrated probability, and a yes/no the dialogue acts on.

A logistic model over features of the ranking (Platt scaling). Six are computed: the top
passage's cosine similarity, its lead over the next page, how strongly the lexical index backs it,
whether dense and lexical retrieval chose the same page, how close the query is to one of the top
page's example questions, and the page re-ranker's chance that the first page answers. The
calibration names the ones it uses. It is fitted by ``python -m bench calibrate`` on the read answer
sets, out of set (bench/family_calibration.py, docs/retrieval.md), and stored in confidence.json
beside this module, so serving needs only numpy.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

CALIBRATION_FILE = Path(__file__).with_name("confidence.json")
FEATURES = ("top_cosine", "margin", "lexical_share", "agree", "example", "page_chance")


@dataclass(frozen=True)
class RankingFeatures:
    """What the confidence model reads from one query's ranking."""

    top_cosine: float
    margin: float  # top cosine minus the best cosine of another page
    lexical_share: float  # the top hit's BM25 score over the query's best BM25 score (0-1)
    agree: float  # 1.0 when dense and lexical retrieval put the same page first
    # Cosine of the query and the top page's closest example question (knowledge_base.examples), 0 for none
    example: float = 0.0
    # The page re-ranker's chance that the first page answers (knowledge_base.reranking), 0 without one
    page_chance: float = 0.0

    def vector(self, names: tuple[str, ...] = FEATURES) -> list[float]:
        return [float(getattr(self, name)) for name in names]


class LogisticModel(BaseModel):
    """A logistic model over named features, fitted offline (bench/) and served with the standard library.

    The confidence model below and the page re-ranker (knowledge_base/reranking.py) are both one.
    """

    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float
    fitted_on: str = ""

    def chance(self, values: list[float]) -> float:
        """The modelled probability for these feature values (in ``features`` order)."""
        z = self.intercept + sum(c * x for c, x in zip(self.coefficients, values, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


class Calibration(LogisticModel):
    """Fitted coefficients, the decision threshold, and where they came from."""

    features: tuple[str, ...] = FEATURES
    threshold: float = 0.5
    # Between this and ``threshold`` the top page is probably right: quoted, with a plain 'not certain'.
    # None: no middle band (confident or not sure).
    tentative_threshold: float | None = None

    def verdict(self, probability: float, margin: float = 0.0) -> Literal["confident", "tentative", "not_sure"]:
        """Confident, tentative or not sure; ``margin`` lowers the tentative bar (see answering.SIGNPOSTED_MARGIN)."""
        if probability >= self.threshold:
            return "confident"
        if self.tentative_threshold is not None and probability >= self.tentative_threshold - margin:
            return "tentative"
        return "not_sure"

    def probability(self, features: RankingFeatures) -> float:
        return self.chance(features.vector(self.features))


# Before any calibration exists: confident when the cosine alone is above 0.55 (the hand-set
# threshold of the first release), expressed as a steep logistic on top_cosine.
UNCALIBRATED = Calibration(
    features=("top_cosine",), coefficients=(40.0,), intercept=-22.0, fitted_on="hand-set: cosine 0.55"
)


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """The stored calibration, or the hand-set fallback when none has been fitted."""
    if not path.is_file():
        return UNCALIBRATED
    return Calibration.model_validate(json.loads(path.read_text()))


def save_calibration(calibration: Calibration, path: Path = CALIBRATION_FILE) -> None:
    path.write_text(calibration.model_dump_json(indent=2) + "\n")
