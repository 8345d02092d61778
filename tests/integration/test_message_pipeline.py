"""POST /api/chat through the real pipeline: safety first, redaction, language notices, escalations.

Everything is real (the FastAPI app, the detectors, a SQLite app database in tmp_path) except Rasa,
which is a small HTTP server on loopback that records what it was sent and answers in the shape of
Rasa's REST webhook.
"""

from __future__ import annotations

import json
import logging
import socket
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app_store import AppStore
from app_store.outbox import Outbox
from gateway.app import create_app
from language import notice_for
from settings import Settings
from tests.conftest import free_port
from tests.rasa_webhook import rasa_webhook

AFTER_SAFETY = "I'm still here if you want to ask about SEND support."
ANSWER = "Here is what I found about that."
ENGLISH_NOTICE_START = "This assistant can only answer in English."


@dataclass
class FakeRasa:
    """Rasa's REST webhook as far as the gateway can tell: records each request, answers with text."""

    port: int
    received: list[dict[str, Any]] = field(default_factory=list)
    # When set, the answer to an ordinary message (to play a bot that repeats what it should not).
    answer: str = ANSWER

    def messages(self) -> list[str]:
        return [str(body["message"]) for body in self.received]


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa(port=0)

    def reply(body: dict[str, Any]) -> list[dict[str, Any]]:
        fake.received.append(body)
        text = AFTER_SAFETY if body["message"] == "/safety_concern" else fake.answer
        return [{"recipient_id": body["sender"], "text": text}]

    with rasa_webhook(reply) as port:
        fake.port = port
        yield fake


def settings_for(tmp_path: Path, rasa_port: int) -> Settings:
    return Settings(var_dir=tmp_path, rasa_port=rasa_port, action_port=free_port(), rasa_timeout_seconds=2)


@pytest.fixture
def settings(tmp_path: Path, fake_rasa: FakeRasa) -> Settings:
    return settings_for(tmp_path, fake_rasa.port)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def chat(client: TestClient, message: str, audience: str = "parent", sender_id: str = "tab-12345678") -> list[str]:
    response = client.post("/api/chat", json={"sender_id": sender_id, "message": message, "audience": audience})
    assert response.status_code == 200, response.text
    return [m["text"] for m in response.json()["messages"]]


def escalations(settings: Settings) -> list[Any]:
    store = AppStore.from_settings(settings)
    try:
        return list(store.list_escalations())
    finally:
        store.close()


def database_text(settings: Settings) -> str:
    """Every value in every table of the SQLite app database, as one string."""
    path = settings.app_db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = [row for table in tables for row in connection.execute(f'SELECT * FROM "{table}"')]  # noqa: S608
    return json.dumps(rows, default=str)


RISKY = "My son Jack is being hurt by his dad. Call me on 07700 900123"


def test_a_risky_message_gets_the_safety_message_first_and_an_urgent_escalation(
    client: TestClient, fake_rasa: FakeRasa, settings: Settings
) -> None:
    texts = chat(client, RISKY, sender_id="risky-conversation")

    assert "999" in texts[0]
    assert settings.front_door_phone == "01452 426565"
    assert "01452 426565" in texts[0]
    assert texts[-1] == AFTER_SAFETY
    assert fake_rasa.messages() == ["/safety_concern"]
    [escalation] = escalations(settings)
    assert escalation.reason == "safety"
    assert escalation.urgent is True
    assert escalation.conversation_id == "risky-conversation"
    assert escalation.safety_categories == ["child_abuse_neglect"]
    assert [turn.text for turn in escalation.transcript] == [
        "My son [name] is being hurt by his dad. Call me on [phone number]"
    ]
    assert escalation.audience == "parent"


def test_a_young_person_gets_the_version_that_speaks_to_them(
    client: TestClient, fake_rasa: FakeRasa, settings: Settings
) -> None:
    texts = chat(client, "my dad hits me and I'm scared to go home", audience="young_person")

    assert texts[0].startswith("If you or anyone else is in danger now, call 999.")
    assert "Childline" in texts[0]
    assert fake_rasa.received[0]["metadata"] == {"audience": "young_person"}
    assert [e.audience for e in escalations(settings)] == ["young_person"]


