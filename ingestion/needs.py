"""The SEND needs a service record names, in the Local Offer's own broad groups.

Read from the record's provision type, name and description with word-boundary keyword rules
(the words are :data:`vocabulary.needs.RECORD_WORDS`): records are short and written in a
controlled vocabulary, so rules are enough and stay explainable.
"""

from __future__ import annotations

import re

from ingestion.models import ServiceRecord
from vocabulary.needs import RECORD_WORDS

_PATTERNS = {
    need: re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + ")", re.I) for need, words in RECORD_WORDS.items()
}


def needs_of(record: ServiceRecord) -> tuple[str, ...]:
    """The need groups a record mentions, in vocabulary.needs.NEEDS order."""
    text = " ".join(filter(None, (record.provision_type, record.name, record.description)))
    return tuple(need for need, pattern in _PATTERNS.items() if pattern.search(text))
