"""People's names, found after the words that introduce them.

A name is only looked for straight after a cue, and the word there must look like a name:

- kinship cues: 'my son Jack', 'my daughter, Amelia,', 'my grandson oliver', 'my 7 year old Mia';
- naming cues: 'her name is Mia', "he's called Ollie", 'my name is sarah jones';
- introductions: "I'm Sarah", 'this is Jo', 'my son is Jack'; 'about' and 'regarding': 'this is
  about Noah Smith'; a family word after a name: "Jack's mum here";
- titles: 'Mrs Patel', 'Dr. Jones';
- sign-offs at the very end of a message: 'thanks, Jo', 'Many thanks for your help\nSarah x'.

A word that is not an ordinary English word (see :mod:`privacy.name_words`) is a name: 'my son
jack has autism' loses 'jack' but keeps 'has'. An ordinary word is a name only with a capital
letter after a kinship cue, a naming cue or a sign-off ('my daughter Grace', 'called Will',
'Regards, Mark'), so 'my son will start school' is left alone; after 'name is' a lower-case noun
is a name too ('his name is leo'). Grammar words, SEND terms (SENCO, EHCP, ADHD) and place names
(Stroud, Cheltenham) are never names. A name followed by 'School', 'Academy', 'Road' and the like
names a place, so it is kept.

Names with no cue before them ('Jack has autism') are not found: telling them from the names of
services and places needs a trained model, which this module does not use.
"""

from __future__ import annotations

import re
from enum import Enum

from privacy.name_words import (
    INSTITUTION_WORDS,
    is_descriptive_word,
    is_never_a_name,
    is_ordinary_word,
    is_place,
)
from privacy.spans import Span
from vocabulary.words import word_set


class _Cue(Enum):
    """How strongly the words before a name say that a name comes next."""

    KIN = "kin"  # 'my son'
    NAME_IS = "name is"  # 'her name is', 'my name's'
    NAMING = "naming"  # 'called', 'named', 'known as'
    INTRO = "intro"  # "I'm", 'this is'
    ABOUT = "about"  # 'about', 'regarding'
    SIGN_OFF = "sign-off"  # 'thanks,' at the end of a message


# Only these cues make an ordinary word ('Grace', 'Will') a name, and then only with a capital.
_STRONG_CUES = frozenset({_Cue.KIN, _Cue.NAME_IS, _Cue.NAMING, _Cue.SIGN_OFF})
# Words that end a message after 'thanks' without being anyone's name.
_SIGN_OFF_NOT_NAMES = word_set("mum mummy mom dad daddy nan nana grandma grandad everyone everybody guys team bot mate")

# Each a regular expression starting with a plain letter.
_KIN_WORDS = (
    *("sons?", "daughters?", "child", "children", "kids?", "boys?", "girls?", "babies", "baby", "toddler"),
    *("grandsons?", "granddaughters?", "grandchild", "grandchildren", "step-?sons?", "step-?daughters?"),
    *("nephews?", "nieces?", "brothers?", "sisters?", "husband", "wife", "partner", "twins?", "teenager", "teen"),
    *("mum", "mom", "mother", "dad", "father", "cousin", "friend", "carer", "eldest", "youngest", "oldest"),
    *("years?[- ]?old", "yrs?[- ]?old", "yo"),
)
_KIN_NOUNS = "|".join(_KIN_WORDS)
# Checking the first letter before trying thirty alternatives makes this, the most common cue,
# four times quicker to scan for.
_KIN_FIRST_LETTERS = "".join(sorted({word[0] for word in _KIN_WORDS}))

