"""Safeguarding and crisis detection: every message passes through here before anything else.

``assess(text, classifier)`` says whether a message suggests that someone may be harmed now or soon
(rules for the clear phrasings, a classifier reading words and sentence embeddings for paraphrases);
``carry_on(assessment, text)`` marks a message at risk when it carries on the
situation of the turn before, which was at risk (the caller knows the conversation), and
``carried_quietly(assessment)`` says whether it did so with no word of danger of its own (the
caller remembers it for the next turn);
``get_classifier(models_dir)`` loads the trained classifier from the directory the caller's settings
name; ``warm_up(classifier)`` loads the embedding model first; ``safety_message(...)`` is what the
user is told first when a message is at risk.
"""

from __future__ import annotations

from safety.detector import assess, carried_quietly, carry_on, warm_up
from safety.model_file import get_classifier
from safety.models import CATEGORIES, SafetyAssessment
from safety.response import safety_message

__all__ = [
    "CATEGORIES",
    "SafetyAssessment",
    "assess",
    "carried_quietly",
    "carry_on",
    "get_classifier",
    "safety_message",
    "warm_up",
]
