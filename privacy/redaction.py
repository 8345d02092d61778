"""Replace personal identifiers in a message with short placeholders before anything stores it.

Every detector reports the stretches it finds; where two overlap, the more specific detector
wins, in this order: email, NHS number, date of birth, postcode, address, phone number, name.
(An email holds names and digits; an NHS number is also ten digits a phone rule would take.)

Placeholders are in square brackets and hold no digits and no '@', so no rule matches them
again: redacting a redacted message changes nothing.

A redaction keeps the stretches it replaced (offsets into the raw text, never the text itself),
so the outgoing guard (:mod:`privacy.guard`) knows exactly what to look for without keeping a copy
of the message next to the redacted one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from privacy.contacts import find_emails, find_phone_numbers
from privacy.dates import find_birth_dates
from privacy.name_words import descriptive_words, ordinary_words
from privacy.names import find_names
from privacy.nhs import find_nhs_numbers
from privacy.places import find_addresses, find_postcodes
from privacy.spans import PLACEHOLDERS, Kind, Span

__all__ = ["PLACEHOLDERS", "Redaction", "redact", "warm_up"]


@dataclass(frozen=True)
class Redaction:
    """A message with its personal identifiers replaced, and where in the raw message they were."""

    text: str
    # The replaced stretches of the raw message, in order, none overlapping.
    spans: tuple[Span, ...] = ()

    @property
    def kinds(self) -> tuple[Kind, ...]:
        """The kinds replaced, in order of appearance."""
        return tuple(span.kind for span in self.spans)

    @property
    def changed(self) -> bool:
        """Whether anything was redacted."""
        return bool(self.spans)


def redact(text: str, public: frozenset[str] = frozenset()) -> Redaction:
    """Replace names, phone numbers, emails, NHS numbers, dates of birth, addresses and postcodes.

    ``public`` holds the helplines to keep, as :func:`privacy.contacts.public_numbers` gives them
    from the caller's settings (privacy reads no settings of its own). None by default: a caller
    that names none over-redacts a helpline, never leaks a family's number.
    ``redact(redact(t).text)`` gives the same text again, with no spans.
    """
    # Most specific first: a stretch already taken by an earlier detector is not taken again.
    detectors: tuple[Callable[[str], list[Span]], ...] = (
        find_emails,
        find_nhs_numbers,
        find_birth_dates,
        find_postcodes,
        find_addresses,
        partial(find_phone_numbers, public=public),
        find_names,
    )
    chosen: list[Span] = []
    for detect in detectors:
        for span in detect(text):
            if not any(span.overlaps(kept) for kept in chosen):
                chosen.append(span)
    spans = tuple(sorted(chosen))
    return Redaction(_replace(text, spans), spans)


def _replace(text: str, spans: Sequence[Span]) -> str:
    """``text`` with each of the ``spans`` (in order, not overlapping) swapped for its placeholder."""
    pieces: list[str] = []
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(span.placeholder)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def warm_up() -> None:
    """Load the word lists now rather than during the first message."""
    ordinary_words()
    descriptive_words()
