"""The one entry point: ``assess(text, classifier)``, called on every message before anything else sees it.

A message is at risk when a risk rule matches (after hard negatives and clearly-past clauses are
masked) or when the classifier's probability reaches its cross-validated threshold and the message is
near enough to an at-risk training message for that probability to mean something. Rules give high
recall on the phrasings people really use; the classifier, reading sentence embeddings as well as
words, catches paraphrases no rule foresaw. The caller gives the classifier
(``safety.model_file.get_classifier`` with the models directory of its settings).
"""

from __future__ import annotations

from safety.classifier import NEAREST_RISK_MIN_COSINE, THRESHOLD, RiskClassifier
from safety.models import SafetyAssessment
from safety.rules import apply_rules
from safety.semantic import get_encoder


def assess(text: str, classifier: RiskClassifier) -> SafetyAssessment:
    """Judge one message. Once ``warm_up()`` has run, one sentence embedding is most of the cost."""
    outcome = apply_rules(text)
    vector = get_encoder().vector(outcome.masked)
    score, likely_kind = classifier.score_and_category(outcome.masked, vector=vector)
    nearest = classifier.nearest_risk(vector)
    at_risk = bool(outcome.matches) or (score >= THRESHOLD and nearest >= NEAREST_RISK_MIN_COSINE)
    categories = outcome.categories
    if at_risk and not categories:
        # A rule of no one kind, or the classifier alone, raised the alarm: let the classifier name the kind.
        categories = (likely_kind,)
    return SafetyAssessment(
        at_risk=at_risk,
        categories=categories if at_risk else (),
        urgent=at_risk,
        rule_matches=outcome.matches,
        classifier_score=round(score, 4),
        nearest_risk=round(nearest, 4),
        hard_negatives=outcome.hard_negatives,
    )


def warm_up(classifier: RiskClassifier) -> None:
    """Load the embedding model now and run the classifier once, so the first family to write does not wait.

    Blocking: call it off the event loop.
    """
    assess("is there a holiday club in stroud", classifier)
