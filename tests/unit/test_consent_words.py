"""Only a yes that says nothing else is consent to pass the conversation to SENDIASS."""

from __future__ import annotations

import pytest

from actions.consent import is_clear_consent


@pytest.mark.parametrize(
    "message",
    [
        "yes",
        "Yes please",
        "ok go ahead, thanks",
        "yeah pass it on",
        "yes i'd like someone to call me",
        "sure!",
        "",
        "yes please put me in touch with them",
        "go on then",
    ],
)
def test_a_plain_yes_is_consent(message: str) -> None:
    assert is_clear_consent(message)


@pytest.mark.parametrize(
    "message",
    ["OK, and transport in that case?", "yes but how long does it take", "ok what about respite", "yes, is it free"],
)
def test_a_yes_that_asks_something_else_is_not(message: str) -> None:
    assert not is_clear_consent(message)
