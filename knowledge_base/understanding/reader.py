"""The spaCy pipeline that reads a message, and its matchers.

A blank English spaCy pipeline (tokenizer and sentencizer) with matchers built from
:mod:`vocabulary`: a PhraseMatcher for place names and need words, token Matchers with FUZZY
patterns for their misspellings, and a token Matcher for ages and for who is writing. No
lemmatizer runs: the few inflections that matter are listed, and the project's English word list
(:mod:`vocabulary.english`) serves as a dictionary for the misspelling test.

Misspellings. Words of 8 letters or more in the vocabulary use spaCy's FUZZY operator with our own
comparison: the first letter must match, 8-9 letter words allow 1 edit and longer words 2, and a
word that is itself English never counts as a misspelling, unless it is just another form of the
target ('impairments'). So 'cheltnam' and 'dislexia' match while 'storehouse' is not Stonehouse.
Shorter words match exactly; their usual misspellings are listed in the vocabulary.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Final

from knowledge_base.understanding import ages, needs, places, writer
from knowledge_base.understanding.matches import Pattern
from vocabulary.english import base_forms, lemma_of
from vocabulary.fuzzy import within_edits
from vocabulary.places import phrase_variants

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

_FUZZY_MIN_LENGTH: Final = 8
_POSSESSIVE: Final = ("'s", "’s")


class Reader:
    """The spaCy pipeline and its matchers.

    spaCy's Matcher calls the fuzzy comparison for every token and every fuzzy pattern word, about
    100 Python calls per token here: several milliseconds a message. So exact matchers read every
    message, and the fuzzy patterns run only on the few tokens around a word that could be a
    misspelling (long, not English, not already a vocabulary word), and only those patterns whose
    fuzzy words start with that word's letter, because a misspelling must keep its first letter.
    """

    def __init__(self) -> None:
        # Imported here, not at module level: importing spaCy also imports torch (through thinc),
        # which takes seconds and must happen inside the serving process (see warm_up).
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        self.nlp.initialize()
        vocabulary_words = {
            token.lower_ for phrases in _phrases().values() for phrase in phrases for token in self.nlp.make_doc(phrase)
        }
        # Words the vocabulary already spells this way are never misspellings.
        self._known = frozenset(vocabulary_words)
        self._test = _MisspellingTest({word for word in vocabulary_words if _edit_budget(word)})
        # Vocabulary phrases, several hundred, go to a PhraseMatcher (one hash lookup per token);
        # a token Matcher's cost grows with its number of patterns.
        self._phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for key, phrases in _phrases().items():
            self._phrases.add(key, [self.nlp.make_doc(variant) for phrase in phrases for variant in _variants(phrase)])
        self._tokens = Matcher(self.nlp.vocab)
        for key, patterns in _token_patterns(self.nlp).items():
            self._tokens.add(key, patterns)
        self._fuzzy: dict[str, Any] = {}
        self._window = 1
        for key, phrases in _phrases().items():
            for phrase in phrases:
                pattern = _fuzzy_pattern(self.nlp, phrase)
                letters = {token["LOWER"]["FUZZY"][0] for token in pattern if "FUZZY" in token.get("LOWER", ())}
                for letter in letters:
                    matcher = self._fuzzy.setdefault(letter, Matcher(self.nlp.vocab, fuzzy_compare=self._test))
                    matcher.add(key, [pattern])
                    self._window = max(self._window, len(pattern))

    def matches(self, doc: Doc) -> list[Span]:
        """Every match in the message, as spans labelled 'kind|value' (overlaps are resolved later)."""
        spans: list[Span] = [*self._phrases(doc, as_spans=True), *self._tokens(doc, as_spans=True)]
        seen = {(span.label, span.start, span.end) for span in spans}
        for i, token in enumerate(doc):
            word = token.lower_
            matcher = self._fuzzy.get(word[:1])
            if matcher is None or word in self._known or not self._test.could_be_misspelt(word):
                continue
            window = doc[max(0, i - self._window + 1) : i + self._window]
            for span in matcher(window, as_spans=True):
                if (span.label, span.start, span.end) not in seen:
                    seen.add((span.label, span.start, span.end))
                    spans.append(span)
        return spans


_lock = threading.Lock()
_built: Reader | None = None


def reader() -> Reader:
    """The pipeline, built once per process on first use."""
    # Loading the word tables and compiling the patterns takes about half a second, which
    # importing this package must not cost.
    global _built
    with _lock:
        if _built is None:
            _built = Reader()
        return _built


class _MisspellingTest:
    """spaCy's fuzzy_compare: is a word in the message a misspelling of a vocabulary word?"""

    def __init__(self, targets: set[str]) -> None:
        self._targets = frozenset(targets)
        # Base forms of English words (WordNet's index); inflected forms go through lemma_of.
        self._words = base_forms()

    def could_be_misspelt(self, word: str) -> bool:
        """Whether a word might be a misspelling of some long vocabulary word: long enough, and not English."""
        if len(word) < _FUZZY_MIN_LENGTH - 2 or not word.isalpha():
            return False
        lemma = lemma_of(word)
        if lemma is not None:
            return lemma in self._targets
        return word not in self._words

    def __call__(self, text: str, target: str, _fuzzy: int) -> bool:
        budget = _edit_budget(target)
        if not budget or text[:1] != target[:1] or abs(len(text) - len(target)) > budget:
            return False
        # An inflected form of the target ('impairments') is the same word; any other English
        # word ('storehouse' for Stonehouse) is not a misspelling.
        lemma = lemma_of(text)
        if lemma is not None:
            return bool(lemma == target)
        if text in self._words:
            return False
        return within_edits(text, target, budget)


def _edit_budget(target: str) -> int:
    # Short words have too many real neighbours ('stroud' and 'strong' are 2 edits apart).
    if len(target) < _FUZZY_MIN_LENGTH:
        return 0
    return 1 if len(target) < 10 else 2


def _phrases() -> dict[str, tuple[str, ...]]:
    return {**places.phrases(), **needs.phrases()}


def _fuzzy_pattern(nlp: Any, phrase: str) -> Pattern:
    # Tokenise the phrase as a message would be, so that 'moreton-in-marsh' and "hester's way"
    # line up with the message's tokens; hyphens and a possessive 's are optional.
    pattern: Pattern = []
    for token in nlp.make_doc(phrase):
        word = token.lower_
        if word == "-":
            pattern.append({"ORTH": "-", "OP": "?"})
        elif word in _POSSESSIVE:
            pattern.append({"LOWER": {"IN": list(_POSSESSIVE)}, "OP": "?"})
        elif word.isalpha() and len(word) >= _FUZZY_MIN_LENGTH:
            pattern.append({"LOWER": {"FUZZY": word}})
        else:
            pattern.append({"LOWER": word})
    return pattern


def _variants(phrase: str) -> set[str]:
    # Ways of writing a phrase that tokenise differently: 'moreton in marsh', and a curly apostrophe.
    variants = set(phrase_variants(phrase))
    return variants | {variant.replace("'s", "’s") for variant in variants}


def _token_patterns(nlp: Any) -> dict[str, list[Pattern]]:
    return {**needs.token_patterns(), **ages.patterns(nlp), **writer.patterns(nlp)}