_CUES: list[tuple[_Cue, re.Pattern[str]]] = [
    # Only the noun matters: the name comes after it ('my adopted son Jack', 'my 7 year old Mia').
    (_Cue.KIN, re.compile(rf"(?<![^\W\d_])(?=[{_KIN_FIRST_LETTERS}])(?:{_KIN_NOUNS})\b", re.IGNORECASE)),
    (
        _Cue.NAME_IS,
        re.compile(r"\b(?:names?\s+(?:is|are|was)|name['’]s)\b", re.IGNORECASE),
    ),
    (
        _Cue.NAMING,
        re.compile(r"\b(?:named|called|known\s+as|goes\s+by|call\s+me)\b", re.IGNORECASE),
    ),
    (_Cue.INTRO, re.compile(r"\b(?:i['’]?m|i\s+am|this\s+is)\b", re.IGNORECASE)),
    (_Cue.ABOUT, re.compile(r"\b(?:about|regarding)\b", re.IGNORECASE)),
]
# A name before a family word: "Jack's mum here". Only non-words count ("the council's").
_PARENT_OF = re.compile(
    r"['’]s\s+(?:mum|mom|mummy|dad|daddy|mother|father|parents?|carers?|nan|nana|gran"
    r"|granny|grandma|grandad|grandpa|grandparents|sister|brother|aunt|auntie|uncle)\b",
    re.IGNORECASE,
)
_WORD_BEFORE = re.compile(r"(?<![^\W\d_])[^\W\d_]+$")
# 'my son is Jack' is weaker than 'my son Jack': 'my son is autistic' follows the same words.
_IS_AFTER_KIN = re.compile(r"[ \t]+(?:is|was)\b", re.IGNORECASE)
# Titles are matched with their capital only: 'I miss school' has no name in it.
_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+")
# 'love' and 'from' sign off only with a comma or a new line: 'he would love Lego' has no name.
_SIGN_OFF = re.compile(
    r"(?:\b(?:thanks|thank\s*you|thx|regards|wishes|cheers|sincerely)\b[\s,.!:\-–—]*"
    r"|\b(?:love|from)[ \t]*[,\n]\s*)",
    re.IGNORECASE,
)
_SIGN_OFF_REACH = 60  # characters from the sign-off word to the end of the message

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
# Between a cue and its name: 'my son Jack', 'my daughter, Amelia', 'my son (Jack)', 'my son - Jack'.
_CUE_GAP = re.compile(r"[ \t]*(?:[,:(\-–—][ \t]*)?")
_LIST_GAP = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+)?|[ \t]and[ \t]+|[ \t]*&[ \t]*)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)
_KISSES = re.compile(r"\bx+\b", re.IGNORECASE)
_MONTHS_AND_DAYS = word_set(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday"
)
_MAX_NAME_WORDS = 3  # 'Noah James Smith'
_MAX_LISTED_NAMES = 6  # 'Jack, Amelia and Noah'
_NUMBER_NEXT = re.compile(r"[ \t]*\d")


def find_names(text: str) -> list[Span]:
    """Every cued name in the text (see the module docstring for the cues and the tests a word must pass)."""
    shouting = text == text.upper()  # capitals say nothing in an all-capitals message
    found: list[Span] = []
    for cue, pattern in _CUES:
        for match in pattern.finditer(text):
            found.extend(_names_after(text, match.end(), cue, shouting))
            if cue is _Cue.KIN and (verb := _IS_AFTER_KIN.match(text, match.end())):
                found.extend(_names_after(text, verb.end(), _Cue.INTRO, shouting))
    for match in _PARENT_OF.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
        if before and not (
            is_ordinary_word(before.group()) or is_never_a_name(before.group()) or is_place(before.group())
        ):
            found.append(Span(before.start(), before.end(), "name"))
    for match in _TITLE.finditer(text):
        found.extend(_surname_after_title(text, match.end(), shouting))
    found.extend(_signature(text, shouting))
    unique: list[Span] = []
    for span in sorted(set(found), key=lambda s: (s.start, -s.end)):
        if not any(span.overlaps(kept) for kept in unique):
            unique.append(span)
    return unique


def _names_after(text: str, position: int, cue: _Cue, shouting: bool) -> list[Span]:
    """The name (or list of names: 'Jack, Amelia and Noah') that follows a cue ending at ``position``."""
    gap = _CUE_GAP.match(text, position)
    word = _WORD.match(text, gap.end() if gap else position)
    if word is None or not _looks_like_name(_core(word.group()), cue, shouting):
        return []
    names: list[Span] = []
    while word is not None:
        span = _full_name(text, word, shouting)
        if _names_a_place(text, span.end):
            return names
        names.append(span)
        if _POSSESSIVE.match(text, span.end) or len(names) >= _MAX_LISTED_NAMES:
            break  # a possessive ('Jack's school') ends the list
        list_gap = _LIST_GAP.match(text, span.end)
        word = _WORD.match(text, list_gap.end()) if list_gap else None
        if word is not None and not _looks_like_listed_name(_core(word.group()), shouting):
            word = None
    return names


