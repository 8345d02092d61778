"""A classifier that catches risky paraphrases the rules do not know.

It reads the same prepared text as the rules (normalised, hard negatives and clearly-past clauses
masked; see ``safety.rules.prepare``), so idioms, SEND jargon and old harm do not look risky to it
either, through two views:

- lexical: TF-IDF over word 1-2-grams and character 2-5-grams (robust to typos);
- semantic: sentence embeddings (``safety.semantic``), which place a paraphrase near the messages
  it means the same as, whatever its words.

Each way of turning the views into a probability is a scikit-learn estimator (``risk_estimator``):
logistic regression on each view alone, the mean of those two probabilities (soft voting), and one
logistic regression on both views side by side ("stacked"). ``compare_models`` cross-validates them
on the training set; ``MODEL`` is the one with the highest out-of-fold recall within the
false-positive budget (ties: the higher average precision), and ``THRESHOLD`` the lowest threshold
on a 0.01 grid whose out-of-fold false-positive rate is within ``MAX_CV_FALSE_POSITIVE_RATE``: the
rules carry most of the recall, so the classifier's false positives add straight to the combined
rate. A unit test reruns the procedure, so the constants cannot drift from it. Change the training
set, rerun it, update ``MODEL`` and ``THRESHOLD``. The evaluation sets are never used here; the
figures are in docs/safety.md.

A second model, trained on the at-risk messages only, names the kind of risk when a rule without a
category, or the classifier alone, raised the alarm.

Training happens at build time (``python -m signposting train``); a serving process loads the fitted
estimators (``safety.model_file``) and applies them with scikit-learn's own ``transform``,
``predict_proba`` and ``predict``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import yaml
from numpy.typing import NDArray
from sklearn import config_context
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from safety.models import CATEGORIES
from safety.rules import prepare
from safety.semantic import MessageEmbedding, SentenceEncoder, get_encoder

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
# The estimators' input: one row per message, its prepared text and its embedding (or None: the
# pipeline embeds it).
Rows = NDArray[np.object_]
_TEXT, _VECTOR = 0, 1


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


def rows(prepared: Sequence[str], vectors: Sequence[NDArray[np.float32] | None] | None = None) -> Rows:
    """The estimators' input for prepared texts, with their embeddings where the caller has them."""
    table = np.empty((len(prepared), 2), dtype=object)
    for index, text in enumerate(prepared):
        table[index, _TEXT] = text
        table[index, _VECTOR] = None if vectors is None else vectors[index]
    return table


def features(name: ModelName) -> ColumnTransformer:
    """The views model ``name`` reads, side by side (sparse: the TF-IDF blocks are mostly zeros)."""
    views: list[tuple[str, TfidfVectorizer | MessageEmbedding, int | list[int]]] = []
    if name in ("lexical", "stacked"):
        views += [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), _TEXT),
            ("characters", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2), _TEXT),
        ]
    if name in ("semantic", "stacked"):
        weight = _EMBEDDING_WEIGHT if name == "stacked" else 1.0
        views.append(("meaning", MessageEmbedding(weight), [_TEXT, _VECTOR]))
    return ColumnTransformer(views, sparse_threshold=1.0)


def _logistic(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=RANDOM_STATE)


def risk_estimator(name: ModelName) -> Pipeline | VotingClassifier:
    """The unfitted risk model ``name``: rows in, probability of being at risk out (``predict_proba``)."""
    if name == "mean":
        return VotingClassifier(
            [("lexical", risk_estimator("lexical")), ("semantic", risk_estimator("semantic"))], voting="soft"
        )
    strength = {"lexical": _C_LEXICAL, "semantic": _C_SEMANTIC, "stacked": _C_STACKED}[name]
    return Pipeline([("features", features(name)), ("classifier", _logistic(strength))])


def _at_risk_column(model: Pipeline | VotingClassifier) -> int:
    return list(model.classes_).index(True)


