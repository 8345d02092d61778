"""A classifier that catches risky paraphrases the rules do not know.

Two views of the same prepared text (normalised, hard negatives and clearly-past clauses masked; see
``safety.rules.prepare``), so idioms, SEND jargon and old harm do not look risky to it either:

- lexical: TF-IDF over word 1-2-grams and character 2-5-grams (robust to typos; ``safety.lexical``);
- semantic: sentence embeddings from the project's embedding model (``safety.semantic``), which
  place a paraphrase near the messages it means the same as, whatever its words.

Four ways to turn them into a probability were compared by 5-fold cross-validation on the training
set (``compare_models``): logistic regression on each view alone, the mean of those two
probabilities, and one logistic regression on both views side by side ("stacked"). ``MODEL`` is the
one with the highest out-of-fold recall within the false-positive budget (ties: the higher average
precision); a unit test recomputes the comparison, so the constant cannot drift from the procedure.

The decision threshold is chosen the same way, on the training set only (``cross_validated_threshold``):
the lowest threshold, on a 0.01 grid, whose out-of-fold false-positive rate on the training set's
not-at-risk messages is at most ``MAX_CV_FALSE_POSITIVE_RATE``. The lowest such threshold keeps as
much recall as the budget allows; the rules carry most of the recall, so the classifier's false
positives add straight to the combined rate. Change the training set, rerun the procedure, update
``MODEL`` and ``THRESHOLD``. The evaluation set is never used here.

Out of fold on the current training set (2187 messages, 918 at risk), within a 3% false-positive
budget: lexical 0.755 recall (threshold 0.79), semantic 0.711 (0.78), mean 0.826 (0.68), stacked
0.847 (0.74, false-positive rate 0.030, 0.047 on hard negatives, average precision 0.969).
Embeddings alone do worse than words alone here (many hard negatives mean nearly the same as a risk
and differ in one word, such as "years ago"), but together they do best. (On the previous set, 1629
messages without the short everyday follow-ups, "mean" won at 0.68: 0.834 recall, stacked 0.821.)

A second model, trained on the at-risk messages only, names the kind of risk when a rule without a
category, or the classifier alone, raised the alarm.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import yaml
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from safety.lexical import FoldedTfidf, TfidfFeatures
from safety.models import CATEGORIES
from safety.rules import prepare
from safety.semantic import SentenceEncoder, get_encoder

ModelName = Literal["lexical", "semantic", "mean", "stacked"]
MODELS: tuple[ModelName, ...] = get_args(ModelName)

TRAINING_FILE = Path(__file__).resolve().parent / "data" / "training.yml"
MODEL: ModelName = "stacked"
THRESHOLD = 0.74
MAX_CV_FALSE_POSITIVE_RATE = 0.03
RANDOM_STATE = 0
# Regularisation of each logistic regression (larger = weaker), and how much the embedding counts
# next to the two unit-length TF-IDF blocks when they are stacked. Fixed, not searched: a search would
# have to be cross-validated inside each fold to give honest figures, and these are not sensitive.
_C_LEXICAL = 8.0
_C_SEMANTIC = 4.0
_C_STACKED = 4.0
_EMBEDDING_WEIGHT = 1.5

Vectors = NDArray[np.float32]


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
    hard_negative_false_positive_rate: float = 0.0
    average_precision: float = 0.0


def load_training_set(path: Path = TRAINING_FILE) -> list[LabelledMessage]:
    """Read the training messages; raise ValueError if the file is not in the expected shape."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages: list[LabelledMessage] = []
    for category, texts in data["at_risk"].items():
        if category not in CATEGORIES:
            raise ValueError(f"{path}: unknown category {category!r}")
        messages += [LabelledMessage(" ".join(str(text).split()), True, category) for text in texts]
    for kind, texts in data["not_at_risk"].items():
        if kind not in ("hard_negative", "ordinary"):
            raise ValueError(f"{path}: not_at_risk groups are hard_negative and ordinary, not {kind!r}")
        messages += [
            LabelledMessage(" ".join(str(text).split()), False, None, kind == "hard_negative") for text in texts
        ]
    return messages


def _logistic(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=RANDOM_STATE)


def _positive(model: LogisticRegression, rows: csr_matrix | Vectors) -> NDArray[np.float64]:
    column = list(model.classes_).index(True)
    return np.asarray(model.predict_proba(rows)[:, column], dtype=np.float64)


def _stack(lexical: csr_matrix, vectors: Vectors) -> csr_matrix:
    return csr_matrix(hstack([lexical, csr_matrix(vectors.astype(np.float64) * _EMBEDDING_WEIGHT)]))


