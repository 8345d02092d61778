"""The one shape every detector reports: a stretch of the message and what kind of identifier it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["name", "phone", "email", "nhs_number", "date_of_birth", "address", "postcode"]


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``text[start:end]`` hold an identifier of this kind."""

    start: int
    end: int
    kind: Kind

    def overlaps(self, other: Span) -> bool:
        """Whether the two stretches share at least one character."""
        return self.start < other.end and other.start < self.end
