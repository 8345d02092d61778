"""The answer benchmark's judge: what a reply did, and whether it holds a key fact."""

from __future__ import annotations

from typing import Any

from bench.answer_quality import Figures, Judged
from bench.answer_scoring import (
    ACCEPTED,
    Markers,
    Observed,
    cited_page,
    content_words,
    fact_covered,
    is_answerable,
    observed_behaviour,
)
from bench.answer_set import Behaviour, Turn

MARKERS = Markers(front_door_phone="01452 426565", sendiass_phone="0800 158 3603")
SOURCE = {"title": "Asking", "url": "http://x/advice.page?id=ehc-needs-assessment#:~:text=Who", "last_updated": "2026"}


def test_kinds_decide_and_the_most_important_thing_wins() -> None:
    answer = {"text": "You ask the council in writing.", "sources": [SOURCE], "kind": "answer"}
    consent = {"text": "Would you like me to pass this conversation to them?", "kind": "consent"}
    safety = {"text": "Call 999.", "kind": "safety"}
    assert observed_behaviour([answer], MARKERS) == "answer"
    assert observed_behaviour([answer, consent], MARKERS) == "answer_and_signpost"
    assert observed_behaviour([consent], MARKERS) == "handoff"
    assert observed_behaviour([safety, answer], MARKERS) == "safety"
    assert observed_behaviour([], MARKERS) == "error"


def test_an_older_stack_without_kinds_is_read_from_its_words() -> None:
    safety = {"text": "If anyone is in danger now, call 999. Call the Front Door on 01452 426565."}
    not_sure = {"text": "I'm not sure I have a good answer to that.", "sources": [SOURCE]}
    handoff = {"text": "Call SENDIASS on 0800 158 3603."}
    form = {"text": "What kind of need is it about?"}
    assert observed_behaviour([safety], MARKERS) == "safety"
    assert observed_behaviour([not_sure], MARKERS) == "not_sure"
    assert observed_behaviour([handoff], MARKERS) == "handoff"
    assert observed_behaviour([form], MARKERS) == "clarify"
    assert observed_behaviour([{"text": "Quote.", "sources": [SOURCE]}], MARKERS) == "answer"


def test_not_sure_is_never_a_right_answer_and_an_offer_beside_an_answer_is_forgiven() -> None:
    assert "not_sure" not in ACCEPTED["answer"]
    assert "answer_and_signpost" in ACCEPTED["answer"]
    assert "answer" not in ACCEPTED["answer_and_signpost"]
    assert "answer_and_signpost" in ACCEPTED["handoff"]


def test_the_cited_page_is_the_first_answering_source_without_its_fragment() -> None:
    reply: list[dict[str, Any]] = [
        {"text": "Intro.", "kind": "tentative"},
        {"text": "Quote.", "sources": [SOURCE], "kind": "tentative"},
    ]
    assert cited_page(reply, MARKERS) == "http://x/advice.page?id=ehc-needs-assessment"


def test_a_fact_counts_when_half_its_content_words_are_in_the_reply() -> None:
    reply = content_words("Within six weeks of your request, the council must tell you whether it will assess.")
    assert fact_covered("The council must decide within 6 weeks", reply)
    assert not fact_covered("A diagnosis is not needed for an assessment request from parents", reply)


def test_numbers_and_word_forms_agree() -> None:
    assert content_words("six weeks") == content_words("6 week")
    assert "council" in content_words("The Councils")


def test_an_item_mapped_to_no_page_is_not_answerable() -> None:
    assert is_answerable("answer", None)
    assert is_answerable("answer_and_signpost", ["advice.page?id=appeals"])
    assert not is_answerable("answer", [])
    assert not is_answerable("handoff", None)


def _judged(expected: Behaviour, observed: Observed, cited: str | None, coverage: float | None, later: bool) -> Judged:
    turn = Turn(text="q", expected=expected, key_facts=["a fact"], pages=["advice.page?id=right"])
    return Judged("i", turn, later, later, observed, [], coverage, cited)


def test_the_gaps_split_wrong_pages_by_turn_and_key_facts_by_what_the_reply_did() -> None:
    figures = Figures("now")
    figures.judged = [
        _judged("answer", "answer", "https://x/advice.page?id=right", 0.8, False),
        _judged("answer", "answer", "https://x/advice.page?id=wrong", 0.2, False),
        _judged("answer", "answer", "https://x/advice.page?id=wrong", 0.0, True),
        _judged("answer_and_signpost", "not_sure", None, 0.0, True),
    ]
    gaps = figures.summary()["gaps"]
    assert (gaps["answers_opening"], gaps["wrong_page_rate_opening"]) == (2, 0.5)
    assert (gaps["answers_later_turns"], gaps["wrong_page_rate_later_turns"]) == (1, 1.0)
    assert gaps["answerable_with_facts"] == 4
    assert (gaps["share_right_page"], gaps["key_facts_right_page"]) == (0.25, 0.8)
    assert (gaps["share_wrong_page"], gaps["key_facts_wrong_page"]) == (0.5, 0.1)
    assert (gaps["share_unanswered"], gaps["key_facts_unanswered"]) == (0.25, 0.0)


def test_wrong_turns_are_counted_by_what_they_got_instead() -> None:
    figures = Figures("now")
    figures.judged = [
        _judged("answer", "answer", "https://x/advice.page?id=right", 0.8, False),
        _judged("answer_and_signpost", "not_sure", None, 0.0, True),
        _judged("answer", "not_sure", None, 0.0, False),
    ]
    assert figures.summary()["mistakes"] == {"answer -> not_sure": 1, "answer_and_signpost -> not_sure": 1}
