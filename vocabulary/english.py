"""The one English word list: spaCy's English lookup tables (the ``spacy-lookups-data`` package).

Two tables, read straight from the package's gzipped JSON so that spaCy itself (a three-second
import) is never loaded, and read once per process:

- the lemma lookup: inflected form -> base form ('impairments' -> 'impairment');
- the lemma index: the base forms of English words by part of speech (WordNet's index).

Each reader of the list decides which parts it trusts: the privacy redactor leaves out most nouns
(the noun index lists people from history and the Bible, exactly the names families type), while
the misspelling tests count every English word as 'not a misspelling'.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Final, Literal

PartOfSpeech = Literal["noun", "verb", "adj", "adv"]
PARTS_OF_SPEECH: Final[tuple[PartOfSpeech, ...]] = ("noun", "verb", "adj", "adv")

_PACKAGE: Final = "spacy_lookups_data"


@cache
def _table(name: str) -> dict[str, object]:
    path = files(_PACKAGE).joinpath("data", f"en_{name}.json.gz")
    with gzip.open(str(path), "rt", encoding="utf-8") as handle:
        table: dict[str, object] = json.load(handle)
    return table


def lemma_lookup() -> Mapping[str, str]:
    """Inflected word forms -> their base form, as written in the table (mostly lower case)."""
    return _table("lemma_lookup")  # type: ignore[return-value]


def lemma_index() -> Mapping[PartOfSpeech, Sequence[str]]:
    """The base forms of English words, by part of speech."""
    return _table("lemma_index")  # type: ignore[return-value]


@cache
def base_forms(parts: Iterable[PartOfSpeech] = PARTS_OF_SPEECH) -> frozenset[str]:
    """Base forms of English words of these parts of speech, as written in the index."""
    index = lemma_index()
    return frozenset(word for part in parts for word in index[part])


@cache
def word_forms() -> frozenset[str]:
    """Every inflected form and base form of the lemma lookup table, as written."""
    lookup = lemma_lookup()
    return frozenset(lookup) | frozenset(lookup.values())


def lemma_of(word: str) -> str | None:
    """The base form of an inflected word ('impairments' -> 'impairment'), None when not listed."""
    return lemma_lookup().get(word)


@cache
def never_misspelt() -> frozenset[str]:
    """Every English word form, lower case and letters only: the words no misspelling test may correct."""
    return frozenset(word.lower() for word in word_forms() | base_forms() if word.isalpha())
