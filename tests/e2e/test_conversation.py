"""A first real conversation through every layer: gateway -> Rasa -> actions -> knowledge base."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from bs4 import BeautifulSoup

from demo_site.server import PAGES_DIR
from tests.conftest import LiveStack

pytestmark = pytest.mark.e2e


def chat(stack: LiveStack, message: str, sender: str | None = None) -> list[dict[str, Any]]:
    response = httpx.post(
        f"{stack.gateway_url}/api/chat",
        json={"sender_id": sender or uuid.uuid4().hex, "message": message},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def page_text(page_id: str) -> str:
    soup = BeautifulSoup((PAGES_DIR / "advice" / f"{page_id}.html").read_bytes(), "lxml")
    return " ".join(soup.get_text(" ").split())


def test_health_reports_every_component(live_stack: LiveStack) -> None:
    health = httpx.get(f"{live_stack.gateway_url}/healthz", timeout=10).json()
    assert health["status"] == "ok", health
    assert "passages" in health["knowledge_base"]["detail"]


def test_ehc_question_is_answered_from_the_ehc_page_with_its_source(live_stack: LiveStack) -> None:
    messages = chat(live_stack, "How do I ask for an EHC needs assessment?")
    answers = [m for m in messages if m["sources"]]
    assert answers, messages
    source = answers[0]["sources"][0]
    assert "advice.page?id=ehc-needs-assessment" in source["url"]
    assert source["url"].startswith(live_stack.demo_site_url)
    assert source["title"]
    assert source["last_updated"]
    # Extractive: every line the bot says is the page's own words.
    text = page_text("ehc-needs-assessment")
    for line in answers[0]["text"].splitlines():
        assert " ".join(line.removeprefix("- ").split()) in text, line
    # The cited link really serves the page.
    assert httpx.get(source["url"], timeout=10).status_code == 200


def test_asking_for_a_person_hands_off_to_sendiass_with_the_configured_phone(live_stack: LiveStack) -> None:
    sender = uuid.uuid4().hex
    chat(live_stack, "hello", sender)
    messages = chat(live_stack, "I want to talk to someone", sender)
    text = "\n".join(m["text"] for m in messages)
    assert "SENDIASS" in text
    assert live_stack.settings.sendiass_phone in text
    assert "confidential" not in text.lower()


def test_greeting_and_goodbye(live_stack: LiveStack) -> None:
    sender = uuid.uuid4().hex
    assert any("SEND" in m["text"] for m in chat(live_stack, "hi there", sender))
    assert chat(live_stack, "bye", sender)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"sender_id": "abc12345", "message": "   "}, 422),
        ({"sender_id": "abc12345", "message": "x" * 1001}, 422),
        ({"sender_id": "no spaces allowed", "message": "hello"}, 422),
        ({"sender_id": "abc12345", "message": "hello", "audience": "robot"}, 422),
    ],
)
def test_bad_input_is_refused_clearly(live_stack: LiveStack, body: dict[str, Any], status: int) -> None:
    response = httpx.post(f"{live_stack.gateway_url}/api/chat", json=body, timeout=10)
    assert response.status_code == status
    assert response.json()["detail"]


def test_off_topic_messages_get_the_out_of_scope_reply_without_sources(live_stack: LiveStack) -> None:
    messages = chat(live_stack, "what is the football score")
    assert "only help with SEND support" in messages[0]["text"]
    assert not any(m["sources"] for m in messages)


def test_a_question_the_pages_do_not_answer_gets_an_honest_not_sure(live_stack: LiveStack) -> None:
    messages = chat(live_stack, "how do i apply for a passport for my autistic son")
    assert "not sure" in messages[0]["text"]
    assert any(b["payload"] == "/request_human" for b in messages[0]["buttons"])


def test_thanks_is_acknowledged(live_stack: LiveStack) -> None:
    messages = chat(live_stack, "thanks that helps")
    assert messages
    assert not any(m["sources"] for m in messages)


def test_a_young_person_on_future_me_is_pointed_to_pages_written_for_them(live_stack: LiveStack) -> None:
    response = httpx.post(
        f"{live_stack.gateway_url}/api/chat",
        json={
            "sender_id": uuid.uuid4().hex,
            "message": "How do I ask for an EHC needs assessment?",
            "audience": "young_person",
        },
        timeout=60,
    )
    sources = [s["url"] for m in response.json()["messages"] for s in m["sources"]]
    assert sources
    assert "id=young-person-requesting-assessment" in sources[0] or "id=future-me" in sources[0]
