"""Which intents the two-stage fallback offers as buttons."""

from __future__ import annotations

import pytest

from actions.fallback import close_intents


def ranking(*pairs: tuple[str, float]) -> list[dict[str, object]]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


@pytest.mark.parametrize(
    ("scores", "offered"),
    [
        # Two goals close together: both offered, best first. Rasa's own nlu_fallback is ignored.
        (
            [("nlu_fallback", 0.95), ("define_term", 0.50), ("ask_question", 0.49), ("inform", 0.01)],
            ["define_term", "ask_question"],
        ),
        ([("find_service", 0.46), ("ask_question", 0.42)], ["find_service", "ask_question"]),
        ([("personal_case", 0.40), ("complaint", 0.36)], ["personal_case", "complaint"]),
        # Too far apart: the knowledge base tries the words instead.
        ([("personal_case", 0.40), ("complaint", 0.34)], []),
        ([("ask_question", 0.50), ("define_term", 0.38)], []),
        # Close, but the second is too unlikely to be worth a button.
        ([("define_term", 0.17), ("ask_question", 0.16)], []),
        # A near tie with small talk or a slot value is not offered.
        ([("chitchat", 0.28), ("inform", 0.25)], []),
        ([("ask_question", 0.28), ("chitchat", 0.26)], []),
        ([("inform", 0.30), ("define_term", 0.29)], []),
        # Nothing to choose between.
        ([("ask_question", 0.2)], []),
        ([], []),
    ],
)
def test_the_fallback_offers_two_close_goals_or_nothing(scores: list[tuple[str, float]], offered: list[str]) -> None:
    assert close_intents(ranking(*scores)) == offered
