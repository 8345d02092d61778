"""How word lists are written down in this package."""

from __future__ import annotations


def word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text, as a set (word lists read best as prose)."""
    return frozenset(words.split())
