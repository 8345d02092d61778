"""What the detector says about one message."""

from __future__ import annotations

from dataclasses import dataclass

# The kinds of risk the detector names. A message can carry more than one.
CATEGORIES: tuple[str, ...] = (
    "suicide_self_harm",
    "child_abuse_neglect",
    "domestic_abuse",
    "immediate_danger",
    "missing_person",
    "medical_emergency",
)


@dataclass(frozen=True)
class SafetyAssessment:
    """The detector's verdict on one message.

    ``at_risk``: give the safety response before anything else.
    ``urgent``: flag the conversation for urgent escalation to staff. Every at-risk message is
    urgent; the field is separate so that callers test the flag they act on.
    ``rule_matches`` and ``hard_negatives`` hold rule ids only, never the user's words, so an
    assessment can be logged without the message. ``hard_negatives`` names what was set aside before
    the risk rules and the classifier looked at the message: idioms, SEND phrases, game talk and
    process words (``hn.*`` ids), and clauses whose harm is clearly over or was never harm
    (``context.*`` ids).
    """

    at_risk: bool
    categories: tuple[str, ...]
    urgent: bool
    rule_matches: tuple[str, ...]
    classifier_score: float
    hard_negatives: tuple[str, ...] = ()
    # The highest score of one sentence (or pair) judged alone; 0.0 when not needed or one sentence.
    part_score: float = 0.0
