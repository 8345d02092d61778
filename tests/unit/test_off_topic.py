"""The off-topic examples come from Rasa's training data, as plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base.off_topic import (
    SOURCES,
    OffTopicExample,
    examples_in,
    off_topic_examples,
    says_it_is_off_topic,
    without_aside,
)


def test_examples_are_read_as_plain_text_without_entity_markup(tmp_path: Path) -> None:
    nlu = tmp_path / "nlu.yml"
    nlu.write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: out_of_scope\n"
        "  examples: |\n"
        "    - will it rain in [cheltenham](district) today\n"
        '    - bins in [stroud]{"entity": "district"}\n'
        "- intent: greet\n"
        "  examples: |\n"
        "    - hello\n",
        encoding="utf-8",
    )
    assert examples_in(nlu, "out_of_scope") == ["will it rain in cheltenham today", "bins in stroud"]
    assert examples_in(nlu, "greet") == ["hello"]
    assert examples_in(nlu, "chitchat") == []


def test_the_bots_own_off_topic_and_small_talk_examples_are_all_read() -> None:
    examples = off_topic_examples()
    texts = [example.text for example in examples]
    assert len(texts) == len(set(texts)) > 300
    assert OffTopicExample("when is my bin collection", "out_of_scope") in examples
    assert {example.intent for example in examples} == {"out_of_scope", "chitchat"}
    assert not any("](" in text or text.startswith("- ") for text in texts)
    assert [intent for _, intent in SOURCES] == ["out_of_scope", "chitchat"]


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("unrelated but wheres the nearest tip", "wheres the nearest tip"),
        ("Totally off topic, does anyone know a good plumber in Stroud?", "does anyone know a good plumber in Stroud?"),
        ("ok random one but whens the next bank holiday", "whens the next bank holiday"),
        (
            "thanks. completely unrelated question but what time does the library shut",
            "what time does the library shut",
        ),
        ("this is nothing to do with SEND but how do i renew my passport", "how do i renew my passport"),
        ("kinda random q - whats the weather doing", "whats the weather doing"),
    ],
)
def test_an_aside_that_says_it_is_off_the_subject_is_found(message: str, asked: str) -> None:
    assert says_it_is_off_topic(message)
    assert without_aside(message) == asked


@pytest.mark.parametrize(
    "message",
    [
        "is the panel's decision random or is there a rule",
        "the school said his behaviour was unrelated to his autism",
        "randomly he lashes out at home, who can help",
        "what is off rolling",
        "how do i appeal",
    ],
)
def test_a_message_that_only_uses_such_a_word_is_not_an_aside(message: str) -> None:
    assert not says_it_is_off_topic(message)
    assert without_aside(message) == message
