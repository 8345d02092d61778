"""Which messages only thank or acknowledge (a pleasantry back) and which still ask something."""

from __future__ import annotations

import pytest

from actions.conversation import is_thanks_or_acknowledgement


@pytest.mark.parametrize(
    "message",
    [
        "thanks",
        "ok rang 111 theyre arranging someone to see him tomorrow. thank u",
        "Thanks, I'll have a read of that.",
        "nice one",
        "brilliant thank you so much youve been really helpful",
        "cheers mate",
        "ok cool",
        "ok thx",
        "Great, that's all for now",
    ],
)
def test_thanks_and_acknowledgements_are_pleasantries(message: str) -> None:
    assert is_thanks_or_acknowledgement(message)


@pytest.mark.parametrize(
    "message",
    [
        "thanks, and what about transport",
        "thanks. how long does it take?",
        "thank you, can someone ring me",
        "great, I need help with the form",
        "my son has been refused transport",
        "is that it for appeals",
        "what about transport, thats all",
    ],
)
def test_a_message_that_still_asks_something_is_not(message: str) -> None:
    assert not is_thanks_or_acknowledgement(message)