@dataclass
class _RiskModel:
    """The fitted risk model of one kind, applied the slow, reference way (scikit-learn)."""

    name: ModelName
    features: TfidfFeatures
    lexical: LogisticRegression | None
    semantic: LogisticRegression | None
    stacked: LogisticRegression | None

    def probabilities(self, prepared: Sequence[str], vectors: Vectors) -> NDArray[np.float64]:
        if self.name == "stacked":
            assert self.stacked is not None
            return _positive(self.stacked, _stack(self.features.transform(prepared), vectors))
        lexical = _positive(self.lexical, self.features.transform(prepared)) if self.lexical else None
        semantic = _positive(self.semantic, vectors.astype(np.float64)) if self.semantic else None
        if lexical is not None and semantic is not None:
            return (lexical + semantic) / 2.0
        result = lexical if lexical is not None else semantic
        assert result is not None
        return result


def _fit_risk(name: ModelName, prepared: Sequence[str], vectors: Vectors, labels: Sequence[bool]) -> _RiskModel:
    features = TfidfFeatures()
    lexical_rows = features.fit_transform(prepared)
    targets = list(labels)
    lexical = semantic = stacked = None
    if name in ("lexical", "mean"):
        lexical = _logistic(_C_LEXICAL).fit(lexical_rows, targets)
    if name in ("semantic", "mean"):
        semantic = _logistic(_C_SEMANTIC).fit(vectors.astype(np.float64), targets)
    if name == "stacked":
        stacked = _logistic(_C_STACKED).fit(_stack(lexical_rows, vectors), targets)
    return _RiskModel(name, features, lexical, semantic, stacked)


def _sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-z)))


class RiskClassifier:
    """The trained models: how likely a message is to be at risk, and which kind of risk.

    ``score`` and ``category`` are the fast paths (plain lookups and one embedding, a few
    milliseconds); the ``reference_`` methods compute the same through scikit-learn, for tests.
    """

    def __init__(self, risk: _RiskModel, kind: LinearSVC, encoder: SentenceEncoder) -> None:
        self._risk = risk
        self._kind = kind
        self._encoder = encoder
        self._folded = FoldedTfidf(risk.features)
        self._lexical_size = risk.features.size
        self._kinds = [str(label) for label in kind.classes_]

    @property
    def model(self) -> ModelName:
        """Which of ``MODELS`` this classifier uses."""
        return self._risk.name

    @staticmethod
    def _signed(model: LogisticRegression) -> tuple[NDArray[np.float64], float]:
        sign = 1.0 if bool(model.classes_[1]) else -1.0  # classes_ are sorted: [False, True]
        return sign * model.coef_[0], sign * float(model.intercept_[0])

    def _views(self, prepared: str) -> tuple[list[int], list[float], NDArray[np.float64]]:
        indices, values = self._folded.vector(prepared)
        return indices, values, self._encoder.vector(prepared).astype(np.float64)

    def _score(self, indices: list[int], values: list[float], vector: NDArray[np.float64]) -> float:
        risk = self._risk
        if risk.stacked is not None:
            weights, intercept = self._signed(risk.stacked)
            semantic = float(weights[self._lexical_size :] @ (vector * _EMBEDDING_WEIGHT))
            return _sigmoid(intercept + FoldedTfidf.dot(weights, indices, values) + semantic)
        parts = []
        if risk.lexical is not None:
            weights, intercept = self._signed(risk.lexical)
            parts.append(_sigmoid(intercept + FoldedTfidf.dot(weights, indices, values)))
        if risk.semantic is not None:
            weights, intercept = self._signed(risk.semantic)
            parts.append(_sigmoid(intercept + float(weights @ vector)))
        return sum(parts) / len(parts)

    def _category(self, indices: list[int], values: list[float], vector: NDArray[np.float64]) -> str:
        weights = self._kind.coef_
        scores = (
            self._kind.intercept_
            + weights[:, indices] @ np.asarray(values)
            + weights[:, self._lexical_size :] @ (vector * _EMBEDDING_WEIGHT)
        )
        return self._kinds[int(np.argmax(scores))]

    def score(self, prepared: str) -> float:
        """Probability that the prepared text (see ``safety.rules.prepare``) is at risk."""
        return self._score(*self._views(prepared))

    def category(self, prepared: str) -> str:
        """The most likely kind of risk for a prepared text already judged at risk."""
        return self._category(*self._views(prepared))

    def score_and_category(self, prepared: str) -> tuple[float, str]:
        """``score`` and ``category`` together, embedding the text once (what ``assess`` uses)."""
        views = self._views(prepared)
        return self._score(*views), self._category(*views)

    def reference_score(self, prepared: str) -> float:
        """``score`` computed by scikit-learn itself (slow; for checking the fast path)."""
        vectors = self._encoder.vector(prepared)[np.newaxis, :]
        return float(self._risk.probabilities([prepared], vectors)[0])

    def reference_category(self, prepared: str) -> str:
        """``category`` computed by scikit-learn itself (slow; for checking the fast path)."""
        vectors = self._encoder.vector(prepared)[np.newaxis, :]
        return str(self._kind.predict(_stack(self._risk.features.transform([prepared]), vectors))[0])