def test_the_safety_message_still_comes_when_rasa_is_down(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, rasa_port=free_port())  # nothing listens there
    with TestClient(create_app(settings)) as client:
        risky = client.post("/api/chat", json={"sender_id": "tab-12345678", "message": "I want to kill myself"})
        ordinary = client.post("/api/chat", json={"sender_id": "tab-12345678", "message": "what is an EHCP"})

    assert risky.status_code == 200
    [safety] = risky.json()["messages"]
    assert safety["text"].startswith("If anyone is in danger now, call 999.")
    assert "0800 169 0398" in safety["text"]  # the crisis line, for a risk of suicide
    assert [e.safety_categories for e in escalations(settings)] == [["suicide_self_harm"]]
    assert ordinary.status_code == 502


@pytest.mark.parametrize(
    "message",
    [
        "My son is at risk of exclusion from school",
        "She's killing it at school since she got her EHCP",
        "killing time before the annual review",
    ],
)
def test_hard_negatives_go_to_rasa_unchanged_with_no_escalation(
    client: TestClient, fake_rasa: FakeRasa, settings: Settings, message: str
) -> None:
    texts = chat(client, message)

    assert texts == [ANSWER]
    assert fake_rasa.messages() == [message]
    assert escalations(settings) == []


def test_rasa_and_the_database_never_see_the_identifiers(
    client: TestClient, fake_rasa: FakeRasa, settings: Settings
) -> None:
    ordinary = (
        "My son Jack Smith was born 03/04/2015, call me on 07700 900123 or email jo.smith@example.org, "
        "we live at GL5 1AB"
    )
    chat(client, ordinary)
    chat(client, RISKY)

    sent = fake_rasa.messages()
    assert sent[0] == (
        "My son [name] was born [date of birth], call me on [phone number] or email [email], we live at [postcode]"
    )
    assert sent[1] == "/safety_concern"
    stored = database_text(settings)
    assert "[phone number]" in stored  # the escalation is there, redacted
    for identifier in ("Jack", "Smith", "03/04/2015", "07700", "900123", "jo.smith", "example.org", "GL5"):
        assert identifier not in " ".join(sent)
        assert identifier not in stored


def test_a_reply_that_repeats_an_identifier_shows_the_placeholder(client: TestClient, fake_rasa: FakeRasa) -> None:
    # A bot could only do this through a bug; the gateway's last guard must still catch it.
    fake_rasa.answer = "Thanks Jack. We will call you on 07700900123. Ask Jackie at SENDIASS on 0800 158 3603."

    texts = chat(client, "my son is Jack, ring me on +44 7700 900123 about his EHCP")

    assert texts == ["Thanks [name]. We will call you on [phone number]. Ask Jackie at SENDIASS on 0800 158 3603."]


def test_a_configured_helpline_is_public_in_the_message_and_in_the_reply(tmp_path: Path, fake_rasa: FakeRasa) -> None:
    # A deployment's own SENDIASS number (a fictional one here) comes from its settings: redaction
    # keeps the family's mention of it, and the bot can give it out.
    settings = settings_for(tmp_path, fake_rasa.port).model_copy(update={"sendiass_phone": "01632 960100"})
    fake_rasa.answer = "You can call SENDIASS on 01632 960100, or Jack on 07700 900123."

    with TestClient(create_app(settings)) as client:
        texts = chat(client, "My son Jack needs an EHCP. I rang 01632 960100 last week, call me on 07700 900123")

    assert fake_rasa.messages() == [
        "My son [name] needs an EHCP. I rang 01632 960100 last week, call me on [phone number]"
    ]
    assert texts == ["You can call SENDIASS on 01632 960100, or [name] on [phone number]."]


def test_a_polish_message_gets_the_polish_notice_first(
    client: TestClient, fake_rasa: FakeRasa, settings: Settings
) -> None:
    message = "Dzień dobry, mój syn ma autyzm i potrzebuję pomocy w szkole"

    texts = chat(client, message)

    polish = notice_for("pl", settings.sendiass_phone)
    assert polish is not None
    assert texts[0].startswith(polish)
    assert ENGLISH_NOTICE_START in texts[0]
    assert "0800 158 3603" in texts[0]
    assert texts[1:] == [ANSWER]
    assert fake_rasa.messages() == [message]


def test_safety_comes_before_the_language_notice(client: TestClient, fake_rasa: FakeRasa) -> None:
    texts = chat(client, "Mój syn chce się zabić. He wants to kill himself")

    assert texts[0].startswith("If anyone is in danger now, call 999.")
    assert texts[1].startswith("Ten asystent odpowiada tylko po angielsku.")
    assert texts[2:] == [AFTER_SAFETY]
    assert fake_rasa.messages() == ["/safety_concern"]


