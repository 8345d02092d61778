"""The question log, written by the real gateway (FastAPI app, detectors, SQLite app database)
after each turn. Rasa is a small HTTP server on loopback that answers in the shape of Rasa's REST
webhook, with the custom payloads the actions send (kind, sources, confidence, the 'not helpful'
mark)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app_store import AppStore
from gateway.app import create_app
from settings import Settings
from tests.conftest import free_port
from tests.rasa_webhook import rasa_webhook

PAGE = "http://127.0.0.1:8080/kb5/gloucs/glosfamilies/advice.page?id=ehc-needs-assessment"


def replies(message: str) -> list[dict[str, Any]]:
    """What the stand-in Rasa says to each message, as Rasa's REST channel would."""
    if message == "/answer_not_helpful":
        return [
            {"text": "Sorry that didn't help. These pages might have what you need."},
            {"custom": {"kind": "not_sure", "sources": []}},
            {"custom": {"feedback": "not_helpful"}},
        ]
    if message == "that didn't help again":
        return [
            {"text": "Sorry, I haven't been able to help. Call SENDIASS on 0800 158 3603."},
            {"custom": {"kind": "handoff", "sources": []}},
            {"text": "Would you like me to pass this conversation to them?"},
            {"custom": {"kind": "consent"}},
            {"custom": {"feedback": "not_helpful"}},
        ]
    if message == "/answer_helped":
        return [{"text": "I'm glad that helped."}]
    if message == "/safety_concern":
        return [{"text": "I'm still here if you want to ask about SEND support."}]
    if "dentist" in message:
        return [{"text": "I could not find anything about that."}, {"custom": {"kind": "out_of_scope"}}]
    return [
        {"text": "You can ask the council for an assessment in writing."},
        {
            "custom": {
                "kind": "answer",
                "sources": [{"title": "Asking for an EHC needs assessment", "url": PAGE + "#:~:text=ask"}],
                "confidence": 0.91,
            }
        },
    ]


@pytest.fixture
def rasa_port() -> Iterator[int]:
    with rasa_webhook(lambda body: replies(body["message"])) as port:
        yield port


@pytest.fixture
def settings(tmp_path: Path, rasa_port: int) -> Settings:
    return Settings(var_dir=tmp_path, rasa_port=rasa_port, action_port=free_port(), rasa_timeout_seconds=2)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def say(client: TestClient, sender: str, message: str) -> list[dict[str, Any]]:
    response = client.post("/api/chat", json={"sender_id": sender, "message": message})
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def test_each_question_is_logged_redacted_with_what_the_assistant_did(client: TestClient, settings: Settings) -> None:
    sender = "log-test-0001"
    say(client, sender, "My son Jack needs an EHCP, call me on 07700 900123, how do I ask?")
    say(client, sender, "/answer_helped")  # a button: feedback on the turn before, not a question
    say(client, sender, "is there a dentist for autistic children")
    with AppStore.from_settings(settings) as store:
        turns = store.turns_of(sender)
    assert [t.outcome for t in turns] == ["answer", "out_of_scope"]
    first = turns[0]
    assert "07700" not in first.question
    assert "Jack" not in first.question
    assert "[phone number]" in first.question
    assert first.page_url == PAGE
    assert first.page_title == "Asking for an EHC needs assessment"
    assert first.confidence == pytest.approx(0.91)
    assert first.helpful is True
    assert turns[1].page_url is None
    assert turns[1].helpful is None
    # The raw message is nowhere in the app database.
    engine = create_engine(settings.app_db_url)
    with engine.connect() as connection:
        dump = "\n".join(str(row) for row in connection.execute(text("SELECT * FROM question_log")))
    engine.dispose()
    assert "07700" not in dump
    assert "Jack" not in dump


def test_that_didnt_help_asks_why_and_keeps_the_reason_with_the_answer(client: TestClient, settings: Settings) -> None:
    sender = "log-test-0002"
    say(client, sender, "how do I ask for an EHC needs assessment")
    reply = say(client, sender, "/answer_not_helpful")
    why = reply[-1]
    assert why["kind"] == "feedback"
    assert [b["title"] for b in why["buttons"]] == [
        "Not about what I asked",
        "Did not answer my question",
        "Hard to understand",
        "Out of date",
        "Something else",
    ]
    thanks = say(client, sender, why["buttons"][3]["payload"])
    assert [m["kind"] for m in thanks] == ["feedback"]
    assert "Thank you" in thanks[0]["text"]
    with AppStore.from_settings(settings) as store:
        [turn] = store.turns_of(sender)
    assert turn.helpful is False
    assert turn.feedback_reason == "out_of_date"
    assert turn.page_url == PAGE


def test_an_at_risk_message_is_logged_as_a_safety_turn_without_its_words(
    client: TestClient, settings: Settings
) -> None:
    sender = "log-test-0003"
    reply = say(client, sender, "my daughter says she wants to kill herself")
    assert reply[0]["kind"] == "safety"
    with AppStore.from_settings(settings) as store:
        [turn] = store.turns_of(sender)
    assert turn.outcome == "safety"
    assert "kill" not in turn.question


def test_a_second_that_didnt_help_ends_with_the_consent_question_not_the_reasons(
    client: TestClient, settings: Settings
) -> None:
    sender = "log-test-0004"
    say(client, sender, "how do I ask for an EHC needs assessment")
    reply = say(client, sender, "that didn't help again")  # typed: the dialogue's mark says what it meant
    assert [m["kind"] for m in reply] == ["handoff", "consent"]
    with AppStore.from_settings(settings) as store:
        [turn] = store.turns_of(sender)
    assert turn.helpful is False
    assert turn.feedback_reason is None
