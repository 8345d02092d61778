"""A small text classifier that catches risky paraphrases the rules do not know.

TF-IDF over word 1-2-grams and character 2-5-grams (robust to typos), then logistic regression,
trained on ``safety/data/training.yml`` the first time it is needed (well under 2 s) and kept for
the life of the process. The classifier reads the same prepared text as the rules: normalised, with
hard-negative phrases masked, so idioms and SEND jargon do not look risky to it either.

A second model, trained on the at-risk messages only, names the kind of risk when a rule without a
category, or the classifier alone, raised the alarm.

The decision threshold was chosen by cross-validation on the training set only
(``cross_validated_threshold``, 5 stratified folds): the lowest threshold, on a 0.05 grid, whose
out-of-fold false positive rate on the training set's not-at-risk messages is at most 3%. The lowest
such threshold keeps as much recall as that false-positive budget allows; the rules carry most of the
recall, so the classifier's false positives add straight to the combined rate. On the current
training set that is 0.75 (out-of-fold recall 0.63, false-positive rate 0.020). A unit test recomputes
it, so the constant cannot drift from the procedure: change the training set, rerun the procedure,
update THRESHOLD. The evaluation set is never used here (see the run history in
bench/safety/labelled.yml for how it was used).
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from safety.models import CATEGORIES
from safety.rules import prepare

TRAINING_FILE = Path(__file__).resolve().parent / "data" / "training.yml"
THRESHOLD = 0.75
MAX_CV_FALSE_POSITIVE_RATE = 0.03
RANDOM_STATE = 0


@dataclass(frozen=True)
class LabelledMessage:
    """One message with its label. ``category`` is None for messages that are not at risk."""

    text: str
    at_risk: bool
    category: str | None
    hard_negative: bool = False


@dataclass(frozen=True)
class ThresholdChoice:
    """The cross-validated threshold and what it gave out of fold on the training set."""

    threshold: float
    recall: float
    false_positive_rate: float


def load_training_set(path: Path = TRAINING_FILE) -> list[LabelledMessage]:
    """Read the training messages; raise ValueError if the file is not in the expected shape."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages: list[LabelledMessage] = []
    for category, texts in data["at_risk"].items():
        if category not in CATEGORIES:
            raise ValueError(f"{path}: unknown category {category!r}")
        messages += [LabelledMessage(str(text), True, category) for text in texts]
    for kind, texts in data["not_at_risk"].items():
        if kind not in ("hard_negative", "ordinary"):
            raise ValueError(f"{path}: not_at_risk groups are hard_negative and ordinary, not {kind!r}")
        messages += [LabelledMessage(str(text), False, None, kind == "hard_negative") for text in texts]
    return messages


class _Features:
    """Word 1-2-grams and character 2-5-grams (robust to typos), TF-IDF weighted, side by side."""

    def __init__(self) -> None:
        self.vectorisers = (
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        )

    def fit_transform(self, texts: Sequence[str]) -> csr_matrix:
        return csr_matrix(hstack([v.fit_transform(texts) for v in self.vectorisers]))

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        return csr_matrix(hstack([v.transform(texts) for v in self.vectorisers]))


def _fit_risk(prepared: Sequence[str], labels: Sequence[bool]) -> tuple[_Features, LogisticRegression]:
    features = _Features()
    model = LogisticRegression(C=8.0, class_weight="balanced", max_iter=2000, random_state=RANDOM_STATE)
    model.fit(features.fit_transform(prepared), list(labels))
    return features, model


