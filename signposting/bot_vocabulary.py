"""Rasa's lookup tables and synonyms for places, needs, ages and audiences, generated from :mod:`vocabulary`.

The file is part of bot/ (Rasa reads it with the rest of the training data) and is committed, so
the training-data fingerprint stays a plain hash of bot/. ``python -m signposting vocabulary
generate`` writes it; ``--check`` fails when it differs from what the vocabulary gives, and so does
a unit test.

What goes in, and why:

- district synonyms: every place phrase of a district (and its spelling with spaces for hyphens)
  maps to the district's name. Single words that are places only in context ('cam', 'stow',
  'forest') are left out: as lookup features they would fire on 'a cam belt'.
- 'anywhere' synonyms and the ambiguous names ('glos') join the district lookup table, so that an
  answer to 'which area?' is read as one.
- need synonyms map every family word for a need to the need group, acronyms that are also
  everyday words ('ADD', 'HI', 'SALT') included. The lookup table leaves those acronyms out: Rasa's
  lookup tables ignore case, and 'hi' would fire on every greeting.
- number words from one to twenty map to digits (ages), and the words for parents and young
  people to the audience values.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from settings import REPO_ROOT
from vocabulary.ages import NUMBER_WORDS
from vocabulary.audiences import AUDIENCE_WORDS
from vocabulary.needs import ANY_NEED, ANY_NEED_WORDS, CASE_SENSITIVE_NEEDS, NEED_SYNONYMS, NEEDS
from vocabulary.places import (
    AMBIGUOUS_PLACES,
    ANYWHERE,
    ANYWHERE_WORDS,
    PLACES,
    PLACES_IN_CONTEXT,
    phrase_variants,
)

GENERATED_FILE = REPO_ROOT / "bot" / "data" / "nlu" / "vocabulary.yml"
HEADER = (
    "# Generated from vocabulary/ by `python -m signposting vocabulary generate`: do not edit.\n"
    "# Change the words in vocabulary/ and run the command again; a test fails when this file drifts.\n"
)


def district_synonyms() -> dict[str, list[str]]:
    """District -> the phrases Rasa maps to it."""
    return {
        district: _spellings([*names, *(name for name in PLACES_IN_CONTEXT.get(district, ()) if " " in name)])
        for district, names in PLACES.items()
    }


def need_synonyms() -> dict[str, list[str]]:
    """Need group -> the phrases Rasa maps to it."""
    acronyms = {need: [a.lower() for a, group in CASE_SENSITIVE_NEEDS.items() if group == need] for need in NEEDS}
    return {need: _spellings([*words, *acronyms[need]], leave_out=need) for need, words in NEED_SYNONYMS.items()}


def bot_vocabulary() -> str:
    """The text of bot/data/nlu/vocabulary.yml."""
    districts = district_synonyms()
    needs = need_synonyms()
    blocks = [_synonym(district, words) for district, words in districts.items()]
    blocks.append(_synonym(ANYWHERE, _spellings(ANYWHERE_WORDS, leave_out=ANYWHERE)))
    place_words = [word for words in districts.values() for word in words]
    blocks.append(_lookup("district", _spellings([*place_words, *AMBIGUOUS_PLACES, *ANYWHERE_WORDS])))
    blocks.extend(_synonym(need, words) for need, words in needs.items())
    blocks.append(_synonym(ANY_NEED, _spellings(ANY_NEED_WORDS, leave_out=ANY_NEED)))
    need_words = [word for words in NEED_SYNONYMS.values() for word in words]
    blocks.append(_lookup("need", _spellings([*NEEDS, *need_words])))
    blocks.extend(_synonym(f"{value:g}", [word]) for word, value in NUMBER_WORDS.items() if value >= 1)
    blocks.extend(_synonym(audience, _spellings(words)) for audience, words in AUDIENCE_WORDS.items())
    return f'{HEADER}version: "3.1"\n\nnlu:\n' + "\n".join(blocks)


def write(path: Path = GENERATED_FILE) -> bool:
    """Write the file; True when its content changed."""
    text = bot_vocabulary()
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def is_current(path: Path = GENERATED_FILE) -> bool:
    """Whether the file holds exactly what the vocabulary gives."""
    return path.is_file() and path.read_text(encoding="utf-8") == bot_vocabulary()


def _spellings(phrases: Iterable[str], leave_out: str = "") -> list[str]:
    found = {variant for phrase in phrases for variant in phrase_variants(phrase)}
    return sorted(found - {leave_out})


def _synonym(value: str, examples: list[str]) -> str:
    return f'- synonym: "{value}"\n  examples: |\n' + "".join(f"    - {example}\n" for example in examples)


def _lookup(name: str, examples: list[str]) -> str:
    return f"- lookup: {name}\n  examples: |\n" + "".join(f"    - {example}\n" for example in examples)
