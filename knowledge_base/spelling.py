"""The pages' spelling of words a family misspelt: 'anual reveiw' -> 'annual review'.

Families type fast on phones: 'anual reveiw', 'assesment', 'respit', 'colege', 'whelchair'. The
sentence embedding and BM25 both lose such a word, and with it the question's subject: 'whats the
difrence between the anual reveiw and normal parents evening' found no page near enough to answer.
So before a question is searched, each word that no page uses and that is not ordinary English is
matched to the pages' own words (and the words families use for them that the gazetteer knows,
such as 'respite') within one edit (two for a word of seven letters or more), and the
nearest, most used one is added to the question, as ``with_page_words`` adds the pages' names for
things. The message itself is never changed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from vocabulary.english import never_misspelt

# Shorter words are too often another word one edit away (a blue 'bage' is not a 'page').
MIN_LETTERS = 5
# From this length a word may be two edits from the page's spelling ('reveiw' is one swap; 'assesment' one
# deletion; 'difrence' two).
TWO_EDITS_FROM = 7
_WORD = re.compile(r"[a-z]+")


class PageSpelling:
    """The words the pages use, by how often, and the nearest of them to a word they do not use."""

    def __init__(self, texts: Iterable[str], family_words: Iterable[str] = ()) -> None:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w for w in _WORD.findall(text.lower()) if len(w) >= MIN_LETTERS)
        # Words families use for what the pages name otherwise ('respite': the pages say 'short
        # breaks'); counted once, so a page's own word wins a tie.
        counts.update(w for w in family_words if len(w) >= MIN_LETTERS and w not in counts)
        self._counts = counts
        self._words = list(counts)

    def spelling_of(self, word: str) -> str | None:
        """The pages' word for a misspelt ``word``, or None (a page word, ordinary English, or too far)."""
        word = word.lower()
        if len(word) < MIN_LETTERS or word in self._counts or word in never_misspelt():
            return None
        edits = 2 if len(word) >= TWO_EDITS_FROM else 1
        found = process.extract(word, self._words, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if not found:
            return None
        # The fewest edits first, then the word the pages use most.
        best = min(found, key=lambda f: (f[1], -self._counts[f[0]]))
        return str(best[0])

    def corrections(self, text: str) -> list[str]:
        """The pages' spelling of each misspelt word of ``text``, in order, once each."""
        found = (self.spelling_of(w) for w in _WORD.findall(text.lower()))
        return list(dict.fromkeys(w for w in found if w))

    def respelled(self, text: str) -> str:
        """``text`` with the pages' spelling of its misspelt words added in brackets."""
        fixed = self.corrections(text)
        return f"{text} ({' '.join(fixed)})" if fixed else text
