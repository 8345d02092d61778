"""The one entry point: ``assess(text)``, called on every message before anything else sees it.

A message is at risk when a risk rule matches (after hard negatives are masked) or when the
classifier's probability reaches its cross-validated threshold. Rules give high recall on the
phrasings people really use; the classifier catches paraphrases no rule foresaw.
"""

from __future__ import annotations

from safety.classifier import THRESHOLD, get_classifier
from safety.models import SafetyAssessment
from safety.rules import apply_rules


def assess(text: str) -> SafetyAssessment:
    """Judge one message. Fast (well under 5 ms) once ``warm_up()`` has trained the classifier."""
    outcome = apply_rules(text)
    classifier = get_classifier()
    score = classifier.score(outcome.masked)
    at_risk = bool(outcome.matches) or score >= THRESHOLD
    categories = outcome.categories
    if at_risk and not categories:
        # A rule of no one kind, or the classifier alone, raised the alarm: let the classifier name the kind.
        categories = (classifier.category(outcome.masked),)
    return SafetyAssessment(
        at_risk=at_risk,
        categories=categories if at_risk else (),
        urgent=at_risk,
        rule_matches=outcome.matches,
        classifier_score=round(score, 4),
        hard_negatives=outcome.hard_negatives,
    )


def warm_up() -> None:
    """Train the classifier now (about a second) so that the first user does not wait for it."""
    get_classifier()
