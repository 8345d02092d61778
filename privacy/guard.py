"""The last check on outgoing text: no identifier a redaction removed may come back out.

Rasa only ever sees the redacted message, so this should never fire. If a bug ever lets a
family's identifier into a reply (a template that echoes the message, a slot filled from the raw
text), the reply shows the placeholder instead, and the caller logs which kind it was.

The guard looks for exactly the stretches the redaction replaced (:attr:`Redaction.spans`), as
whole words, and for phone-like numbers by their digits, so '07700900123' and '+44 7700 900 123'
are the same number.
"""

from __future__ import annotations

import re
from typing import Final

from privacy.contacts import national_digits
from privacy.redaction import Redaction
from privacy.spans import PLACEHOLDERS, Kind

# Digits with the separators people write in phone numbers: '07700 900123', '+44 (0)7700-900-123'.
_DIGIT_RUN: Final = re.compile(r"\+?\(?\d(?:[ \t.\-()]{0,3}\d)+")
# Below this many digits a number is an age, a year or a count, not something that identifies anyone.
_MIN_IDENTIFYING_DIGITS: Final = 6


class IdentifierGuard:
    """Replaces, in any outgoing text, the identifiers that ``redaction`` took out of ``raw``."""

    def __init__(self, raw: str, redaction: Redaction, public: frozenset[str]) -> None:
        """``public``: the helplines the reply may give out, as :func:`privacy.contacts.public_numbers` gives them."""
        self._patterns: list[tuple[re.Pattern[str], Kind]] = []
        self._numbers: list[tuple[str, Kind]] = []
        for span in redaction.spans:
            identifier = raw[span.start : span.end]
            digits = national_digits(identifier)
            if digits in public:
                continue  # a helpline the reply itself gives out identifies a service, not the family
            if len(digits) >= _MIN_IDENTIFYING_DIGITS:
                self._numbers.append((digits, span.kind))
            if sum(char.isalnum() for char in identifier) >= 2:
                body = r"\s+".join(map(re.escape, identifier.split()))
                # Whole words only, so that the name 'Ann' leaves 'Annual review' alone.
                self._patterns.append((re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE), span.kind))
        self.kinds_replaced: list[Kind] = []

    @property
    def active(self) -> bool:
        """Whether there is anything to look for."""
        return bool(self._patterns or self._numbers)

    def clean(self, text: str) -> str:
        """``text`` with every removed identifier in it replaced by its placeholder."""
        for pattern, kind in self._patterns:
            text, count = pattern.subn(PLACEHOLDERS[kind], text)
            self.kinds_replaced += [kind] * count
        if self._numbers:
            text = _DIGIT_RUN.sub(self._replace_number, text)
        return text

    def _replace_number(self, match: re.Match[str]) -> str:
        # Compare digits, not characters, so '07700900123' and '+44 7700 900 123' both count.
        digits = national_digits(match.group())
        for number, kind in self._numbers:
            if number in digits:
                self.kinds_replaced.append(kind)
                return PLACEHOLDERS[kind]
        return match.group()
