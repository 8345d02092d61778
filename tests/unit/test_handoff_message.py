from __future__ import annotations

import pytest

from actions.handoff import contact_method_in
from actions.messages import sendiass_message
from settings import Settings


def test_handoff_uses_the_configured_contacts_only() -> None:
    text = sendiass_message(Settings(sendiass_phone="01632 960999", sendiass_email=None, sendiass_hours=None))
    assert "01632 960999" in text
    assert "email" not in text.lower()
    assert "open" not in text.lower()
    assert "confidential" not in text.lower()


def test_handoff_adds_email_and_hours_when_configured() -> None:
    text = sendiass_message(
        Settings(sendiass_email="sendiass@example.org", sendiass_hours="Monday to Friday, 9am to 5pm")
    )
    assert "sendiass@example.org" in text
    assert "Monday to Friday, 9am to 5pm" in text


def test_handoff_sentences_are_short() -> None:
    for sentence in sendiass_message(Settings()).replace("\n", " ").split(". "):
        assert len(sentence.split()) <= 20, sentence


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("phone please", "phone"),
        ("can you ring me", "phone"),
        ("Email is best", "email"),
        ("no thanks", "none"),
        ("while I wait, what evidence should I be gathering", None),  # 'gathering' holds 'ring'
        ("what is the context of this", None),  # 'context' holds 'text'
    ],
)
def test_the_contact_method_is_read_from_whole_words(text: str, method: str | None) -> None:
    assert contact_method_in(text) == method
