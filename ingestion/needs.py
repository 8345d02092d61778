"""The SEND needs a service record names, in the Local Offer's own broad groups.

Read from the record's provision type, name and description with word-boundary keyword rules:
records are short and written in a controlled vocabulary, so rules are enough and stay explainable.
"""

from __future__ import annotations

import re

from ingestion.models import ServiceRecord

# Need group -> words that name it (lower case; matched on word starts).
NEED_WORDS: dict[str, tuple[str, ...]] = {
    "autism": ("autism", "autistic", "asd", "asc"),
    "adhd": ("adhd", "attention deficit"),
    "speech and language": ("speech", "language", "slcn", "communication", "stammer"),
    "semh": ("semh", "mental health", "emotional", "wellbeing", "anxiety", "anxious"),
    "dyslexia": ("dyslexi", "dyscalculi", "dyspraxi", "specific learning"),
    "physical": ("physical", "mobility", "wheelchair", "cerebral palsy"),
    "sensory": ("sensory", "hearing", "deaf", "vision", "visual", "visually", "sight", "blind"),
    "learning disability": ("learning disabilit", "down syndrome", "down's syndrome"),
}
_PATTERNS = {
    need: re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + ")", re.I) for need, words in NEED_WORDS.items()
}


def needs_of(record: ServiceRecord) -> tuple[str, ...]:
    """The need groups a record mentions, in NEED_WORDS order."""
    text = " ".join(filter(None, (record.provision_type, record.name, record.description)))
    return tuple(need for need, pattern in _PATTERNS.items() if pattern.search(text))
