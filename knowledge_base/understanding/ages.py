"""Ages: the child's or young person's age in years (months and weeks become fractions).

A number is an age only when the words around it say so: 'my 7 year old', '7yo', 'aged 12',
'she's 16', 'im 17', 'turning 18'. '2 years ago', 'waited 18 months', '£16', '20 hours' and 'a
reading age of 6' are not ages. Ages outside 0-25 (the Local Offer's range) are not returned.

School years and stages follow :mod:`vocabulary.ages`: Year N is read as N+4, Reception as 4,
nursery and pre-school as 3, sixth form and post-16 as 16, toddler 2, baby 0.

Several ages. An age stated in words ('she's 16') beats one implied by a school year or a stage
('year 11'); among ages of the same kind, the first in the text wins. When the message mentions a
child, the writer's own age ('I'm 35') is not the child's and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from knowledge_base.understanding.matches import HYPHEN, NUM, OLD, Pattern, plain_pattern
from vocabulary.ages import (
    LOCAL_OFFER_MAX,
    LOCAL_OFFER_MIN,
    MAX_PLAUSIBLE_AGE,
    MONTH_WORDS,
    NUMBER_WORDS,
    RECEPTION_YEAR,
    STAGE_AGES,
    WEEK_WORDS,
    YEAR_WORDS,
    age_in_school_year,
)
from vocabulary.audiences import CHILD_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# 'twenty-one', 'twenty one'.
_NUM_TAIL: Final = ({"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["one", "two", "three", "four", "five"]}, "OP": "?"})
# 'I'm nearly 17', 'she's just turned 4'.
_HEDGE: Final = {
    "LOWER": {"IN": ["nearly", "almost", "just", "now", "only", "currently", "turning", "turned", "about", "already"]},
    "OP": "?",
}
_I_AM: Final = {"LOWER": {"IN": ["'m", "’m", "m", "am"]}}
_IS: Final = {"LOWER": {"IN": ["is", "'s", "’s", "s", "are", "'re", "’re", "turned", "turns", "turning"]}}
# Who 'is 7' in a message about a child.
_SUBJECTS: Final = ("he", "she", "they", "who", *CHILD_WORDS)
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


def patterns(nlp: Any) -> dict[str, list[Pattern]]:
    """Token patterns for ages, by match label ('age|old', 'age|school_year', 'age|stage:4')."""
    unit = {"LOWER": {"IN": sorted(YEAR_WORDS | MONTH_WORDS | WEEK_WORDS)}}
    found: dict[str, list[Pattern]] = {
        # '7 year old', '7-year-old', '18 months old', '7yo', '7 yrs old', '16 y/o'.
        "age|old": [
            [NUM, *_NUM_TAIL, HYPHEN, unit, HYPHEN, OLD],
            [NUM, {"LOWER": {"IN": ["yo", "y/o", "y.o", "yos"]}}],
            [NUM, {"LOWER": "y"}, {"ORTH": "/"}, {"LOWER": "o"}],
            [{"LOWER": {"REGEX": r"^\d{1,2}(?:yo|y/o)$"}}],
            [{"LOWER": {"REGEX": r"^\d{1,2}(?:y|yrs?|mths?|months?|wks?)$"}}, HYPHEN, OLD],
            [{"LOWER": {"REGEX": r"^\d{1,2}y$"}}, {"ORTH": "/"}, {"LOWER": "o"}],
        ],
        "age|aged": [[{"LOWER": {"IN": ["aged", "age", "ages"]}}, NUM]],
        "age|first_person": [
            [{"LOWER": "i"}, _I_AM, _HEDGE, NUM],
            [{"LOWER": "iam"}, _HEDGE, NUM],
            [{"LOWER": "i"}, {"LOWER": {"IN": ["turn", "turned"]}}, NUM],
        ],
        "age|about_child": [
            [{"LOWER": {"IN": list(_SUBJECTS)}}, _IS, _HEDGE, NUM],
            [{"IS_TITLE": True, "LOWER": {"NOT_IN": list(_NOT_NAMES)}}, _IS, _HEDGE, NUM],
            # 'my son (7)', 'my daughter, 12, ...'
            [{"LOWER": {"IN": list(CHILD_WORDS)}}, {"ORTH": {"IN": ["(", ","]}}, NUM, {"ORTH": {"IN": [")", ","]}}],
        ],
        "age|turning": [[{"LOWER": {"IN": ["turning", "turns", "turned"]}}, NUM]],
        "age|school_year": [
            [{"LOWER": {"IN": ["year", "years", "yr"]}}, NUM],
            [{"LOWER": {"REGEX": r"^(?:y|yr|year)\d{1,2}$"}}],
        ],
        f"age|stage:{age_in_school_year(RECEPTION_YEAR):g}": [[{"LOWER": "reception"}]],
    }
    for words, age in STAGE_AGES.items():
        found.setdefault(f"age|stage:{age:g}", []).append(plain_pattern(nlp, words))
    return found


@dataclass(frozen=True)
class Age:
    """One age read from a message."""

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
_CURRENCY: Final = frozenset({"£", "$", "€"})
# A number with its unit in one token: '7yo', '12yrs', '18mth', 'y9', 'yr9', 'year9'.
_COMPACT: Final = re.compile(r"(?:y|yr|year)?(\d{1,2})(yo|y/o|y|yrs?|mths?|months?|wks?)?")
_DIGITS: Final = re.compile(r"\d{1,2}(?:\.5)?")


def read_ages(spans: list[Span]) -> list[Age]:
    """Every age the matches read, in text order, one reading per number."""
    by_position: dict[int, Age] = {}
    for span in spans:
        age = _age_of(span)
        if age is None:
            continue
        # Several patterns may read one number ('I'm turning 18'): keep the most telling reading.
        known = by_position.get(age.position)
        if known is None or _rank(age) < _rank(known):
            by_position[age.position] = age
    return sorted(by_position.values(), key=lambda a: a.position)


def _rank(age: Age) -> int:
    return 0 if age.first_person else 1 if age.about_child else 2 if age.stated else 3


def _age_of(span: Span) -> Age | None:
    kind = span.label_.partition("|")[2]
    doc = span.doc
    if kind.startswith("stage:"):
        if _is_front_desk(doc, span):
            return None
        return Age(float(kind.partition(":")[2]), span.start, stated=False)
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
    if years is None or not LOCAL_OFFER_MIN <= years <= MAX_PLAUSIBLE_AGE:
        return None
    if kind == "first_person" and years != value:
        # 'I'm 20 weeks ...' is not the writer's age.
        return None
    return Age(years, i, stated=True, first_person=kind == "first_person", about_child=kind == "about_child")


def _is_front_desk(doc: Doc, span: Span) -> bool:
    # 'Ask at reception' is the front desk of a building, not the first year of school.
    if span.text.lower() != "reception":
        return False
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return before in {"at", "to", "call", "phone", "ring"} or after in {"desk", "staff", "area"}


def _school_year_age(doc: Doc, span: Span, i: int, value: float, after: int) -> Age | None:
    # 'a 2 year 6 month wait' is a duration; in 'year 2025' the number is a date.
    if span.start > 0 and doc[span.start - 1].like_num:
        return None
    if not value.is_integer() or not 1 <= value <= 13:
        return None
    if after < len(doc) and doc[after].lower_ in ("old", "olds"):
        return None
    return Age(age_in_school_year(value), i, stated=False)


def _number_at(doc: Doc, i: int) -> tuple[float, int, str] | None:
    """The number at token i, the index of the token after it, and any unit joined to it ('7yo')."""
    word = doc[i].lower_
    if word in NUMBER_WORDS:
        value, after = NUMBER_WORDS[word], i + 1
        if word == "twenty":
            # 'twenty-one', 'twenty one'
            step = after + 1 if after < len(doc) and doc[after].text == "-" else after
            ones = NUMBER_WORDS.get(doc[step].lower_, 10.0) if step < len(doc) else 10.0
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
        if word in YEAR_WORDS | MONTH_WORDS | WEEK_WORDS:
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


def choose_age(ages: list[Age], mentions_child: bool) -> float | None:
    """The age to search by (see the module docstring), None when there is none in 0-25."""
    # When the message is about a child, the writer's own age is not the one to search by.
    candidates = [
        age
        for age in ages
        if LOCAL_OFFER_MIN <= age.years <= LOCAL_OFFER_MAX and not (mentions_child and age.first_person)
    ]
    stated = [age for age in candidates if age.stated]
    for chosen in (*stated, *candidates):
        return chosen.years
    return None
