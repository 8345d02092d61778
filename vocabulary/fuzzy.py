"""The one test of whether a typed word is a misspelling of a known one (edit distance, rapidfuzz).

Callers decide which words may be misspelt at all (long enough, not ordinary English); this
module only counts edits.
"""

from __future__ import annotations

from collections.abc import Collection

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein


def within_edits(text: str, target: str, edits: int) -> bool:
    """Whether ``text`` becomes ``target`` in at most ``edits`` insertions, deletions or substitutions."""
    return Levenshtein.distance(text, target, score_cutoff=edits) <= edits


def one_edit_apart(a: str, b: str) -> bool:
    """Whether two different words differ by one insertion, deletion, substitution or swap of neighbours."""
    return a != b and OSA.distance(a, b, score_cutoff=1) == 1


def one_edit_from(word: str, choices: Collection[str]) -> list[str]:
    """The ``choices`` one edit away from ``word`` (as :func:`one_edit_apart`), in sorted order."""
    found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=1, limit=None)
    return sorted(choice for choice, distance, _ in found if distance == 1)