def _full_name(text: str, first: re.Match[str], shouting: bool) -> Span:
    """The first name with any further names after it ('Noah Smith', 'sarah jones')."""
    end = first.start() + len(_core(first.group()))
    lower_first = first.group()[0].islower()
    current = first
    for _ in range(_MAX_NAME_WORDS - 1):
        if current.end() != end:
            break  # 'Noah's mum': the possessive closes the name
        nxt = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
        if nxt is None or not _looks_like_surname(_core(nxt.group()), lower_first, shouting, text, nxt.end()):
            break
        current = nxt
        end = nxt.start() + len(_core(nxt.group()))
    return Span(first.start(), end, "name")


def _surname_after_title(text: str, position: int, shouting: bool) -> list[Span]:
    word = _WORD.match(text, position)
    if word is None:
        return []
    core = _core(word.group())
    if not _is_capitalised(core, shouting) or is_never_a_name(core) or is_place(core):
        return []
    return [_full_name(text, word, shouting)]


def _signature(text: str, shouting: bool) -> list[Span]:
    """The name after a sign-off ('thanks, Jo') when it ends the message."""
    for sign_off in reversed(list(_SIGN_OFF.finditer(text, max(0, len(text) - _SIGN_OFF_REACH)))):
        tail = text[sign_off.end() :]
        if re.search(r"[.?!]\s*\w", tail):
            continue  # another sentence follows the sign-off: the message does not end with a name
        words = list(_WORD.finditer(text, sign_off.end()))
        while words and _KISSES.fullmatch(words[-1].group()):
            words.pop()
        if not words or any(ch.isalnum() for ch in _KISSES.sub("", text[words[-1].end() :])):
            continue
        # 'Sarah Jones' or just 'Jo' at the end: try the longer reading first.
        for first in words[-2:]:
            core = _core(first.group())
            if _looks_like_name(core, _Cue.SIGN_OFF, shouting):
                span = _full_name(text, first, shouting)
                if span.end >= words[-1].start() + len(_core(words[-1].group())):
                    return [span]
        return []
    return []


def _looks_like_name(word: str, cue: _Cue, shouting: bool) -> bool:
    if is_never_a_name(word) or is_place(word) or _is_acronym(word, shouting):
        return False
    if cue is _Cue.ABOUT and not _is_capitalised(word, shouting):
        return False  # 'about' is followed by all sorts of words; only capitals suggest a name
    if cue is _Cue.SIGN_OFF and word.lower() in _SIGN_OFF_NOT_NAMES:
        return False
    if not is_ordinary_word(word):
        return True
    if cue is _Cue.NAME_IS and not is_descriptive_word(word) and not word.lower().endswith(("ed", "ing")):
        return True  # 'his name is leo': after 'name is' even a lower-case noun is a name
    return cue in _STRONG_CUES and _is_capitalised(word, shouting)


def _looks_like_listed_name(word: str, shouting: bool) -> bool:
    # After 'Jack,' an ordinary capitalised word is as likely 'Year' or 'Stroud' as a name.
    return not (is_never_a_name(word) or is_place(word) or _is_acronym(word, shouting) or is_ordinary_word(word))


def _looks_like_surname(word: str, lower_first: bool, shouting: bool, text: str, end: int) -> bool:
    lower = word.lower()
    if is_never_a_name(word) or is_place(word) or lower in INSTITUTION_WORDS or lower in _MONTHS_AND_DAYS:
        return False
    if _NUMBER_NEXT.match(text, end):
        return False  # 'Jack Year 9', 'Amelia Class 3'
    if _is_capitalised(word, shouting):
        return True
    # 'sarah jones': a lower-case surname only after a lower-case first name, and only a non-word.
    return lower_first and word[0].islower() and not is_ordinary_word(word)


def _names_a_place(text: str, end: int) -> bool:
    """Whether the word after a name makes it a place or an institution ('Belmont School')."""
    nxt = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return nxt is not None and nxt.group().lower() in INSTITUTION_WORDS


def _core(word: str) -> str:
    """The word without a possessive ending: 'Jack's' is checked (and redacted) as 'Jack'."""
    return word[:-2] if len(word) > 2 and _POSSESSIVE.fullmatch(word[-2:]) else word


def _is_capitalised(word: str, shouting: bool) -> bool:
    return not shouting and word[0].isupper() and not _is_acronym(word, shouting)


def _is_acronym(word: str, shouting: bool) -> bool:
    return not shouting and len(word) > 1 and word.isupper()
