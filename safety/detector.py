"""The one entry point: ``assess(text, classifier)``, called on every message before anything else sees it.

A message is at risk when a risk rule matches (after hard negatives and clearly-past clauses are
masked), when the classifier's probability reaches its cross-validated threshold (for a message of
``CLASSIFIER_MIN_WORDS`` words or more), or when one
sentence of a long message, judged alone, reaches the higher threshold for parts. Rules give high
recall on the phrasings people really use; the classifier, reading sentence embeddings as well as
words, catches paraphrases no rule foresaw. The caller gives the classifier
(``safety.model_file.get_classifier`` with the models directory of its settings).
"""

from __future__ import annotations

import re
from dataclasses import replace

from safety.classifier import PART_THRESHOLD, THRESHOLD, RiskClassifier
from safety.continuation import carries_on, names_danger, settles
from safety.models import SafetyAssessment
from safety.rules import apply_rules

# What ``rule_matches`` names when a message is at risk only because it carries on the turn before:
# with a word of danger of its own, or quietly (then the next message carries on only with one).
CARRIES_ON = "continues.earlier_risk"
CARRIES_ON_QUIETLY = "continues.earlier_risk.quietly"
# A message of one or two words ('phone' in the contact form, 'dad', 'evenings') is judged by the rules
# and, after a risk, by ``carry_on``, not by the classifier. Its training set has almost no risk that
# short (6 of 2,468 at-risk messages have three words or fewer: rules catch four, the other two carry
# a risk on), so its score on one word is a guess: 'phone' scored 0.76 once holdout14 joined the
# training set, whose risks often mention a phone taken or switched off (docs/safety.md).
CLASSIFIER_MIN_WORDS = 3
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def assess(text: str, classifier: RiskClassifier, after_risk: bool = False) -> SafetyAssessment:
    """Judge one message. Once ``warm_up()`` has run, one sentence embedding is most of the cost.

    ``after_risk``: the conversation's turn before this one was at risk, so a message that carries
    that situation on ('police are here', 'she's 6') is at risk too (safety.continuation).
    """
    outcome = apply_rules(text)
    score, likely_kind = classifier.score_and_category(outcome.masked)
    long_enough = len(_WORD.findall(text.lower())) >= CLASSIFIER_MIN_WORDS
    at_risk = bool(outcome.matches) or (long_enough and score >= THRESHOLD)
    matches = outcome.matches
    part_score = 0.0
    if not at_risk and long_enough:
        # One clause of a long message may carry the risk its other words dilute.
        part_score, part_kind = classifier.strongest_part(outcome.masked)
        if part_score >= PART_THRESHOLD:
            at_risk, likely_kind = True, part_kind
    categories = outcome.categories
    if at_risk and not categories:
        # A rule of no one kind, or the classifier alone, raised the alarm: let the classifier name the kind.
        categories = (likely_kind,)
    assessment = SafetyAssessment(
        at_risk=at_risk,
        categories=categories if at_risk else (),
        urgent=at_risk,
        rule_matches=matches,
        classifier_score=round(score, 4),
        part_score=round(part_score, 4),
        hard_negatives=outcome.hard_negatives,
    )
    return carry_on(assessment, text) if after_risk else assessment


def carry_on(assessment: SafetyAssessment, text: str, quietly_before: bool = False) -> SafetyAssessment:
    """``assessment`` of a message that follows a turn at risk, read in the light of that turn.

    After such a turn this function owns the decision. At risk when the message carries that
    situation on. Not at risk when it says the matter is in hand (help reached, the person safe, the
    call being made: ``safety.continuation.settles``) and names no danger that is still going on,
    however the message was flagged: the classifier reads 'police' and 'ambulance' as a new alarm,
    and a rule may match 'rang 999, they're sending an ambulance', but the family is doing what the
    safety response said. On the follow-up sets (bench/safety/followups_*.yml) the classifier and
    rules flagged most such calm turns before this reading took them over.

    The gateway calls it once it knows the turn before was at risk, so the conversation's history
    is read only then. The kind of risk was named on the turn before; a message carried on names none.

    ``quietly_before``: the turn before was itself carried on quietly (``carried_quietly``), so
    only a message naming a danger carries on from it.
    """
    if assessment.at_risk:
        if not settles(text):
            return assessment
        return replace(assessment, at_risk=False, categories=(), urgent=False)
    if not carries_on(text, quietly_before):
        return assessment
    reason = CARRIES_ON if names_danger(text) else CARRIES_ON_QUIETLY
    return replace(assessment, at_risk=True, urgent=True, rule_matches=(reason,))


def carried_quietly(assessment: SafetyAssessment) -> bool:
    """At risk only because the turn before was, with no word of danger of its own."""
    return assessment.rule_matches == (CARRIES_ON_QUIETLY,)


def warm_up(classifier: RiskClassifier) -> None:
    """Load the embedding model now and run the classifier once, so the first family to write does not wait.

    Blocking: call it off the event loop.
    """
    assess("is there a holiday club in stroud", classifier)