@pytest.mark.parametrize(
    "message",
    [
        "ehcp asessment cheltnam",
        "whats a SENCO",
        "my son has ASD and PDA, can the EP help with the EHCNA?",
        "Is there an OT or SALT in Tewkesbury for a 7 year old",
    ],
)
def test_english_with_send_jargon_gets_no_notice(client: TestClient, message: str) -> None:
    assert chat(client, message) == [ANSWER]


def test_the_audience_is_passed_to_rasa(client: TestClient, fake_rasa: FakeRasa) -> None:
    chat(client, "what is a supported internship", audience="young_person")
    chat(client, "what is a supported internship")

    assert [body["metadata"] for body in fake_rasa.received] == [{"audience": "young_person"}, {"audience": "parent"}]
    assert {body["sender"] for body in fake_rasa.received} == {"tab-12345678"}


def test_the_logs_hold_kinds_and_categories_never_the_message(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        chat(client, RISKY)

    assert "child_abuse_neglect" in caplog.text
    assert "name,phone" in caplog.text
    for fragment in ("Jack", "07700", "hurt", "dad"):
        assert fragment not in caplog.text


@pytest.fixture
def hung_rasa() -> Iterator[int]:
    """A port that accepts connections and never answers: Rasa stopped (SIGSTOP) or stuck."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield int(listener.getsockname()[1])
    listener.close()


def test_a_hung_rasa_never_delays_the_safety_message(tmp_path: Path, hung_rasa: int) -> None:
    # The bounds are set by Rasa's timeout, not by how fast this machine is: a safety message that
    # waited for the hung Rasa would take at least the whole timeout.
    settings = Settings(var_dir=tmp_path, rasa_port=hung_rasa, action_port=free_port(), rasa_timeout_seconds=8)
    with TestClient(create_app(settings)) as client:
        started = time.monotonic()
        risky = client.post("/api/chat", json={"sender_id": "tab-hung-rasa", "message": "I want to kill myself"})
        safety_seconds = time.monotonic() - started
        started = time.monotonic()
        ordinary = client.post("/api/chat", json={"sender_id": "tab-hung-rasa", "message": "what is an EHCP"})
        ordinary_seconds = time.monotonic() - started
        health = client.get("/healthz").json()

    assert risky.status_code == 200
    assert [m["kind"] for m in risky.json()["messages"]] == ["safety"]
    assert safety_seconds < settings.rasa_timeout_seconds / 2
    assert [e.conversation_id for e in escalations(settings)] == ["tab-hung-rasa"]
    assert ordinary.status_code == 502
    assert ordinary_seconds <= settings.rasa_timeout_seconds + 3.0
    assert settings.sendiass_phone in ordinary.json()["detail"]
    assert {"rasa", "action_server"} <= set(health["down"])


def test_a_locked_app_database_keeps_the_safety_escalation_on_disk_until_it_is_back(
    client: TestClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    client.get("/healthz")  # the database exists and is migrated
    locker = sqlite3.connect(settings.app_db_url.removeprefix("sqlite:///"))
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, logger="gateway.message_pipeline"):
            started = time.monotonic()
            texts = chat(client, "I want to kill myself", sender_id="tab-locked-db")
            assert time.monotonic() - started <= settings.safety_wait_seconds + 1.0
            assert "999" in texts[0]
            deadline = time.monotonic() + 30
            while "kept in the outbox" not in caplog.text and time.monotonic() < deadline:
                time.sleep(0.2)
        assert "conversation tab-locked-db: urgent safety escalation" in caplog.text
        assert "kept in the outbox" in caplog.text
        assert Outbox(settings.outbox_dir).pending() == 1
        assert "app_database" in client.get("/healthz").json()["down"]
    finally:
        locker.rollback()
        locker.close()

    store = AppStore.from_settings(settings)
    try:
        assert Outbox(settings.outbox_dir, writer_first_seconds=0).replay(store) == 1  # as the gateway's replayer will
    finally:
        store.close()
    assert [e.conversation_id for e in escalations(settings)] == ["tab-locked-db"]
    assert "app_database" not in client.get("/healthz").json()["down"]


def test_a_short_message_after_the_safety_response_that_carries_the_emergency_on_gets_it_again(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    sender = "tab-carries-on"
    first = chat(client, "my partner has just thrown a plate at me and the kids are upstairs", sender_id=sender)
    assert "999" in first[0]
    # Alone these say nothing of risk; straight after one, they are the same emergency.
    assert "999" in chat(client, "theyre 3 and 5", sender_id=sender)[0]
    assert "999" in chat(client, "hes outside the front door now", sender_id=sender)[0]
    # Closing it: an ordinary reply, and the next short message is read on its own again.
    assert chat(client, "thanks, im phoning them now", sender_id=sender) == [ANSWER]
    assert chat(client, "theyre 3 and 5", sender_id=sender) == [ANSWER]
    assert fake_rasa.messages().count("/safety_concern") == 3


def test_a_turn_carried_on_quietly_hands_the_risk_on_only_to_a_named_danger(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    sender = "tab-carried-quietly"
    assert (
        "999" in chat(client, "my partner has just thrown a plate at me and the kids are upstairs", sender_id=sender)[0]
    )
    assert "999" in chat(client, "theyre 3 and 5", sender_id=sender)[0]  # carried on, naming no danger
    assert chat(client, "would they agree to that for her", sender_id=sender) == [ANSWER]
    # Read alone again from here: the same quiet words now get an ordinary reply.
    assert chat(client, "theyre 3 and 5", sender_id=sender) == [ANSWER]
    sender = "tab-quiet-then-danger"
    assert (
        "999" in chat(client, "my partner has just thrown a plate at me and the kids are upstairs", sender_id=sender)[0]
    )
    assert "999" in chat(client, "theyre 3 and 5", sender_id=sender)[0]
    assert "999" in chat(client, "hes outside the front door now", sender_id=sender)[0]


def test_a_new_local_offer_question_after_the_safety_response_is_answered(client: TestClient) -> None:
    sender = "tab-new-question"
    assert "999" in chat(client, "I want to kill myself", sender_id=sender)[0]
    assert chat(client, "can you tell me what short breaks there are for disabled children?", sender_id=sender) == [
        ANSWER
    ]


def test_after_the_safety_response_help_reached_is_not_a_new_alarm_even_when_a_rule_matches(client: TestClient) -> None:
    message = "rang 999 and theyre sending an ambulance to the school, his dad is driving there now"
    # On its own, a rule reads the ambulance as an emergency: a first message like this gets the safety response.
    assert "999" in chat(client, message, sender_id="tab-help-alone")[0]
    sender = "tab-help-reached"
    assert "999" in chat(client, "my son has collapsed at school and isnt breathing properly", sender_id=sender)[0]
    # Straight after the safety response, it is the family doing what it said.
    assert chat(client, message, sender_id=sender) == [ANSWER]
    # Help on its way with the danger still there carries on.
    sender = "tab-help-coming"
    assert "999" in chat(client, "my son has collapsed at school and isnt breathing properly", sender_id=sender)[0]
    assert "999" in chat(client, "the ambulance isnt here yet", sender_id=sender)[0]


def test_another_node_knows_the_last_turn_was_at_risk_from_the_question_log(settings: Settings) -> None:
    sender = "tab-two-nodes"
    with TestClient(create_app(settings)) as first:
        assert "999" in chat(first, "I want to kill myself", sender_id=sender)[0]
    deadline = time.monotonic() + 10
    store = AppStore(settings.app_db_url)
    while store.last_turn_of(sender) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    with TestClient(create_app(settings)) as second:
        assert "999" in chat(second, "nobody else is home", sender_id=sender)[0]
        assert chat(second, "what is an EHC plan and who can ask for one?", sender_id=sender) == [ANSWER]


def test_another_node_knows_the_last_turn_was_at_risk_only_quietly(settings: Settings) -> None:
    sender = "tab-two-nodes-quietly"
    store = AppStore(settings.app_db_url)
    with TestClient(create_app(settings)) as first:
        assert "999" in chat(first, "I want to kill myself", sender_id=sender)[0]
        assert "999" in chat(first, "nobody else is home", sender_id=sender)[0]
    deadline = time.monotonic() + 10
    while len(store.turns_of(sender)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [t.risk_carried_quietly for t in store.turns_of(sender)] == [False, True]
    with TestClient(create_app(settings)) as second:
        # After a quiet turn on the first node, a short message naming no danger is read alone here.
        assert chat(second, "she is 15", sender_id=sender) == [ANSWER]
