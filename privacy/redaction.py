"""Replace personal identifiers in a message with short placeholders before anything stores it.

Every detector reports the stretches it finds; where two overlap, the more specific detector
wins, in this order: email, NHS number, date of birth, postcode, address, phone number, name.
(An email holds names and digits; an NHS number is also ten digits a phone rule would take.)

Placeholders are in square brackets and hold no digits and no '@', so no rule matches them
again: redacting a redacted message changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from privacy.contacts import find_emails, find_phone_numbers
from privacy.dates import find_birth_dates
from privacy.name_words import descriptive_words, ordinary_words
from privacy.names import find_names
from privacy.nhs import find_nhs_numbers
from privacy.places import find_addresses, find_postcodes
from privacy.spans import Kind, Span

PLACEHOLDERS: dict[Kind, str] = {
    "name": "[name]",
    "phone": "[phone number]",
    "email": "[email]",
    "nhs_number": "[NHS number]",
    "date_of_birth": "[date of birth]",
    "address": "[address]",
    "postcode": "[postcode]",
}

# Most specific first: a stretch already taken by an earlier detector is not taken again.
_DETECTORS: tuple[Callable[[str], list[Span]], ...] = (
    find_emails,
    find_nhs_numbers,
    find_birth_dates,
    find_postcodes,
    find_addresses,
    find_phone_numbers,
    find_names,
)


@dataclass(frozen=True)
class Redaction:
    """A message with its personal identifiers replaced, and the kinds replaced in order of appearance."""

    text: str
    kinds: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether anything was redacted."""
        return bool(self.kinds)


def redact(text: str) -> Redaction:
    """Replace names, phone numbers, emails, NHS numbers, dates of birth, addresses and postcodes.

    ``redact(redact(t).text)`` gives the same text again, with no kinds.
    """
    chosen: list[Span] = []
    for detect in _DETECTORS:
        for span in detect(text):
            if not any(span.overlaps(kept) for kept in chosen):
                chosen.append(span)
    chosen.sort()
    pieces: list[str] = []
    position = 0
    for span in chosen:
        pieces.append(text[position : span.start])
        pieces.append(PLACEHOLDERS[span.kind])
        position = span.end
    pieces.append(text[position:])
    return Redaction("".join(pieces), tuple(span.kind for span in chosen))


def warm_up() -> None:
    """Load the word lists now rather than during the first message (about 50 ms)."""
    ordinary_words()
    descriptive_words()
