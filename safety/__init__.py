"""Safeguarding and crisis detection: every message passes through here before anything else.

``assess(text)`` says whether a message suggests that someone may be harmed now or soon (rules for
the clear phrasings, a classifier reading words and sentence embeddings for paraphrases);
``warm_up()`` loads the trained classifier and the embedding model first; ``safety_message(...)``
is what the user is told first when a message is at risk.
"""

from __future__ import annotations

from safety.detector import assess, warm_up
from safety.models import CATEGORIES, SafetyAssessment
from safety.response import safety_message

__all__ = ["CATEGORIES", "SafetyAssessment", "assess", "safety_message", "warm_up"]