def _prepared_and_vectors(
    messages: Sequence[LabelledMessage], encoder: SentenceEncoder
) -> tuple[list[str], Vectors, NDArray[np.bool_]]:
    prepared = [prepare(m.text)[0] for m in messages]
    return prepared, encoder.training_vectors(prepared), np.array([m.at_risk for m in messages])


def train(
    messages: Sequence[LabelledMessage], model: ModelName = MODEL, encoder: SentenceEncoder | None = None
) -> RiskClassifier:
    """Fit the risk model ``model`` and the kind model on ``messages`` (deterministic: fixed random state)."""
    encoder = encoder or get_encoder()
    prepared, vectors, labels = _prepared_and_vectors(messages, encoder)
    risk = _fit_risk(model, prepared, vectors, list(labels))
    positive = [i for i, m in enumerate(messages) if m.at_risk]
    # The kind model reads both views; a linear SVM is enough to rank six kinds.
    kind = LinearSVC(C=1.0, random_state=RANDOM_STATE, max_iter=10000)
    kind.fit(
        _stack(risk.features.transform([prepared[i] for i in positive]), vectors[positive]),
        [messages[i].category for i in positive],
    )
    return RiskClassifier(risk, kind, encoder)


def out_of_fold_scores(
    messages: Sequence[LabelledMessage], model: ModelName, folds: int = 5, encoder: SentenceEncoder | None = None
) -> NDArray[np.float64]:
    """Each message's probability from a model fitted on the other folds (stratified, fixed seed)."""
    prepared, vectors, labels = _prepared_and_vectors(messages, encoder or get_encoder())
    scores = np.zeros(len(messages))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=RANDOM_STATE)
    for train_index, test_index in splitter.split(prepared, labels):
        fitted = _fit_risk(model, [prepared[i] for i in train_index], vectors[train_index], list(labels[train_index]))
        scores[test_index] = fitted.probabilities([prepared[i] for i in test_index], vectors[test_index])
    return scores


def choose_threshold(
    scores: NDArray[np.float64],
    messages: Sequence[LabelledMessage],
    max_false_positive_rate: float = MAX_CV_FALSE_POSITIVE_RATE,
) -> ThresholdChoice:
    """The lowest threshold on a 0.01 grid whose false-positive rate over ``messages`` is within budget."""
    labels = np.array([m.at_risk for m in messages])
    hard = np.array([m.hard_negative for m in messages])
    precision = float(average_precision_score(labels, scores))
    for threshold in np.round(np.arange(0.05, 1.0, 0.01), 2):
        flagged = scores >= threshold
        false_positive_rate = float(flagged[~labels].mean())
        if false_positive_rate <= max_false_positive_rate:
            return ThresholdChoice(
                float(threshold),
                float(flagged[labels].mean()),
                false_positive_rate,
                float(flagged[hard].mean()) if hard.any() else 0.0,
                precision,
            )
    return ThresholdChoice(1.0, 0.0, 0.0, 0.0, precision)


def cross_validated_threshold(
    messages: Sequence[LabelledMessage],
    folds: int = 5,
    max_false_positive_rate: float = MAX_CV_FALSE_POSITIVE_RATE,
    model: ModelName = MODEL,
) -> ThresholdChoice:
    """Pick the threshold from out-of-fold scores on ``messages`` (the training set, never the evaluation set)."""
    return choose_threshold(out_of_fold_scores(messages, model, folds), messages, max_false_positive_rate)


def compare_models(
    messages: Sequence[LabelledMessage], folds: int = 5, max_false_positive_rate: float = MAX_CV_FALSE_POSITIVE_RATE
) -> dict[ModelName, ThresholdChoice]:
    """Every model's cross-validated threshold and out-of-fold figures on ``messages``."""
    return {name: cross_validated_threshold(messages, folds, max_false_positive_rate, name) for name in MODELS}


def best_model(choices: dict[ModelName, ThresholdChoice]) -> ModelName:
    """The model with the highest out-of-fold recall within budget; ties go to the higher average precision."""
    return max(MODELS, key=lambda name: (choices[name].recall, choices[name].average_precision))


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
