"""Places: which of the county's districts a message names.

Each place maps to its district (:mod:`vocabulary.places`). 'Glos' goes to ``ambiguous_places``
(county or city?) and 'Gloucestershire' and 'the county' to nothing: they name no single district.
Place names that are also everyday words ('cam', 'stow', 'the forest') count only after a word
like 'in', 'near' or 'from', or when joined by 'and', 'or' or a comma to another place ('cam and
dursley'). 'Forest school' is an outdoor-learning approach, never the Forest of Dean. A place
followed by 'road' or 'street' is an address line, not where the family lives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from knowledge_base.understanding.matches import longest_first
from vocabulary.places import AMBIGUOUS_PLACES, NOT_A_PLACE_AFTER, PLACES, PLACES_IN_CONTEXT

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

_PLACE_PREPOSITIONS: Final = frozenset({"in", "near", "nr", "around", "round", "from", "at", "to", "outside", "by"})
_JOINERS: Final = frozenset({"and", "or", "&", ",", "/"})
_FOREST_SCHOOL: Final = frozenset({"school", "schools"})


def phrases() -> dict[str, tuple[str, ...]]:
    """Place phrases by match label ('district|Stroud', 'in_context|Stroud', 'ambiguous|glos')."""
    found: dict[str, tuple[str, ...]] = {}
    for district, names in PLACES.items():
        found[f"district|{district}"] = names
    for district, names in PLACES_IN_CONTEXT.items():
        found[f"in_context|{district}"] = names
    for name in AMBIGUOUS_PLACES:
        found[f"ambiguous|{name}"] = (name,)
    return found


def read_places(doc: Doc, spans: list[Span]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The districts named (first named first), the place words as written, and ambiguous words."""
    kept = [span for span in longest_first(spans) if not _is_address_or_activity(doc, span)]
    districts_named = [span for span in kept if span.label_.startswith("district|")]
    districts: list[str] = []
    written: list[str] = []
    ambiguous: list[str] = []
    for span in sorted(kept, key=lambda s: s.start):
        kind, _, value = span.label_.partition("|")
        if kind == "ambiguous":
            _append_new(ambiguous, span.text)
        elif kind == "district" or _reads_as_place(doc, span, districts_named):
            _append_new(districts, value)
            _append_new(written, span.text)
    return tuple(districts), tuple(written), tuple(ambiguous)


def _is_address_or_activity(doc: Doc, span: Span) -> bool:
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if after in NOT_A_PLACE_AFTER:
        return True
    return bool(span[-1].lower_ == "forest" and after in _FOREST_SCHOOL)


def _reads_as_place(doc: Doc, span: Span, districts_named: list[Span]) -> bool:
    # 'in cam', 'near the forest', 'cam and dursley', 'dursley, cam'.
    if span.start > 0 and doc[span.start - 1].lower_ in _PLACE_PREPOSITIONS:
        return True
    for other in districts_named:
        if other.start == span.end + 1 and doc[span.end].lower_ in _JOINERS:
            return True
        if other.end == span.start - 1 and doc[other.end].lower_ in _JOINERS:
            return True
    return False


def _append_new(items: list[str], item: str) -> None:
    if item.lower() not in (existing.lower() for existing in items):
        items.append(item)
