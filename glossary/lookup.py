"""Find the SEND term a question asks about, or every term a passage uses.

Matching works on tokens (runs of letters and digits), lower-cased, with apostrophes dropped,
"+" read as "plus" and dotted abbreviations closed up ("e.h.c.p" is "ehcp"). A window of tokens
matches an alias when the tokens, joined without spaces, spell the alias joined the same way: so
"my plan+", "myplan plus" and "My Plan Plus" are one thing, and so are "co-ordinator" and
"coordinator". The longest alias wins, so "EHC needs assessment" beats "EHC".

One typo is forgiven in terms of 5 letters or more, but only in a word that is not ordinary English
("sencoo", "pathwya"): otherwise "medication" would be read as "mediation".
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError

from glossary.models import GlossaryEntry, GlossaryFile
from vocabulary.english import never_misspelt
from vocabulary.fuzzy import one_edit_from

DEFAULT_PATH = Path(__file__).resolve().with_name("terms.yml")

# The brief: tolerate one typo in terms of 5 or more letters.
MIN_FUZZY_KEY_LETTERS = 5
# A typo in a word shorter than this is more likely an ordinary word ("teh", "wat") than a term.
MIN_TYPO_TOKEN_LETTERS = 4
# Windows of several tokens only make short keys by accident ("s e n d"), so they must be this long.
MIN_JOINED_KEY_LETTERS = 5
# Someone may split an alias's word in two ("co ordinator"); allow that many extra tokens.
_EXTRA_WINDOW_TOKENS = 2

# Words around an everyday-word alias that show the message asks what it means:
# "what does send mean", "what is SALT", "define pip".
_CUES = frozenset(
    {"what", "whats", "mean", "means", "meaning", "meant", "define", "definition", "stand", "stands", "explain"}
    | {"abbreviation", "acronym"}
)
_FILLERS = _CUES | frozenset(
    {"does", "do", "is", "are", "was", "a", "an", "the", "of", "for", "by", "it", "when", "they", "people"}
    | {"say", "says", "said", "word", "term", "please", "can", "you", "tell", "me", "about", "short", "letters"}
)

_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}[^\W\d_]?")
_APOSTROPHES = re.compile("['\u2018\u2019`]")
_TOKEN = re.compile(r"[^\W_]+")


class GlossaryError(ValueError):
    """terms.yml is missing, malformed, or breaks a rule (duplicate alias, missing page, long definition)."""


def tokens(text: str) -> list[str]:
    """The words of a text as the glossary sees them, keeping their case."""
    text = unicodedata.normalize("NFKC", text)
    text = _DOTTED.sub(lambda found: found.group(0).replace(".", ""), text)
    text = _APOSTROPHES.sub("", text)
    text = text.replace("+", " plus ").replace("&", " and ")
    return _TOKEN.findall(text)


def _key(words: Iterable[str]) -> str:
    return "".join(word.lower() for word in words)


def _names(entry: GlossaryEntry) -> list[str]:
    """The term, the term without its bracketed part ('Occupational therapy (OT)'), and the aliases."""
    names = [entry.term]
    bare = re.sub(r"\s*\([^)]*\)", "", entry.term).strip()
    if bare and bare != entry.term:
        names.append(bare)
    names.extend(entry.aliases)
    return names


class Glossary:
    """SEND terms and their plain-English definitions, with lookup by what people type."""

    def __init__(
        self,
        entries: Sequence[GlossaryEntry],
        everyday_words: Iterable[str] = (),
        known_words: frozenset[str] = frozenset(),
    ) -> None:
        """Index the entries; raises GlossaryError when two entries share an alias."""
        self._entries = tuple(entries)
        self._known_words = known_words
        self._keys: dict[str, int] = {}
        spelled: list[tuple[list[str], int]] = []
        for index, entry in enumerate(self._entries):
            for name in _names(entry):
                words = [word.lower() for word in tokens(name)]
                if not words:
                    raise GlossaryError(f"{entry.term!r}: the alias {name!r} has no letters or digits")
                key = "".join(words)
                owner = self._keys.setdefault(key, index)
                if owner != index:
                    raise GlossaryError(
                        f"{name!r} is an alias of both {self._entries[owner].term!r} and {entry.term!r}"
                    )
                spelled.append((words, index))

        self._everyday = frozenset(_key(tokens(word)) for word in everyday_words)
        unknown = sorted(self._everyday - self._keys.keys())
        if unknown:
            raise GlossaryError(f"everyday_words that are no entry's alias: {unknown}")

        # Plurals ("EHCPs", "SENCOs") without listing them; an alias written out wins over a plural.
        # Everyday words are left alone: "hi" + "s" is "his".
        plural_words: set[str] = set()
        plural_keys: set[str] = set()
        for words, index in spelled:
            key = "".join(words)
            if key not in self._everyday and not words[-1].endswith("s") and key + "s" not in self._keys:
                self._keys[key + "s"] = index
                plural_keys.add(key + "s")
                plural_words.add(words[-1] + "s")
        self._plurals = frozenset(plural_keys)

        self._prefixes = frozenset(key[:end] for key in self._keys for end in range(1, len(key) + 1))
        self._max_window = max((len(words) for words, _ in spelled), default=1) + _EXTRA_WINDOW_TOKENS
        self._alias_words = frozenset({word for words, _ in spelled for word in words} | plural_words)
        # Symmetric-deletion index: two words one edit apart share a form with at most one letter removed.

    @property
    def entries(self) -> tuple[GlossaryEntry, ...]:
        """Every entry, in file order."""
        return self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self._entries)

    def unlinked(self, page_urls: Iterable[str]) -> list[GlossaryEntry]:
        """The entries whose 'see' page is none of ``page_urls`` (a knowledge-base build's pages)."""
        urls = tuple(page_urls)
        return [entry for entry in self._entries if not any(url.endswith(entry.see_page) for url in urls)]

    def find(self, text: str) -> GlossaryEntry | None:
        """The term a question asks about ("what does SENCO mean", "whats a ehcp"), or None.

        When several terms appear, the longest wins; a typo-corrected match counts only when no
        exact match is as long. It does not judge whether the message is a "what does it mean"
        question: "the senco is rubbish" gives SENCO. That is for the dialogue (the intent) to decide.
        """
        original = tokens(text)
        lower = [word.lower() for word in original]
        best: tuple[int, int, int] | None = None
        best_index = -1
        for start, end, key in self._windows(lower):
            if key in self._everyday and not self._everyday_word_meant(original, start, end, question=True):
                continue
            rank = (len(key), 1, -start)
            if best is None or rank > best:
                best, best_index = rank, self._keys[key]
        for position, word in self._typo_fixes(lower):
            fixed = [*lower[:position], word, *lower[position + 1 :]]
            for start, _end, key in self._windows(fixed, covering=position):
                # The plural "s" does not count towards the length: "ehcpp" is not a typo of "ehcps".
                letters = len(key) - (key in self._plurals)
                if letters < MIN_FUZZY_KEY_LETTERS or key in self._everyday:
                    continue
                rank = (len(key), 0, -start)
                if best is None or rank > best:
                    best, best_index = rank, self._keys[key]
        return None if best is None else self._entries[best_index]

    def named(self, text: str) -> GlossaryEntry | None:
        """The term when the message is nothing but its name ("DLA", "Portage", "EHCPs"), or None.

        For a message the intent classifier could not place: a bare name is best answered with its
        definition. Exact names only, and no everyday-word alias, since on its own "hi" is a greeting.
        """
        key = _key(tokens(text))
        if not key or key in self._everyday:
            return None
        index = self._keys.get(key)
        return None if index is None else self._entries[index]

    def terms_in(self, text: str) -> list[GlossaryEntry]:
        """Every term a passage uses, in order of first use, without repeats (for explaining jargon).

        Exact matches only: passages are published text, where a near-miss is more likely an
        ordinary word than a typo.
        """
        original = tokens(text)
        lower = [word.lower() for word in original]
        found = [
            (start, end, key)
            for start, end, key in self._windows(lower)
            if key not in self._everyday or self._everyday_word_meant(original, start, end, question=False)
        ]
        found.sort(key=lambda span: (-len(span[2]), span[0]))
        taken = [False] * len(lower)
        chosen: list[tuple[int, int]] = []
        for start, end, key in found:
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            chosen.append((start, self._keys[key]))
        seen: set[int] = set()
        result: list[GlossaryEntry] = []
        for _, index in sorted(chosen):
            if index not in seen:
                seen.add(index)
                result.append(self._entries[index])
        return result

    def _windows(self, lower: Sequence[str], covering: int | None = None) -> Iterator[tuple[int, int, str]]:
        """(start, end, key) for every run of tokens that spells an alias."""
        first, last = 0, len(lower)
        if covering is not None:
            first, last = max(0, covering - self._max_window + 1), covering + 1
        for start in range(first, last):
            joined = ""
            for end in range(start + 1, min(len(lower), start + self._max_window) + 1):
                joined += lower[end - 1]
                if joined not in self._prefixes:
                    break
                if covering is not None and end <= covering:
                    continue
                if joined in self._keys and (end - start == 1 or len(joined) >= MIN_JOINED_KEY_LETTERS):
                    yield start, end, joined

    def _typo_fixes(self, lower: Sequence[str]) -> Iterator[tuple[int, str]]:
        """(position, alias word) for each unknown word one edit away from a word of some alias."""
        for position, word in enumerate(lower):
            if (
                len(word) < MIN_TYPO_TOKEN_LETTERS
                or not word.isalpha()
                or word in self._alias_words
                or word in self._known_words
            ):
                continue
            for candidate in one_edit_from(word, self._alias_words):
                yield position, candidate

    @staticmethod
    def _everyday_word_meant(original: Sequence[str], start: int, end: int, question: bool) -> bool:
        """Whether an alias that is also an ordinary word ("send", "hi") is meant as the term.

        Yes when written in capitals in a message that is not all capitals ("my son has HI"),
        or, for questions, when the rest of the message only asks what it means ("what does send mean").
        A message that is only the word ("hi", "SEND") is a greeting or too unclear to answer.
        """
        letters = [word for word in original if word.isalpha()]
        shouting = all(word.isupper() for word in letters)
        if len(original) > 1 and not shouting and all(word.isupper() for word in original[start:end]):
            return True
        if not question:
            return False
        around = [word.lower() for word in (*original[:start], *original[end:])]
        return bool(around) and all(word in _FILLERS for word in around) and any(word in _CUES for word in around)


def _read_yaml(text: str) -> object:
    # libyaml's safe loader reads terms.yml several times faster than the pure-Python one.
    if hasattr(yaml, "CSafeLoader"):
        return yaml.load(text, Loader=yaml.CSafeLoader)
    return yaml.safe_load(text)


def load_glossary(
    path: Path = DEFAULT_PATH,
    known_words: frozenset[str] | None = None,
    contacts: Mapping[str, str] | None = None,
) -> Glossary:
    """Read and check terms.yml: every entry valid, no alias shared.

    ``contacts`` fill in the phone numbers the definitions name as ``$sendiass_phone`` and the
    like (the deployment's settings, ``Settings.contact_numbers()``); without them a definition
    keeps the name, and a name no contact fills is an error.

    Whether each 'see' page exists depends on the knowledge base a deployment built (a live site
    is not the demo snapshot): :meth:`Glossary.unlinked` checks that against a build.
    ``known_words`` are the ordinary English words that are never treated as typos; by default
    spaCy's English lookup tables.
    """
    try:
        raw = _read_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise GlossaryError(f"cannot read {path}: {error}") from error
    if contacts is not None and isinstance(raw, dict):
        raw["entries"] = [_with_contacts(entry, contacts, path) for entry in raw.get("entries") or []]
    try:
        data = GlossaryFile.model_validate(raw)
    except ValidationError as error:
        raise GlossaryError(f"{path}: {error}") from error
    return Glossary(
        data.entries,
        everyday_words=data.everyday_words,
        known_words=never_misspelt() if known_words is None else known_words,
    )


def _with_contacts(entry: object, contacts: Mapping[str, str], path: Path) -> object:
    if not isinstance(entry, dict):
        return entry
    filled = dict(entry)
    for field in ("definition", "young_person"):
        if isinstance(filled.get(field), str):
            try:
                filled[field] = string.Template(filled[field]).substitute(contacts)
            except (KeyError, ValueError) as error:
                raise GlossaryError(f"{path}: {entry.get('term')}: no contact number called {error}") from error
    return filled
