"""The off-topic examples come from Rasa's training data, as plain text."""

from __future__ import annotations

from pathlib import Path

from knowledge_base.off_topic import SOURCES, OffTopicExample, examples_in, off_topic_examples


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
