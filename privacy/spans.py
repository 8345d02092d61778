"""The one shape every detector reports: a stretch of the message and what kind of identifier it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Kind = Literal["name", "phone", "email", "nhs_number", "date_of_birth", "address", "postcode"]

# In square brackets with no digits and no '@', so no detector matches a placeholder again.
PLACEHOLDERS: Final[dict[Kind, str]] = {
    "name": "[name]",
    "phone": "[phone number]",
    "email": "[email]",
    "nhs_number": "[NHS number]",
    "date_of_birth": "[date of birth]",
    "address": "[address]",
    "postcode": "[postcode]",
}


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``text[start:end]`` hold an identifier of this kind."""

    start: int
    end: int
    kind: Kind

    @property
    def placeholder(self) -> str:
        """What the redacted text holds instead of these characters."""
        return PLACEHOLDERS[self.kind]

    def overlaps(self, other: Span) -> bool:
        """Whether the two stretches share at least one character."""
        return self.start < other.end and other.start < self.end
