"""Read search filters out of a family's message: districts, the child's age, SEND needs, and who is writing.

"autism group in cheltnam for my 7 year old" gives Cheltenham, 7 and autism. The reader is a blank
English spaCy pipeline (tokenizer and sentencizer) with matchers built from
:mod:`knowledge_base.gazetteer`: a PhraseMatcher for place names and need words, token Matchers
with FUZZY patterns for their misspellings, and a token Matcher for ages and for who is writing.
Rules, not a trained model: messages are short, the vocabulary is small, and every result can be
explained ("you mentioned Cheltnam"). No lemmatizer runs: the few inflections that matter are
listed, and spacy-lookups-data's English tables serve as a dictionary for the misspelling test.
The pipeline is built once per process, on first use (about 3 s with spaCy's import; see :func:`warm_up`).

Conventions:

- Misspellings. Words of 8 letters or more in the gazetteer use spaCy's FUZZY operator with our
  own comparison: the first letter must match, 8-9 letter words allow 1 edit and longer words 2,
  and a word that is itself English (in spacy-lookups-data's English word lists) never counts as
  a misspelling, unless it is just another form of the target ('impairments'). So 'cheltnam' and
  'dislexia' match while 'storehouse' is not Stonehouse. Shorter words match exactly; their
  usual misspellings are listed in the gazetteer.
- Places. Each place maps to its district. 'Glos' goes to ``ambiguous_places`` (county or city?)
  and 'Gloucestershire' and 'the county' to nothing: they name no single district. Place names
  that are also everyday words ('cam', 'stow', 'the forest') count only after a word like 'in',
  'near' or 'from', or when joined by 'and', 'or' or a comma to another place ('cam and
  dursley'). 'Forest school' is an outdoor-learning approach, never the Forest of Dean. A place
  followed by 'road' or 'street' is an address line, not where the family lives.
- Ages, in years (months and weeks become fractions). A number is an age only when the words
  around it say so: 'my 7 year old', '7yo', 'aged 12', 'she's 16', 'im 17', 'turning 18'.
  '2 years ago', 'waited 18 months', '£16', '20 hours' and 'a reading age of 6' are not ages.
  Ages outside 0-25 (the Local Offer's range) are not returned.
- School years. A child in Year N is N+4 when the school year starts and turns N+5 during it. We
  return N+4, the age the whole year group shares in the autumn term. Service age ranges are
  inclusive whole years ('11-13' includes a 13-year-old), so N+4.5 would wrongly fall outside a
  range ending at N+4. Reception is 4, nursery and pre-school 3, sixth form and post-16 16,
  toddler 2, baby 0. 'Primary' and 'secondary' span five or more years, so they give no age.
- Several ages. An age stated in words ('she's 16') beats one implied by a school year or a
  stage ('year 11'); among ages of the same kind, the first in the text wins. When the message
  mentions a child, the writer's own age ('I'm 35') is not the child's and is skipped.
- Young person. Conservative, because it changes how the bot speaks. Never when the message
  speaks of the writer's child ('my son', 'our lad', 'my 7 year old', 'she's 16'). Otherwise true
  when the writer states their own age as 14-25 ('im 17'; 'I'm 12' and 'I'm 35' are false), or
  speaks of their own college, apprenticeship, school year or EHCP ("can i get help at college",
  "I'm in year 12", "I want to change my EHCP") with no age outside 14-25 and no 'he', 'she' or
  'her' anywhere. 'Can I get ...' alone is not enough: parents write it too.
- Needs are the group keys of :data:`ingestion.needs.NEED_WORDS`, in the order first mentioned.
  'Sensory processing' is in the sensory group, where service records that use the word are.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from ingestion.needs import NEED_WORDS
from knowledge_base.gazetteer import (
    AMBIGUOUS_PLACES,
    CASE_SENSITIVE_NEEDS,
    NEED_SYNONYMS,
    NOT_A_PLACE_AFTER,
    PLACES,
    PLACES_IN_CONTEXT,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# Longer text is not a question typed into a chat box; reading only the start keeps one call cheap.
MAX_CHARS: Final = 5000
# The Local Offer covers birth to 25 (SEND Code of Practice 0-25).
MIN_AGE: Final = 0.0
MAX_AGE: Final = 25.0
# Future Me, the county's preparing-for-adulthood pages, is for young people aged 14 to 25.
YOUNG_PERSON_AGES: Final = (14.0, 25.0)


@dataclass(frozen=True)
class QueryFacts:
    """What a message says about the family's district, the child's age and needs, and the writer."""

    districts: tuple[str, ...]  # canonical district names, as in gazetteer.DISTRICTS, first named first
    age: float | None  # the child's or young person's age in years, when stated or implied
    needs: tuple[str, ...]  # need-group keys of ingestion.needs.NEED_WORDS, first named first
    young_person: bool  # the writer speaks of themself as a young person (14-25)
    ambiguous_places: tuple[str, ...]  # words that may be a place but not one district ('glos'), as written
    places: tuple[str, ...]  # the place words matched, as written, for explanations ('cheltnam')


def understand(text: str) -> QueryFacts:
    """Read districts, the child's or young person's age, need groups and the writer from one message.

    See the module docstring for the conventions. Never raises on odd input; an empty message
    gives empty facts.
    """
    reader = _reader()
    doc = reader.nlp(text[:MAX_CHARS])
    found = _Found()
    for span in reader.matches(doc):
        found.add(span)
    districts, places, ambiguous = _read_places(doc, found.places)
    ages = _read_ages(found.ages)
    mentions_child = bool(found.child) or any(age.about_child for age in ages)
    age = _choose_age(ages, mentions_child)
    return QueryFacts(
        districts=districts,
        age=age,
        needs=_read_needs(doc, found.needs),
        young_person=_is_young_person(doc, found, ages, mentions_child, age),
        ambiguous_places=ambiguous,
        places=places,
    )


def warm_up() -> None:
    """Build the pipeline now, so that the first message is not slow (about 3 s with spaCy's import).

    Call it inside the serving process, not before it forks: spaCy imports torch.
    """
    _reader()


# --- the pipeline -------------------------------------------------------------------------------

# Match labels are "kind|value": 'district|Stroud', 'need|autism', 'age|aged', 'age|stage:4'.
_PLACE_KINDS: Final = ("district", "in_context", "ambiguous")
_FUZZY_MIN_LENGTH: Final = 8


class _Reader:
    """The spaCy pipeline and its matchers.

    spaCy's Matcher calls the fuzzy comparison for every token and every fuzzy pattern word, about
    100 Python calls per token here: several milliseconds a message. So exact matchers read every
    message, and the fuzzy patterns run only on the few tokens around a word that could be a
    misspelling (long, not English, not already a gazetteer word), and only those patterns whose
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
        gazetteer_words = {
            token.lower_
            for phrases in _gazetteer_phrases().values()
            for phrase in phrases
            for token in self.nlp.make_doc(phrase)
        }
        # Words the gazetteer already spells this way are never misspellings.
        self._known = frozenset(gazetteer_words)
        self._test = _MisspellingTest({word for word in gazetteer_words if _edit_budget(word)})
        # Gazetteer phrases, several hundred, go to a PhraseMatcher (one hash lookup per token);
        # a token Matcher's cost grows with its number of patterns.
        self._phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for key, phrases in _gazetteer_phrases().items():
            self._phrases.add(key, [self.nlp.make_doc(variant) for phrase in phrases for variant in _variants(phrase)])
        self._tokens = Matcher(self.nlp.vocab)
        for key, patterns in _token_patterns(self.nlp).items():
            self._tokens.add(key, patterns)
        self._fuzzy: dict[str, Any] = {}
        self._window = 1
        for key, phrases in _gazetteer_phrases().items():
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
_built: _Reader | None = None


def _reader() -> _Reader:
    # Built once per process, on first use: loading the word tables and compiling the patterns
    # takes about half a second, which importing this module must not cost.
    global _built
    with _lock:
        if _built is None:
            _built = _Reader()
        return _built


class _MisspellingTest:
    """spaCy's fuzzy_compare: is a word in the message a misspelling of a gazetteer word?"""

    def __init__(self, targets: set[str]) -> None:
        from spacy.lookups import load_lookups
        from spacy.matcher.levenshtein import levenshtein

        self._levenshtein = levenshtein
        self._targets = frozenset(targets)
        lookups = load_lookups("en", ["lemma_index", "lemma_lookup"])
        index = lookups.get_table("lemma_index")
        # Base forms of English words (WordNet's index) and a table from inflected forms to them.
        self._words = frozenset(word for pos in ("noun", "verb", "adj", "adv") for word in index.get(pos, ()))
        self._lemmas = lookups.get_table("lemma_lookup")

    def could_be_misspelt(self, word: str) -> bool:
        """Whether a word might be a misspelling of some long gazetteer word: long enough, and not English."""
        if len(word) < _FUZZY_MIN_LENGTH - 2 or not word.isalpha():
            return False
        lemma = self._lemmas.get(word)
        if lemma is not None:
            return lemma in self._targets
        return word not in self._words

    def __call__(self, text: str, target: str, _fuzzy: int) -> bool:
        budget = _edit_budget(target)
        if not budget or text[:1] != target[:1] or abs(len(text) - len(target)) > budget:
            return False
        # An inflected form of the target ('impairments') is the same word; any other English
        # word ('storehouse' for Stonehouse) is not a misspelling.
        lemma = self._lemmas.get(text)
        if lemma is not None:
            return bool(lemma == target)
        if text in self._words:
            return False
        return bool(self._levenshtein(text, target, budget) <= budget)


def _edit_budget(target: str) -> int:
    # Short words have too many real neighbours ('stroud' and 'strong' are 2 edits apart).
    if len(target) < _FUZZY_MIN_LENGTH:
        return 0
    return 1 if len(target) < 10 else 2


_Pattern = list[dict[str, Any]]


def _gazetteer_phrases() -> dict[str, tuple[str, ...]]:
    phrases: dict[str, tuple[str, ...]] = {}
    for district, names in PLACES.items():
        phrases[f"district|{district}"] = names
    for district, names in PLACES_IN_CONTEXT.items():
        phrases[f"in_context|{district}"] = names
    for name in AMBIGUOUS_PLACES:
        phrases[f"ambiguous|{name}"] = (name,)
    for need, synonyms in NEED_SYNONYMS.items():
        phrases[f"need|{need}"] = synonyms
    return phrases


def _fuzzy_pattern(nlp: Any, phrase: str) -> _Pattern:
    # Tokenise the phrase as a message would be, so that 'moreton-in-marsh' and "hester's way"
    # line up with the message's tokens; hyphens and a possessive 's are optional.
    pattern: _Pattern = []
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
    variants = {phrase, phrase.replace("-", " ")}
    return variants | {variant.replace("'s", "’s") for variant in variants}


def _token_patterns(nlp: Any) -> dict[str, list[_Pattern]]:
    patterns: dict[str, list[_Pattern]] = {}
    for acronym, need in CASE_SENSITIVE_NEEDS.items():
        patterns.setdefault(f"acronym|{need}", []).append([{"ORTH": acronym}])
    patterns.update(_age_patterns(nlp))
    patterns.update(_writer_patterns(nlp))
    return patterns


_POSSESSIVE: Final = ("'s", "’s")
_NUM: Final = {"LIKE_NUM": True}
# 'twenty-one', 'twenty one'.
_NUM_TAIL: Final = ({"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["one", "two", "three", "four", "five"]}, "OP": "?"})
_HYPHEN: Final = {"ORTH": "-", "OP": "?"}
_OLD: Final = {"LOWER": {"IN": ["old", "olds"]}}
_YEARS: Final = frozenset({"year", "years", "yr", "yrs", "y"})
_MONTHS: Final = frozenset({"month", "months", "mth", "mths", "mo", "mos"})
_WEEKS: Final = frozenset({"week", "weeks", "wk", "wks"})
# 'I'm nearly 17', 'she's just turned 4'.
_HEDGE: Final = {
    "LOWER": {"IN": ["nearly", "almost", "just", "now", "only", "currently", "turning", "turned", "about", "already"]},
    "OP": "?",
}
_I_AM: Final = {"LOWER": {"IN": ["'m", "’m", "m", "am"]}}
_IS: Final = {"LOWER": {"IN": ["is", "'s", "’s", "s", "are", "'re", "’re", "turned", "turns", "turning"]}}
_CHILD_WORDS: Final = (
    "son",
    "sons",
    "daughter",
    "daughters",
    "child",
    "children",
    "kid",
    "kids",
    "lad",
    "boy",
    "boys",
    "girl",
    "girls",
    "grandson",
    "granddaughter",
    "grandchild",
    "grandchildren",
    "stepson",
    "stepdaughter",
    "ds",
    "dd",
    "twins",
    "baby",
    "toddler",
)
# Who 'is 7' in a message about a child.
_SUBJECTS: Final = ("he", "she", "they", "who", *_CHILD_WORDS)
# Capitalised words that start a sentence but are not a child's name.
_NOT_NAMES: Final = (
    "i",
    "it",
    "this",
    "that",
    "there",
    "here",
    "what",
    "which",
    "who",
    "where",
    "when",
    "how",
    "she",
    "he",
)
# Stage words and the age each implies (see the module docstring).
_STAGES: Final = {
    "nursery": 3.0,
    "preschool": 3.0,
    "pre-school": 3.0,
    "sixth form": 16.0,
    "6th form": 16.0,
    "post 16": 16.0,
    "post-16": 16.0,
    "toddler": 2.0,
    "toddlers": 2.0,
    "baby": 0.0,
    "babies": 0.0,
    "newborn": 0.0,
}


def _age_patterns(nlp: Any) -> dict[str, list[_Pattern]]:
    unit = {"LOWER": {"IN": sorted(_YEARS | _MONTHS | _WEEKS)}}
    patterns: dict[str, list[_Pattern]] = {
        # '7 year old', '7-year-old', '18 months old', '7yo', '7 yrs old', '16 y/o'.
        "age|old": [
            [_NUM, *_NUM_TAIL, _HYPHEN, unit, _HYPHEN, _OLD],
            [_NUM, {"LOWER": {"IN": ["yo", "y/o", "y.o", "yos"]}}],
            [_NUM, {"LOWER": "y"}, {"ORTH": "/"}, {"LOWER": "o"}],
            [{"LOWER": {"REGEX": r"^\d{1,2}(?:yo|y/o)$"}}],
            [{"LOWER": {"REGEX": r"^\d{1,2}(?:y|yrs?|mths?|months?|wks?)$"}}, _HYPHEN, _OLD],
            [{"LOWER": {"REGEX": r"^\d{1,2}y$"}}, {"ORTH": "/"}, {"LOWER": "o"}],
        ],
        "age|aged": [[{"LOWER": {"IN": ["aged", "age", "ages"]}}, _NUM]],
        "age|first_person": [
            [{"LOWER": "i"}, _I_AM, _HEDGE, _NUM],
            [{"LOWER": "iam"}, _HEDGE, _NUM],
            [{"LOWER": "i"}, {"LOWER": {"IN": ["turn", "turned"]}}, _NUM],
        ],
        "age|about_child": [
            [{"LOWER": {"IN": list(_SUBJECTS)}}, _IS, _HEDGE, _NUM],
            [{"IS_TITLE": True, "LOWER": {"NOT_IN": list(_NOT_NAMES)}}, _IS, _HEDGE, _NUM],
            # 'my son (7)', 'my daughter, 12, ...'
            [{"LOWER": {"IN": list(_CHILD_WORDS)}}, {"ORTH": {"IN": ["(", ","]}}, _NUM, {"ORTH": {"IN": [")", ","]}}],
        ],
        "age|turning": [[{"LOWER": {"IN": ["turning", "turns", "turned"]}}, _NUM]],
        "age|school_year": [
            [{"LOWER": {"IN": ["year", "years", "yr"]}}, _NUM],
            [{"LOWER": {"REGEX": r"^(?:y|yr|year)\d{1,2}$"}}],
        ],
        "age|stage:4": [[{"LOWER": "reception"}]],
    }
    for words, age in _STAGES.items():
        patterns.setdefault(f"age|stage:{age:g}", []).append(_plain_pattern(nlp, words))
    return patterns


def _plain_pattern(nlp: Any, phrase: str) -> _Pattern:
    # For common English words, where a fuzzy match would misfire ('nursery', 'college').
    return [{"LOWER": token.lower_} for token in nlp.make_doc(phrase)]


# Where a young person goes or has a plan: "I'm at college", "can I get help at college", "my EHCP".
_SETTINGS: Final = (
    "college",
    "sixth form",
    "6th form",
    "uni",
    "university",
    "apprenticeship",
    "supported internship",
    "internship",
    "traineeship",
)
_SETTING_LEADS: Final = (
    "at",
    "to",
    "in",
    "from",
    "my",
    "leave",
    "leaving",
    "left",
    "start",
    "starting",
    "started",
    "finish",
    "finishing",
    "doing",
    "attend",
    "attending",
)


def _writer_patterns(nlp: Any) -> dict[str, list[_Pattern]]:
    mine: dict[str, Any] = {"LOWER": {"IN": ["my", "our"]}}
    setting_patterns: list[_Pattern] = [
        [
            {"LOWER": {"IN": list(_SETTING_LEADS)}},
            {"LOWER": {"IN": ["a", "an", "the"]}, "OP": "?"},
            *_plain_pattern(nlp, setting),
        ]
        for setting in _SETTINGS
    ]
    # "I'm in year 12": whether that is a young person depends on the age it implies.
    setting_patterns.append([{"LOWER": "in"}, {"LOWER": {"IN": ["year", "yr"]}}, _NUM])
    return {
        # 'my son', 'our youngest daughter', 'my little one', 'my 7 year old'.
        "child|": [
            [mine, {"LOWER": {"IN": list(_CHILD_WORDS)}}],
            [mine, {"IS_ALPHA": True}, {"LOWER": {"IN": list(_CHILD_WORDS)}}],
            [mine, {"LOWER": "little"}, {"LOWER": "one"}],
            [mine, _NUM, _HYPHEN, {"LOWER": {"IN": sorted(_YEARS | _MONTHS)}}, _HYPHEN, _OLD],
            [mine, {"LOWER": {"REGEX": r"^\d{1,2}(?:yo|y/o|yrs?|y|mths?)$"}}],
        ],
        "setting|": setting_patterns,
        "plan|": [
            # Not 'my plan' alone: a parent writes "my plan is to move to Stroud".
            [{"LOWER": "my"}, {"LOWER": {"IN": ["ehcp", "ehc", "ehcps"]}}],
            [{"LOWER": "my"}, {"LOWER": "annual"}, {"LOWER": "review"}],
            [{"LOWER": "my"}, *_plain_pattern(nlp, "education health and care plan")],
        ],
    }


# --- reading the matches --------------------------------------------------------------------------


@dataclass
class _Found:
    places: list[Span] = field(default_factory=list)
    needs: list[Span] = field(default_factory=list)
    ages: list[Span] = field(default_factory=list)
    child: list[Span] = field(default_factory=list)
    settings: list[Span] = field(default_factory=list)
    plans: list[Span] = field(default_factory=list)

    def add(self, span: Span) -> None:
        kind = span.label_.partition("|")[0]
        if kind in _PLACE_KINDS:
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


_PLACE_PREPOSITIONS: Final = frozenset({"in", "near", "nr", "around", "round", "from", "at", "to", "outside", "by"})
_JOINERS: Final = frozenset({"and", "or", "&", ",", "/"})
_FOREST_SCHOOL: Final = frozenset({"school", "schools"})


def _read_places(doc: Doc, spans: list[Span]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    kept = [span for span in _longest_first(spans) if not _is_address_or_activity(doc, span)]
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


def _longest_first(spans: list[Span]) -> list[Span]:
    # Of overlapping matches keep the longest ('forest of dean' over 'forest'; 'specific learning
    # difficulties' over 'learning difficulties'), then the earliest; as spacy.util.filter_spans.
    kept: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
        if not taken.intersection(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return kept


def _append_new(items: list[str], item: str) -> None:
    if item.lower() not in (existing.lower() for existing in items):
        items.append(item)


def _read_needs(doc: Doc, spans: list[Span]) -> tuple[str, ...]:
    # A message in capitals throughout ('PLEASE ADD ME TO THE LIST') says nothing by its capitals.
    shouting = len(doc) > _SHORT_MESSAGE and doc.text.isupper()
    needs: list[str] = []
    for span in sorted(_longest_first(spans), key=lambda s: s.start):
        kind, _, need = span.label_.partition("|")
        if kind == "acronym" and (shouting or _is_greeting(doc, span)):
            continue
        if need in NEED_WORDS and need not in needs:
            needs.append(need)
    return tuple(needs)


_SHORT_MESSAGE: Final = 3
# 'HI' opening a message is a greeting, unless a word after it shows it means hearing impairment.
_HEARING_WORDS: Final = frozenset({"support", "team", "service", "services", "unit", "teacher", "needs", "provision"})


def _is_greeting(doc: Doc, span: Span) -> bool:
    if span.text != "HI" or span.start != 0:
        return False
    return span.end >= len(doc) or doc[span.end].lower_ not in _HEARING_WORDS


@dataclass(frozen=True)
class _Age:
    years: float
    position: int  # index of the number's token
    stated: bool  # said in words ('she's 16'), not implied by a school year or a stage
    first_person: bool = False  # the writer's own age ('im 17')
    about_child: bool = False  # someone else's age ('she's 16', 'my son (7)')


# Words right after a number (or its unit) that make it a time, a price, a count or a duration.
_NOT_AGE_UNITS: Final = frozenset(
    [
        "hour",
        "hours",
        "hr",
        "hrs",
        "minute",
        "minutes",
        "min",
        "mins",
        "second",
        "seconds",
        "day",
        "days",
        "mile",
        "miles",
        "pound",
        "pounds",
        "quid",
        "p",
        "%",
        "percent",
        "pm",
        "am",
        "o'clock",
        "times",
        "of",
        "people",
        "sessions",
        "kg",
    ]
)
_NOT_AGE_AFTER: Final = frozenset(
    ["ago", "behind", "late", "later", "older", "younger", "delay", "delayed", "waiting", "pregnant"]
)
# 'a reading age of 6' is a test score, not how old the child is.
_NOT_AGE_BEFORE: Final = frozenset(["reading", "spelling", "mental", "developmental", "emotional"])
# Larger numbers are not anyone's age (a year, a count).
_MAX_PLAUSIBLE_AGE: Final = 99.0
_CURRENCY: Final = frozenset({"£", "$", "€"})
_NUMBER_WORDS: Final = {
    word: float(value)
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
# A number with its unit in one token: '7yo', '12yrs', '18mth', 'y9', 'yr9', 'year9'.
_COMPACT: Final = re.compile(r"(?:y|yr|year)?(\d{1,2})(yo|y/o|y|yrs?|mths?|months?|wks?)?")
_DIGITS: Final = re.compile(r"\d{1,2}(?:\.5)?")


def _read_ages(spans: list[Span]) -> list[_Age]:
    by_position: dict[int, _Age] = {}
    for span in spans:
        age = _age_of(span)
        if age is None:
            continue
        # Several patterns may read one number ('I'm turning 18'): keep the most telling reading.
        known = by_position.get(age.position)
        if known is None or _rank(age) < _rank(known):
            by_position[age.position] = age
    return sorted(by_position.values(), key=lambda a: a.position)


def _rank(age: _Age) -> int:
    return 0 if age.first_person else 1 if age.about_child else 2 if age.stated else 3


def _age_of(span: Span) -> _Age | None:
    kind = span.label_.partition("|")[2]
    doc = span.doc
    if kind.startswith("stage:"):
        if _is_front_desk(doc, span):
            return None
        return _Age(float(kind.partition(":")[2]), span.start, stated=False)
    for i in range(span.start, span.end):
        read = _number_at(doc, i)
        if read is not None:
            break
    else:
        return None
    value, after, unit = read
    before = doc[i - 1].lower_ if i > 0 else ""
    if before in _CURRENCY:
        return None
    if kind == "school_year":
        return _school_year_age(doc, span, i, value, after)
    if kind == "aged" and span.start > 0 and doc[span.start - 1].lower_ in _NOT_AGE_BEFORE:
        return None
    years = _with_unit(doc, value, after, unit)
    # Ages above 25 are kept for now: 'I'm 35' still says the writer is not a young person.
    if years is None or not MIN_AGE <= years <= _MAX_PLAUSIBLE_AGE:
        return None
    if kind == "first_person" and years != value:
        # 'I'm 20 weeks ...' is not the writer's age.
        return None
    return _Age(years, i, stated=True, first_person=kind == "first_person", about_child=kind == "about_child")


def _is_front_desk(doc: Doc, span: Span) -> bool:
    # 'Ask at reception' is the front desk of a building, not the first year of school.
    if span.text.lower() != "reception":
        return False
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return before in {"at", "to", "call", "phone", "ring"} or after in {"desk", "staff", "area"}


def _school_year_age(doc: Doc, span: Span, i: int, value: float, after: int) -> _Age | None:
    # 'a 2 year 6 month wait' is a duration; in 'year 2025' the number is a date.
    if span.start > 0 and doc[span.start - 1].like_num:
        return None
    if not value.is_integer() or not 1 <= value <= 13:
        return None
    if after < len(doc) and doc[after].lower_ in ("old", "olds"):
        return None
    return _Age(value + 4, i, stated=False)


def _number_at(doc: Doc, i: int) -> tuple[float, int, str] | None:
    """The number at token i, the index of the token after it, and any unit joined to it ('7yo')."""
    word = doc[i].lower_
    if word in _NUMBER_WORDS:
        value, after = _NUMBER_WORDS[word], i + 1
        if word == "twenty":
            # 'twenty-one', 'twenty one'
            step = after + 1 if after < len(doc) and doc[after].text == "-" else after
            ones = _NUMBER_WORDS.get(doc[step].lower_, 10.0) if step < len(doc) else 10.0
            if ones < 10:
                value, after = value + ones, step + 1
    elif _DIGITS.fullmatch(word):
        value, after = float(word), i + 1
    else:
        compact = _COMPACT.fullmatch(word)
        if compact is None or not (compact[2] or word[0] == "y"):
            return None
        return float(compact[1]), i + 1, compact[2] or ""
    # 'six and a half'
    if [token.lower_ for token in doc[after : after + 3]] == ["and", "a", "half"]:
        value, after = value + 0.5, after + 3
    return value, after, ""


def _with_unit(doc: Doc, value: float, after: int, unit: str) -> float | None:
    # Convert '18 months' and '6 weeks old' to years; refuse '20 hours' and '2 years ago'.
    if not unit and after < len(doc):
        step = after + 1 if doc[after].text == "-" and after + 1 < len(doc) else after
        word = doc[step].lower_
        if word in _YEARS | _MONTHS | _WEEKS:
            unit, after = word, step + 1
        elif word in _NOT_AGE_UNITS:
            return None
    if after < len(doc) and doc[after].lower_ in _NOT_AGE_AFTER:
        return None
    if unit.startswith("m"):
        return round(value / 12, 2)
    if unit.startswith("w"):
        return round(value / 52, 2)
    return value


def _choose_age(ages: list[_Age], mentions_child: bool) -> float | None:
    # When the message is about a child, the writer's own age is not the one to search by.
    candidates = [age for age in ages if MIN_AGE <= age.years <= MAX_AGE and not (mentions_child and age.first_person)]
    stated = [age for age in candidates if age.stated]
    for chosen in (*stated, *candidates):
        return chosen.years
    return None


_THIRD_PERSON: Final = frozenset({"he", "she", "him", "his", "her", "hers"})


def _is_young_person(doc: Doc, found: _Found, ages: list[_Age], mentions_child: bool, age: float | None) -> bool:
    if mentions_child:
        return False
    low, high = YOUNG_PERSON_AGES
    own_ages = [a.years for a in ages if a.first_person]
    if own_ages:
        return low <= own_ages[0] <= high
    if age is not None and not low <= age <= high:
        return False
    # Without their own age, the writer must not be talking about someone else at all.
    if any(token.lower_ in _THIRD_PERSON for token in doc):
        return False
    if found.plans and any(token.lower_ == "i" for token in doc):
        return True
    # The setting and the 'I' must share a sentence: "I'm at college", "can i get help at college".
    return any(any(token.lower_ == "i" for token in span.sent) for span in found.settings)
