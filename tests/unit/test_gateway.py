"""The gateway on its own: input checks, reply folding, and honest errors when Rasa is down."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.rasa_client import fold_replies
from settings import Settings
from tests.conftest import free_port


def offline_settings(tmp_path: Path) -> Settings:
    # Ports where nothing listens: the gateway must say so, not hang or crash.
    return Settings(var_dir=tmp_path, rasa_port=free_port(), action_port=free_port(), rasa_timeout_seconds=2)


def test_sources_are_folded_into_the_text_before_them() -> None:
    raw: list[dict[str, Any]] = [
        {"recipient_id": "a", "text": "You can ask the council in writing."},
        {"recipient_id": "a", "custom": {"sources": [{"title": "EHC", "url": "http://x/advice.page?id=e"}]}},
        {"recipient_id": "a", "text": "Anything else?", "buttons": [{"title": "Talk to SENDIASS", "payload": "/h"}]},
    ]
    messages = fold_replies(raw)
    assert [m.text for m in messages] == ["You can ask the council in writing.", "Anything else?"]
    assert messages[0].sources[0].url == "http://x/advice.page?id=e"
    assert messages[0].sources[0].last_updated is None
    assert messages[1].buttons[0].payload == "/h"


def test_a_custom_payload_with_no_text_before_it_is_kept() -> None:
    messages = fold_replies([{"custom": {"sources": [{"title": "T", "url": "http://x"}]}}])
    assert messages[0].text == ""
    assert messages[0].sources[0].title == "T"


def test_chat_when_rasa_is_down_answers_502_in_plain_words(tmp_path: Path) -> None:
    with TestClient(create_app(offline_settings(tmp_path))) as client:
        response = client.post("/api/chat", json={"sender_id": "abcdefgh", "message": "hello"})
    assert response.status_code == 502
    assert "not available" in response.json()["detail"]


def test_health_is_degraded_when_parts_are_missing(tmp_path: Path) -> None:
    with TestClient(create_app(offline_settings(tmp_path))) as client:
        health = client.get("/healthz").json()
    assert health["status"] == "degraded"
    assert not health["rasa"]["ok"]
    assert not health["action_server"]["ok"]
    assert health["knowledge_base"] == {"ok": False, "detail": "no knowledge base built"}


def test_message_limits_are_enforced(tmp_path: Path) -> None:
    with TestClient(create_app(offline_settings(tmp_path))) as client:
        too_long = client.post("/api/chat", json={"sender_id": "abcdefgh", "message": "a" * 1001})
        blank = client.post("/api/chat", json={"sender_id": "abcdefgh", "message": " \n "})
        bad_sender = client.post("/api/chat", json={"sender_id": "../../etc", "message": "hi"})
    assert too_long.status_code == blank.status_code == bad_sender.status_code == 422


def test_the_message_length_limit_is_the_deployments_and_the_widget_is_told_it(tmp_path: Path) -> None:
    settings = offline_settings(tmp_path).model_copy(update={"max_message_chars": 20})
    with TestClient(create_app(settings)) as client:
        config = client.get("/api/widget-config").json()
        at_limit = client.post("/api/chat", json={"sender_id": "abcdefgh", "message": "a" * 20})
        over = client.post("/api/chat", json={"sender_id": "abcdefgh", "message": "a" * 21})
        # The limit counts the message after trimming, as docs/contracts.md says.
        padded = client.post("/api/chat", json={"sender_id": "abcdefgh", "message": " " + "a" * 20 + "\n"})
    assert config["max_message_chars"] == 20
    assert at_limit.status_code == padded.status_code == 502  # accepted; Rasa is down here
    assert over.status_code == 422
    assert over.json() == {"detail": "Your message is too long. Please keep it under 20 characters."}


def test_openapi_lists_the_chat_and_health_routes(tmp_path: Path) -> None:
    with TestClient(create_app(offline_settings(tmp_path))) as client:
        paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/chat", "/api/widget-config", "/healthz"} <= set(paths)


def test_a_flood_from_one_conversation_is_slowed_down_politely(tmp_path: Path) -> None:
    settings = offline_settings(tmp_path).model_copy(update={"rate_limit_per_conversation": "3/minute"})
    with TestClient(create_app(settings)) as client:
        codes = [
            client.post("/api/chat", json={"sender_id": "floodflood", "message": "hi"}).status_code for _ in range(4)
        ]
        limited = client.post("/api/chat", json={"sender_id": "floodflood", "message": "hi"})
        other = client.post("/api/chat", json={"sender_id": "someoneelse", "message": "hi"})
    assert codes == [502, 502, 502, 429]  # Rasa is down here; the limiter answers before it
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert "wait" in limited.json()["detail"]
    assert other.status_code == 502


def test_many_conversations_from_one_address_are_slowed_down_too(tmp_path: Path) -> None:
    settings = offline_settings(tmp_path).model_copy(update={"rate_limit_per_client": "3/minute"})
    with TestClient(create_app(settings)) as client:
        codes = [
            client.post("/api/chat", json={"sender_id": f"conversation{n}", "message": "hi"}).status_code
            for n in range(4)
        ]
    assert codes == [502, 502, 502, 429]  # each conversation is new; the address has sent too many
