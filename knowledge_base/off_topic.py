"""What an off-topic message looks like: the examples Rasa is trained on for 'out of scope' and small talk.

Out of scope means clearly unrelated to the Local Offer (bins, council tax, homework, jokes). A
short message in the middle of a conversation about SEND ('do we need a solicitor', 'is there like
a face to face thing') is nearly always about that conversation, even when it brings a word no page
uses. The test of 'clearly unrelated' is the nearest labelled neighbour: a message nearer one of
these examples than any passage or example question of the pages is off-topic.

The examples have one home, Rasa's training data (bot/data/nlu), so that a new off-topic wording
taught to the intent classifier teaches this test too.
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
