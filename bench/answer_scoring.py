"""How one reply of the running assistant is judged: what it did, and which key facts it holds.

A reply is the list of messages ``POST /api/chat`` returns for one message. Each message may say
what it is (``kind``, set by the actions and the gateway); a message without one (a Rasa response
from the domain, or a stack older than the kinds) is read from its words, its contact numbers and
its sources, so that today's assistant and an older one are judged by the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal
from urllib.parse import urldefrag

import Stemmer

from bench.answer_set import ANSWERABLE, Behaviour

Observed = Literal[
    "answer", "answer_and_signpost", "handoff", "safety", "clarify", "out_of_scope", "small_talk", "not_sure", "error"
]

# What counts as the right behaviour for each label. An answer that also offers SENDIASS is still
# an answer; a handoff that also answers the general question is still a handoff. Nothing else is
# forgiven: 'not sure' is never right for an answerable question, and a question is never right
# for a clear one.
ACCEPTED: dict[Behaviour, frozenset[Observed]] = {
    "answer": frozenset({"answer", "answer_and_signpost"}),
    "answer_and_signpost": frozenset({"answer_and_signpost"}),
    "handoff": frozenset({"handoff", "answer_and_signpost"}),
    "safety": frozenset({"safety"}),
    "clarify": frozenset({"clarify"}),
    "out_of_scope": frozenset({"out_of_scope"}),
    "small_talk": frozenset({"small_talk"}),
}

ANSWER_KINDS = frozenset({"answer", "tentative", "services", "definition"})
OFFER_KINDS = frozenset({"handoff", "consent"})


# What the bot says when it needs more before it can act (its fallback, its forms).
_CLARIFY_CUES = ("not sure what you mean", "another way", "what kind of need", "how old is", "which area")


@dataclass(frozen=True)
class Markers:
    """Words and numbers that show what an unlabelled message is (from the stack's settings)."""

    front_door_phone: str
    sendiass_phone: str


def message_kind(message: dict[str, Any], markers: Markers) -> str:
    """The message's own kind, or the kind its words show."""
    kind = message.get("kind")
    if kind:
        return str(kind)
    text = str(message.get("text") or "")
    lowered = text.lower()
    if markers.front_door_phone in text and "999" in text:
        return "safety"
    if "not sure i have a good answer" in lowered:
        return "not_sure"
    if "pass this conversation to sendiass" in lowered:
        return "consent"
    if markers.sendiass_phone in text:
        return "handoff"
    if any(cue in lowered for cue in _CLARIFY_CUES):
        return "clarify"
    if "can only help with" in lowered:
        return "out_of_scope"
    if message.get("sources"):
        return "answer"
    return "small_talk"


def observed_behaviour(messages: Sequence[dict[str, Any]], markers: Markers) -> Observed:
    """What the whole reply did, by the most important thing in it."""
    if not messages:
        return "error"
    kinds = {message_kind(m, markers) for m in messages}
    if "safety" in kinds:
        return "safety"
    answered, offered = bool(kinds & ANSWER_KINDS), bool(kinds & OFFER_KINDS)
    if answered and offered:
        return "answer_and_signpost"
    if answered:
        return "answer"
    if offered:
        return "handoff"
    if "not_sure" in kinds:
        return "not_sure"
    if "clarify" in kinds:
        return "clarify"
    if "out_of_scope" in kinds:
        return "out_of_scope"
    if "error" in kinds:
        return "error"
    return "small_talk"


def cited_page(messages: Sequence[dict[str, Any]], markers: Markers) -> str | None:
    """The address (without fragment) of the first page an answering message cites."""
    for message in messages:
        if message_kind(message, markers) in ANSWER_KINDS:
            for source in message.get("sources") or []:
                return urldefrag(str(source.get("url", "")))[0]
    return None


def page_matches(url: str, expected: Iterable[str]) -> bool:
    """Whether ``url`` is one of the expected pages (given whole or by their ending)."""
    return any(url == page or url.endswith(page) for page in expected)


# Function words and the words every reply or fact about SEND is full of; what is left carries the
# fact ('council', 'decide', '6', 'weeks').
_STOPWORD_TEXT = (
    "a about above after again against all am an and any are as at be because been before being "
    "below between both but by can could did do does doing down during each few for from further "
    "had has have having he her here hers herself him himself his how i if in into is it its itself "
    "just me more most my myself no nor not of off on once only or other our ours ourselves out "
    "over own same she should so some such than that the their theirs them themselves then there "
    "these they this those through to too under until up very was we were what when where which "
    "while who whom why will with would you your yours yourself yourselves also may might must "
    "shall get gets got can't cannot don't it's i'm etc via usually often always every"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fifteen": "15",
    "sixteen": "16",
    "eighteen": "18",
    "twenty": "20",
    "twenty-five": "25",
}
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def content_words(text: str) -> set[str]:
    """Stemmed content words, with number words as digits ('six weeks' and '6 weeks' agree)."""
    words = [_NUMBER_WORDS.get(w, w) for w in _WORD.findall(text.lower().replace("’", "'"))]
    kept = [w for w in words if w not in _STOPWORDS and (len(w) > 1 or w.isdigit())]
    return set(_stemmer().stemWords(kept))


def fact_covered(fact: str, reply_words: set[str]) -> bool:
    """A fact counts when at least half of its content words are in the reply."""
    words = content_words(fact)
    if not words:
        return True
    return len(words & reply_words) * 2 >= len(words)


def fact_coverage(facts: Sequence[str], messages: Sequence[dict[str, Any]]) -> float | None:
    """The share of key facts a reply holds (None when the item has none)."""
    if not facts:
        return None
    reply = content_words(" ".join(str(m.get("text") or "") for m in messages))
    return sum(fact_covered(fact, reply) for fact in facts) / len(facts)


def is_answerable(expected: Behaviour, pages: list[str] | None) -> bool:
    """An item the pages can answer: labelled answer (or answer and signpost), and not mapped to no page."""
    return expected in ANSWERABLE and pages != []