class RiskClassifier:
    """The fitted models: how likely a message is to be at risk, and which kind of risk.

    ``vector``: the embedding of the prepared text when the caller has it already, so that a
    message is embedded once; without it the pipeline embeds the text.
    """

    def __init__(self, name: ModelName, risk: Pipeline | VotingClassifier, kind: Pipeline) -> None:
        self.name = name
        self.risk = risk
        self.kind = kind
        self._at_risk = _at_risk_column(risk)

    @property
    def model(self) -> ModelName:
        """Which of ``MODELS`` this classifier uses."""
        return self.name

    def probabilities(self, table: Rows) -> NDArray[np.float64]:
        """Each row's probability of being at risk."""
        with _serving():
            return np.asarray(self.risk.predict_proba(table)[:, self._at_risk], dtype=np.float64)

    def kinds(self, table: Rows) -> list[str]:
        """Each row's most likely kind of risk."""
        with _serving():
            return [str(kind) for kind in self.kind.predict(table)]

    def score(self, prepared: str, *, vector: NDArray[np.float32] | None = None) -> float:
        """Probability that the prepared text (see ``safety.rules.prepare``) is at risk."""
        return float(self.probabilities(rows([prepared], [vector]))[0])

    def category(self, prepared: str, *, vector: NDArray[np.float32] | None = None) -> str:
        """The most likely kind of risk for a prepared text already judged at risk."""
        return self.kinds(rows([prepared], [vector]))[0]

    def score_and_category(self, prepared: str, *, vector: NDArray[np.float32] | None = None) -> tuple[float, str]:
        """``score`` and ``category`` together, embedding the text at most once (what ``assess`` uses)."""
        table = rows([prepared], [get_encoder().vector(prepared) if vector is None else vector])
        if not (isinstance(self.risk, Pipeline) and self.risk["features"] is self.kind["features"]):
            return float(self.probabilities(table)[0]), self.kinds(table)[0]
        # The two models read the same fitted features (the stacked model): transform once.
        with _serving():
            views = self.risk["features"].transform(table)
            score = self.risk["classifier"].predict_proba(views)[0, self._at_risk]
            return float(score), str(self.kind["classifier"].predict(views)[0])


@contextmanager
def _serving() -> Iterator[None]:
    # The fitted models' inputs are our own rows, checked when they were fitted: skipping
    # scikit-learn's per-call checks saves milliseconds a message and changes no result.
    with config_context(assume_finite=True, skip_parameter_validation=True):
        yield


def _prepared_and_vectors(
    messages: Sequence[LabelledMessage], encoder: SentenceEncoder
) -> tuple[Rows, NDArray[np.bool_]]:
    prepared = [prepare(m.text)[0] for m in messages]
    vectors = encoder.training_vectors(prepared)
    return rows(prepared, list(vectors)), np.array([m.at_risk for m in messages])


def train(
    messages: Sequence[LabelledMessage], model: ModelName = MODEL, encoder: SentenceEncoder | None = None
) -> RiskClassifier:
    """Fit the risk model ``model`` and the kind model on ``messages`` (deterministic: fixed random state)."""
    table, labels = _prepared_and_vectors(messages, encoder or get_encoder())
    risk = risk_estimator(model).fit(table, labels)
    # The kind model reads both views, with the vocabulary and weights learnt from every message; a
    # linear SVM is enough to rank six kinds.
    views = risk["features"] if model == "stacked" else features("stacked").fit(table)
    positive = [m.category for m in messages if m.at_risk]
    kind = LinearSVC(C=1.0, random_state=RANDOM_STATE, max_iter=10000).fit(views.transform(table[labels]), positive)
    return RiskClassifier(model, risk, Pipeline([("features", views), ("classifier", kind)]))


def out_of_fold_scores(
    messages: Sequence[LabelledMessage], model: ModelName, folds: int = 5, encoder: SentenceEncoder | None = None
) -> NDArray[np.float64]:
    """Each message's probability from a model fitted on the other folds (stratified, fixed seed)."""
    table, labels = _prepared_and_vectors(messages, encoder or get_encoder())
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=RANDOM_STATE)
    scores = cross_val_predict(risk_estimator(model), table, labels, cv=splitter, method="predict_proba")
    return np.asarray(scores[:, 1], dtype=np.float64)  # columns follow the sorted labels: [False, True]


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
    encoder: SentenceEncoder | None = None,
) -> ThresholdChoice:
    """Pick the threshold from out-of-fold scores on ``messages`` (the training set, never the evaluation set)."""
    scores = out_of_fold_scores(messages, model, folds, encoder)
    return choose_threshold(scores, messages, max_false_positive_rate)


def compare_models(
    messages: Sequence[LabelledMessage],
    folds: int = 5,
    max_false_positive_rate: float = MAX_CV_FALSE_POSITIVE_RATE,
    encoder: SentenceEncoder | None = None,
) -> dict[ModelName, ThresholdChoice]:
    """Every model's cross-validated threshold and out-of-fold figures on ``messages``."""
    return {name: cross_validated_threshold(messages, folds, max_false_positive_rate, name, encoder) for name in MODELS}


def best_model(choices: dict[ModelName, ThresholdChoice]) -> ModelName:
    """The model with the highest out-of-fold recall within budget; ties go to the higher average precision."""
    return max(MODELS, key=lambda name: (choices[name].recall, choices[name].average_precision))
