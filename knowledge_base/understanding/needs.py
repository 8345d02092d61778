"""Needs: the SEND need groups a message names, in the order first mentioned.

Need groups are those of :data:`vocabulary.needs.NEEDS`; 'sensory processing' is in the sensory
group, where service records that use the word are. Acronyms that are also everyday words
('ADD', 'HI', 'SALT') count only in capitals, and not in a message written all in capitals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from knowledge_base.understanding.matches import Pattern, longest_first
from vocabulary.needs import CASE_SENSITIVE_NEEDS, NEED_SYNONYMS, NEEDS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

_SHORT_MESSAGE: Final = 3
# 'HI' opening a message is a greeting, unless a word after it shows it means hearing impairment.
_HEARING_WORDS: Final = frozenset({"support", "team", "service", "services", "unit", "teacher", "needs", "provision"})


def phrases() -> dict[str, tuple[str, ...]]:
    """Need phrases by match label ('need|autism')."""
    return {f"need|{need}": synonyms for need, synonyms in NEED_SYNONYMS.items()}


def token_patterns() -> dict[str, list[Pattern]]:
    """The acronyms matched only as written ('acronym|adhd' for 'ADD')."""
    patterns: dict[str, list[Pattern]] = {}
    for acronym, need in CASE_SENSITIVE_NEEDS.items():
        patterns.setdefault(f"acronym|{need}", []).append([{"ORTH": acronym}])
    return patterns


def read_needs(doc: Doc, spans: list[Span]) -> tuple[str, ...]:
    """The need groups named, first named first."""
    # A message in capitals throughout ('PLEASE ADD ME TO THE LIST') says nothing by its capitals.
    shouting = len(doc) > _SHORT_MESSAGE and doc.text.isupper()
    needs: list[str] = []
    for span in sorted(longest_first(spans), key=lambda s: s.start):
        kind, _, need = span.label_.partition("|")
        if kind == "acronym" and (shouting or _is_greeting(doc, span)):
            continue
        if need in NEEDS and need not in needs:
            needs.append(need)
    return tuple(needs)


def _is_greeting(doc: Doc, span: Span) -> bool:
    if span.text != "HI" or span.start != 0:
        return False
    return span.end >= len(doc) or doc[span.end].lower_ not in _HEARING_WORDS
