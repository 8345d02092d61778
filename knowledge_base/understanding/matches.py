"""What the matchers found in a message, and the token-pattern pieces the readers share.

Match labels are "kind|value": 'district|Stroud', 'need|autism', 'age|aged', 'age|stage:4'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from spacy.tokens import Span

Pattern = list[dict[str, Any]]

NUM: Final = {"LIKE_NUM": True}
HYPHEN: Final = {"ORTH": "-", "OP": "?"}
OLD: Final = {"LOWER": {"IN": ["old", "olds"]}}

PLACE_KINDS: Final = ("district", "in_context", "ambiguous")


def plain_pattern(nlp: Any, phrase: str) -> Pattern:
    """The phrase's tokens, exactly: for common English words, where a fuzzy match would misfire."""
    return [{"LOWER": token.lower_} for token in nlp.make_doc(phrase)]


@dataclass
class Found:
    """A message's matches, by kind."""

    places: list[Span] = field(default_factory=list)
    needs: list[Span] = field(default_factory=list)
    ages: list[Span] = field(default_factory=list)
    child: list[Span] = field(default_factory=list)
    settings: list[Span] = field(default_factory=list)
    plans: list[Span] = field(default_factory=list)
    self_described: list[Span] = field(default_factory=list)

    def add(self, span: Span) -> None:
        kind = span.label_.partition("|")[0]
        if kind in PLACE_KINDS:
            self.places.append(span)
        elif kind in ("need", "acronym"):
            self.needs.append(span)
        elif kind == "age":
            self.ages.append(span)
        elif kind == "child":
            self.child.append(span)
        elif kind == "setting":
            self.settings.append(span)
        elif kind == "plan":
            self.plans.append(span)
        elif kind == "self":
            self.self_described.append(span)


def longest_first(spans: list[Span]) -> list[Span]:
    """Of overlapping matches keep the longest, then the earliest (as spacy.util.filter_spans).

    'forest of dean' beats 'forest'; 'specific learning difficulties' beats 'learning difficulties'.
    """
    kept: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
        if not taken.intersection(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return kept
