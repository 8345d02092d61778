"""One canonical form of a message for the rules and the classifier.

People type in a hurry and on phones: lower case, no apostrophes, stretched letters, text-speak.
Folding these into one form lets each rule be written once instead of once per spelling.
"""

from __future__ import annotations

import re
import unicodedata

# Sentence breaks survive as " . " so that rules can tell the end of a thought ("i dont see the
# point anymore.") from the start of a longer one ("i dont see the point of the review").
_BREAKS = re.compile(r"[.!?;:\n]+")
_NOT_WORD = re.compile(r"[^a-z0-9. ]+")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_NUMBER_STUCK_TO_WORD = re.compile(r"(\d)([a-z])")
_SPACES = re.compile(r"\s+")

# Contractions that change meaning when the apostrophe is dropped ("he'll" -> "hell").
_EXPAND = (
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'d\b"), " would"),
)

# Spellings folded into the one form the rules use. Keys are whole words.
_WORDS = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "wanna": "want to",
    "wana": "want to",
    "gonna": "going to",
    "gona": "going to",
    "gunna": "going to",
    "goin": "going",
    "gotta": "got to",
    "cus": "because",
    "coz": "because",
    "cos": "because",
    "cuz": "because",
    "bc": "because",
    "b4": "before",
    "yr": "year",
    "yrs": "years",
    "yo": "year old",
    "mom": "mum",
    "mommy": "mum",
    "mummy": "mum",
    "daddy": "dad",
    "cannot": "cant",
    "thru": "through",
    "tho": "though",
    "anymore": "any more",
    "nomore": "no more",
    "noone": "no one",
    "nobodys": "nobody is",
}
_PHRASES = (
    (re.compile(r"\bdo not\b"), "dont"),
    (re.compile(r"\bdoes not\b"), "doesnt"),
    (re.compile(r"\bdid not\b"), "didnt"),
    (re.compile(r"\bcan not\b"), "cant"),
    (re.compile(r"\bwill not\b"), "wont"),
    (re.compile(r"\bis not\b"), "isnt"),
    (re.compile(r"\bare not\b"), "arent"),
    (re.compile(r"\bhas not\b"), "hasnt"),
    (re.compile(r"\bhave not\b"), "havent"),
    (re.compile(r"\bwas not\b"), "wasnt"),
    (re.compile(r"\bcould not\b"), "couldnt"),
    (re.compile(r"\bi am\b"), "im"),
    (re.compile(r"\bhe is\b"), "hes"),
    (re.compile(r"\bshe is\b"), "shes"),
    (re.compile(r"\bthey are\b"), "theyre"),
)


def normalise(text: str) -> str:
    """Lower-case ``text`` and fold spellings, contractions and punctuation into one form."""
    folded = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    for pattern, replacement in _EXPAND:
        folded = pattern.sub(replacement, folded)
    folded = folded.replace("'", "")
    folded = _BREAKS.sub(" . ", folded)
    folded = _NOT_WORD.sub(" ", folded)
    folded = _STRETCHED.sub(r"\1", folded)
    folded = _NUMBER_STUCK_TO_WORD.sub(r"\1 \2", folded)  # "13yo" -> "13 yo"
    words = [_WORDS.get(word, word) for word in folded.split()]
    folded = " ".join(words)
    for pattern, replacement in _PHRASES:
        folded = pattern.sub(replacement, folded)
    return _SPACES.sub(" ", folded).strip()
