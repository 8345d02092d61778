"""Every dialogue journey through the running stack: gateway -> Rasa -> actions -> knowledge base.

The app database and Rasa's tracker store are the stack's own SQLite files, read back to check what
was (and was not) stored.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

import httpx
import pytest

from app_store import AppStore
from tests.conftest import LiveStack

pytestmark = pytest.mark.e2e


class Conversation:
    """One browser tab talking to the gateway."""

    def __init__(self, stack: LiveStack, audience: str = "parent") -> None:
        self.stack = stack
        self.sender = uuid.uuid4().hex
        self.audience = audience

    def say(self, message: str) -> list[dict[str, Any]]:
        response = httpx.post(
            f"{self.stack.gateway_url}/api/chat",
            json={"sender_id": self.sender, "message": message, "audience": self.audience},
            timeout=90,
        )
        assert response.status_code == 200, response.text
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m["text"] for m in messages)


def buttons_of(messages: list[dict[str, Any]]) -> list[str]:
    return [b["title"] for m in messages for b in m["buttons"]]


def sources_of(messages: list[dict[str, Any]]) -> list[str]:
    return [s["url"] for m in messages for s in m["sources"]]


def escalations(stack: LiveStack, conversation: Conversation) -> list[Any]:
    store = AppStore(stack.settings.app_db_url)
    try:
        return [e for e in store.list_escalations() if e.conversation_id == conversation.sender]
    finally:
        store.close()


def test_service_finder_asks_only_for_what_is_missing_then_follows_up(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    first = chat.say("are there any autism groups for my 7 year old")
    # Need and age were given; only the area is asked for.
    assert "Stroud" in buttons_of(first), first
    cards = chat.say("Stroud")
    assert any("service.page?id=" in url for url in sources_of(cards)), cards
    assert "Change area" in buttons_of(cards)
    assert "Ages:" in text_of(cards)
    follow_up = chat.say("and in Cheltenham?")
    urls = sources_of(follow_up)
    assert urls, follow_up
    assert any("cheltenham" in url or "countywide" in url for url in urls), urls
    moved = chat.say("change area")
    assert "Tewkesbury" in buttons_of(moved), moved


def test_glos_is_checked_not_guessed(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("i need help finding a dyslexia group for my 9 year old")
    reply = chat.say("glos")
    assert "Gloucester" in text_of(reply)
    assert "Anywhere in Gloucestershire" in buttons_of(reply)


def test_a_glossary_question_gets_a_short_definition_and_a_link(live_stack: LiveStack) -> None:
    reply = Conversation(live_stack).say("what does SENCO mean")
    assert "SENCO" in text_of(reply) or "special educational needs co" in text_of(reply).lower()
    assert len(text_of(reply).split()) <= 80
    assert sources_of(reply)


def test_handoff_with_consent_writes_an_escalation_without_identifiers(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("How do I ask for an EHC needs assessment?")
    offered = chat.say("my son Jack's school won't follow his EHCP, call me on 07700 900123, what do I do?")
    text = text_of(offered)
    assert live_stack.settings.sendiass_phone in text  # contacts at once, before any consent
    assert "pass this conversation" in text
    assert "confidential" not in text.lower()
    assert "07700 900123" not in text
    assert "Jack" not in text
    asked = chat.say("yes")
    assert {"Phone", "Email"} <= set(buttons_of(asked)) or "phone" in text_of(asked).lower()
    chat.say("phone")
    done = chat.say("morning")
    assert "SEND-" in text_of(done)
    rows = escalations(live_stack, chat)
    assert len(rows) == 1
    row = rows[0]
    assert row.reason == "personal_case"
    assert not row.urgent
    assert row.contact_method == "phone"
    said = " ".join(turn.text for turn in row.transcript)
    assert "[phone number]" in said
    assert "07700" not in said
    assert "Jack" not in said
    assert any("ehc-needs-assessment" in link.url for link in row.links_given)
    # The conversation goes on after the handoff.
    after = chat.say("what is an annual review")
    assert sources_of(after)


def test_saying_no_to_the_handoff_passes_nothing_on(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("can i speak to a real person")
    reply = chat.say("no")
    assert "not passed anything on" in text_of(reply)
    assert live_stack.settings.sendiass_phone in text_of(reply)
    assert escalations(live_stack, chat) == []


def test_two_answers_that_did_not_help_lead_to_sendiass(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("how does school transport work")
    first = chat.say("that didn't help")
    assert "Talk to SENDIASS" in buttons_of(first)
    second = chat.say("that didn't help")
    assert "pass this conversation" in text_of(second)


def test_two_questions_the_pages_cannot_answer_lead_to_sendiass(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    first = chat.say("how do i apply for a blue badge for my daughter")
    assert "not sure" in text_of(first)
    second = chat.say("how do i apply for disabled students allowance at uni")
    assert "pass this conversation" in text_of(second) or "SENDIASS" in text_of(second)


def test_a_message_about_risk_gets_the_safety_response_first_and_an_urgent_escalation(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    reply = chat.say("my daughter told me she wants to kill herself")
    first = reply[0]["text"]
    assert "999" in first
    assert live_stack.settings.front_door_phone in first
    assert "confidential" not in text_of(reply).lower()
    rows = escalations(live_stack, chat)
    assert len(rows) == 1
    assert rows[0].urgent
    assert rows[0].reason == "safety"


def test_a_message_in_polish_gets_a_notice_in_polish_first(live_stack: LiveStack) -> None:
    reply = Conversation(live_stack).say("Dzień dobry, mój syn ma autyzm i potrzebuję pomocy w szkole")
    assert live_stack.settings.sendiass_phone in reply[0]["text"]
    assert "SENDIASS" in reply[0]["text"]
    assert "English" in text_of(reply)


def test_identifiers_never_reach_rasas_tracker_store(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("my email is jo.bloggs@example.com and my son was born on 03/04/2015, what is SEN support")
    db = sqlite3.connect(live_stack.settings.var_dir / "rasa" / "tracker.sqlite")
    try:
        stored = " ".join(
            row[0]
            for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (chat.sender,))
            if row[0] is not None
        )
    finally:
        db.close()
    assert stored
    assert "jo.bloggs" not in stored
    assert "03/04/2015" not in stored


def test_young_people_are_answered_from_future_me_pages(live_stack: LiveStack) -> None:
    reply = Conversation(live_stack, audience="young_person").say("can i go to college after year 11")
    assert any("future-me" in url for url in sources_of(reply)), reply


def test_show_more_and_tell_me_more(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("any groups for children with speech and language needs, my son is 6")
    first = chat.say("anywhere")
    more = chat.say("show more")
    assert sources_of(more), more
    assert set(sources_of(more)).isdisjoint(sources_of(first))
    answered = Conversation(live_stack)
    first_answer = answered.say("How do I ask for an EHC needs assessment?")
    further = answered.say("tell me more")
    assert sources_of(further)
    assert text_of(further) != text_of(first_answer)


def test_feedback_is_kept_without_identifiers(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    reply = chat.say("i want to leave feedback: this chatbot was really useful, thanks from sarah on 07700 900456")
    assert "feedback" in text_of(reply).lower() or "thank" in text_of(reply).lower()
    store = AppStore(live_stack.settings.app_db_url)
    try:
        kept = [f for f in store.list_feedback() if f.conversation_id == chat.sender]
    finally:
        store.close()
    assert kept, "no feedback row"
    assert "07700" not in kept[0].text


def test_a_complaint_is_handed_to_sendiass_with_consent(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    offered = chat.say("i want to make a complaint about my daughter's school")
    assert live_stack.settings.sendiass_phone in text_of(offered)
    assert "complain" in text_of(offered).lower()
    assert "pass this conversation" in text_of(offered)
    chat.say("yes")
    chat.say("no thanks")
    rows = escalations(live_stack, chat)
    assert [row.reason for row in rows] == ["complaint"]
