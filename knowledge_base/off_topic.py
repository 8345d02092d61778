"""What an off-topic message looks like: the examples Rasa is trained on for 'out of scope' and small talk.

Out of scope means clearly unrelated to the Local Offer (bins, council tax, homework, jokes). A
short message in the middle of a conversation about SEND ('do we need a solicitor', 'is there like
a face to face thing') is nearly always about that conversation, even when it brings a word no page
uses. The test of 'clearly unrelated' is the nearest labelled neighbour: a message nearer one of
these examples than any passage or example question of the pages is off-topic.

The examples have one home, Rasa's training data (bot/data/nlu), so that a new off-topic wording
taught to the intent classifier teaches this test too.

A family may also say so itself: 'unrelated but...', 'random q but...' (``says_it_is_off_topic``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import yaml

NLU_DIR: Final = Path(__file__).resolve().parents[1] / "bot" / "data" / "nlu"
# (training file, intent) pairs whose examples are not questions for the pages.
SOURCES: Final = (("out_of_scope.yml", "out_of_scope"), ("chitchat.yml", "chitchat"))

# Rasa's entity markup: '[cheltenham](district)' or '[x]{"entity": ...}' is the word 'cheltenham'.
_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def examples_in(path: Path, intent: str) -> list[str]:
    """The plain text of each example of ``intent`` in one Rasa NLU file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: list[str] = []
    for block in data.get("nlu", []):
        if block.get("intent") != intent:
            continue
        for line in str(block.get("examples", "")).splitlines():
            text = line.strip()
            if text.startswith("- "):
                found.append(_ENTITY.sub(r"\1", text[2:].strip()))
    return [text for text in found if text]


@dataclass(frozen=True)
class OffTopicExample:
    text: str
    intent: str  # 'out_of_scope' or 'chitchat'


@cache
def off_topic_examples(nlu_dir: Path = NLU_DIR) -> tuple[OffTopicExample, ...]:
    """Every off-topic and small-talk example, in file order, each text once (its first intent)."""
    found: dict[str, OffTopicExample] = {}
    for name, intent in SOURCES:
        for text in examples_in(nlu_dir / name, intent):
            found.setdefault(text, OffTopicExample(text, intent))
    return tuple(found.values())


# A family saying itself that a question is off the subject: 'unrelated but...', 'random one but',
# 'totally off topic, ...', 'nothing to do with SEND but'. Only the opening few words are read, so
# 'is this random or is there a rule' and 'the school said it was unrelated to his autism' are not
# asides. A risk said after such an opening ('random but ive been cutting again') never reaches this
# test: the gateway's safety detector answers it first.
_ASIDE = re.compile(
    r"^\W*((ok(ay)?|so|also|and|lol|sorry|cheers|thanks|ta|right|oh|btw|hi|hey|hiya)\W+){0,3}"
    r"((this|it)(\s+is|'s|s)\s+)?((totally|completely|kinda|kind of|a bit|bit|slightly|very|quite|v)\s+)?"
    r"(unrelated|random|off[- ]?topic|nothing to do with (send|this|that|any of this|the above|forms?|schools?))"
    r"(\s+(one|q|qu|question|thing|thought))?\b[\s,.:;!?-]*((but|though|tho|however)\b[\s,:-]*)?",
    re.I,
)


def says_it_is_off_topic(message: str) -> bool:
    """Whether a message opens by saying that it is off the subject ('unrelated but whats a good laptop')."""
    return bool(_ASIDE.match(message))


def without_aside(message: str) -> str:
    """The message after an opening that says it is off the subject: what it actually asks."""
    return _ASIDE.sub("", message, count=1) or message
