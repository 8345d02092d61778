"""The safety classifier's family messages: generated from the read sets, never from a blind or evaluation set."""

from __future__ import annotations

import pytest
import yaml

from bench.answer_set import BLIND_SETS, blind_turns
from bench.safety_eval import BLIND_SAFETY_SETS, LABELLED_FILE, READ_SAFETY_SETS, SETS, load_labelled_set
from bench.safety_examples import SAFETY_SOURCES, family_messages, kept_out, kind_of, main
from bench.safety_examples import comparison_key as _key
from safety.classifier import FAMILY_FILE, load_training_set
from safety.models import CATEGORIES


def test_the_file_is_what_the_read_sets_give() -> None:
    assert main(["--check"]) == 0


def test_a_blind_set_is_never_a_source() -> None:
    for name in BLIND_SETS:
        with pytest.raises(ValueError, match="blind"):
            family_messages(("dev", name))
    for name in BLIND_SAFETY_SETS:
        with pytest.raises(ValueError, match="blind"):
            family_messages(("dev",), ("holdout", name))
    with pytest.raises(ValueError, match="floor"):
        family_messages(("dev",), ("labelled",))


def test_the_read_safety_sets_are_sources_and_the_blind_ones_are_not() -> None:
    assert set(READ_SAFETY_SETS).isdisjoint(BLIND_SAFETY_SETS)
    assert "labelled" not in READ_SAFETY_SETS
    assert set(READ_SAFETY_SETS) | set(BLIND_SAFETY_SETS) | {"labelled"} == set(SETS)


def test_no_message_of_a_blind_set_or_the_labelled_set_is_among_the_family_messages() -> None:
    trained = {_key(m.text) for m in load_training_set()} - {_key(m.text) for m in load_training_set(family_file=None)}
    held_out = {_key(t.text) for t in blind_turns()}
    for path in [LABELLED_FILE, *(SETS[name] for name in BLIND_SAFETY_SETS)]:
        held_out |= {_key(m.text) for m in load_labelled_set(path)}
    assert trained
    assert not trained & held_out


def test_a_read_safety_sets_messages_are_trained_on_with_their_labels() -> None:
    trained = {(_key(m.text), m.at_risk) for m in load_training_set()}
    held_out = kept_out()
    for name in SAFETY_SOURCES:
        for message in load_labelled_set(SETS[name]):
            if _key(message.text) not in held_out:
                assert (_key(message.text), message.at_risk) in trained, name


def test_the_family_messages_are_trained_on_with_their_kinds() -> None:
    data = yaml.safe_load(FAMILY_FILE.read_text(encoding="utf-8"))
    assert set(data["at_risk"]) <= set(CATEGORIES)
    calm = data["not_at_risk"]
    family = sum(len(texts) for texts in data["at_risk"].values()) + sum(len(texts) for texts in calm.values())
    assert len(load_training_set()) == len(load_training_set(family_file=None)) + family


def test_the_sentences_of_ordinary_messages_teach_only_the_model_for_parts() -> None:
    data = yaml.safe_load(FAMILY_FILE.read_text(encoding="utf-8"))
    alone = {m.text for m in load_training_set() if m.alone}
    assert alone == {" ".join(text.split()) for text in data["not_at_risk"]["sentences"]}
    assert all(" . " not in text for text in alone)
    assert not any(m.alone for m in load_training_set(family_file=None))


@pytest.mark.parametrize(
    ("topic", "kind"),
    [
        ("suicidal-thoughts", "suicide_self_harm"),
        ("self_harm_teen", "suicide_self_harm"),
        ("missing_child_autism_info", "missing_person"),
        ("overdose_child", "medical_emergency"),
        ("domestic-abuse", "domestic_abuse"),
        ("online_grooming", "child_abuse_neglect"),
        ("carer-breaking-point", "immediate_danger"),
    ],
)
def test_a_writers_topic_names_the_kind_of_risk(topic: str, kind: str) -> None:
    assert kind_of(topic) == kind