class _FoldedModels:
    """The trained models folded into plain lookups: one message costs a fraction of a millisecond.

    scikit-learn's per-call overhead (input checks, sparse matrices) is a few milliseconds for a single
    short text; this computes the same sublinear TF-IDF with an L2 norm per block of features, then the
    linear models, directly. A unit test checks it against scikit-learn's own answers.
    """

    def __init__(self, features: _Features, risk: LogisticRegression, kind: LinearSVC) -> None:
        sign = 1.0 if bool(risk.classes_[1]) else -1.0  # classes_ are sorted: [False, True]
        self._risk_weights = sign * risk.coef_[0]
        self._risk_intercept = sign * float(risk.intercept_[0])
        self._kind_weights = kind.coef_
        self._kind_intercepts = kind.intercept_
        self._kinds = [str(label) for label in kind.classes_]
        self._blocks: list[tuple[Callable[[str], list[str]], dict[str, tuple[int, float]]]] = []
        offset = 0
        for vectoriser in features.vectorisers:
            idf = vectoriser.idf_
            table = {term: (offset + index, float(idf[index])) for term, index in vectoriser.vocabulary_.items()}
            self._blocks.append((vectoriser.build_analyzer(), table))
            offset += len(vectoriser.vocabulary_)

    def _vector(self, text: str) -> tuple[list[int], list[float]]:
        indices: list[int] = []
        values: list[float] = []
        for analyse, table in self._blocks:
            start = len(values)
            for term, count in Counter(analyse(text)).items():
                entry = table.get(term)
                if entry is not None:
                    indices.append(entry[0])
                    values.append((1.0 + math.log(count)) * entry[1])
            norm = math.sqrt(sum(v * v for v in values[start:]))
            for i in range(start, len(values)):
                values[i] /= norm
        return indices, values

    def probability(self, text: str) -> float:
        indices, values = self._vector(text)
        weights = self._risk_weights
        z = self._risk_intercept + sum(weights[i] * v for i, v in zip(indices, values, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def kind(self, text: str) -> str:
        indices, values = self._vector(text)
        scores = self._kind_intercepts + self._kind_weights[:, indices] @ np.asarray(values)
        return self._kinds[int(np.argmax(scores))]


class RiskClassifier:
    """The trained models: how likely a message is to be at risk, and which kind of risk."""

    def __init__(self, features: _Features, risk: LogisticRegression, kind: LinearSVC) -> None:
        self._features = features
        self._risk = risk
        self._kind = kind
        self._folded = _FoldedModels(features, risk, kind)

    def score(self, prepared: str) -> float:
        """Probability that the prepared text (see ``safety.rules.prepare``) is at risk."""
        return self._folded.probability(prepared)

    def category(self, prepared: str) -> str:
        """The most likely kind of risk for a prepared text already judged at risk."""
        return self._folded.kind(prepared)

    def reference_score(self, prepared: str) -> float:
        """``score`` computed by scikit-learn itself (slow; for checking the folded models)."""
        positive_column = list(self._risk.classes_).index(True)
        return float(self._risk.predict_proba(self._features.transform([prepared]))[0, positive_column])

    def reference_category(self, prepared: str) -> str:
        """``category`` computed by scikit-learn itself (slow; for checking the folded models)."""
        return str(self._kind.predict(self._features.transform([prepared]))[0])


def train(messages: Sequence[LabelledMessage]) -> RiskClassifier:
    """Fit both models on ``messages`` (deterministic: fixed random state)."""
    prepared = [prepare(m.text)[0] for m in messages]
    features, risk = _fit_risk(prepared, [m.at_risk for m in messages])
    positives = [(text, m.category) for text, m in zip(prepared, messages, strict=True) if m.at_risk]
    # The kind model shares the risk model's features; a linear SVM is enough to rank six kinds.
    kind = LinearSVC(C=1.0, random_state=RANDOM_STATE)
    kind.fit(features.transform([text for text, _ in positives]), [category for _, category in positives])
    return RiskClassifier(features, risk, kind)


def cross_validated_threshold(
    messages: Sequence[LabelledMessage], folds: int = 5, max_false_positive_rate: float = MAX_CV_FALSE_POSITIVE_RATE
) -> ThresholdChoice:
    """Pick the threshold from out-of-fold scores on ``messages`` (the training set, never the evaluation set)."""
    prepared = [prepare(m.text)[0] for m in messages]
    labels = np.array([m.at_risk for m in messages])
    scores = np.zeros(len(messages))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=RANDOM_STATE)
    for train_index, test_index in splitter.split(prepared, labels):
        features, model = _fit_risk([prepared[i] for i in train_index], labels[train_index])
        positive_column = list(model.classes_).index(True)
        held_out = features.transform([prepared[i] for i in test_index])
        scores[test_index] = model.predict_proba(held_out)[:, positive_column]
    for threshold in np.round(np.arange(0.05, 1.0, 0.05), 2):
        flagged = scores >= threshold
        false_positive_rate = float(flagged[~labels].mean())
        if false_positive_rate <= max_false_positive_rate:
            return ThresholdChoice(float(threshold), float(flagged[labels].mean()), false_positive_rate)
    return ThresholdChoice(1.0, 0.0, 0.0)


_lock = threading.Lock()
_trained: RiskClassifier | None = None


def get_classifier() -> RiskClassifier:
    """The process's classifier, trained on first use (thread-safe)."""
    global _trained
    if _trained is None:
        with _lock:
            if _trained is None:
                _trained = train(load_training_set())
    return _trained
