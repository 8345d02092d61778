"""The whole life of an escalation through the console, on a SQLite file and on real PostgreSQL:
take, note, contact attempt, close with an outcome, export, purge by retention, erasure by
reference (with Rasa's tracker store); and the duty-inbox alert over SMTP to aiosmtpd on loopback.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app_store import AppStore
from app_store.tables import utc_now
from bench.services import PostgresServer
from settings import REPO_ROOT, Settings
from signposting.environment import RASA_VENV, rasa_env
from signposting.stack import write_rasa_config
from staff_console.accounts import create_account
from staff_console.alerts import AlertSender
from staff_console.lifecycle import TrackerStoreUnavailable, erase_by_reference, run_retention
from tests.conftest import free_port
from tests.integration.test_app_store import (  # noqa: F401  (fixtures)
    postgres_server,
    postgres_url,
)
from tests.integration.test_staff_console import (
    ADMIN_PASSWORD,
    CASEWORKER_PASSWORD,
    console_settings,
    csrf_of,
    enrol_admin,
    mounted,
    next_code,
    sign_in,
    standard_escalation,
    urgent_escalation,
)


def new_database(server: PostgresServer) -> str:
    """Another empty database on the session's server (for Rasa's tracker store)."""
    name = f"tracker_{uuid.uuid4().hex[:12]}"
    with server.admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """SQLite files for both the app database and Rasa's tracker store, or two PostgreSQL databases."""
    if request.param == "sqlite":
        return console_settings(tmp_path)
    server = request.getfixturevalue("postgres_server")
    return console_settings(
        tmp_path,
        app_database_url=str(request.getfixturevalue("postgres_url")),
        tracker_store_url=new_database(server),
    )


# The table Rasa's SQL tracker store makes (rasa.core.tracker_store.SQLTrackerStore.SQLEvent).
_RASA_EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def _tracker_engine(settings: Settings) -> Engine:
    Path(settings.tracker_db).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(settings.tracker_url, poolclass=NullPool)


def make_tracker(settings: Settings, conversations: dict[str, float]) -> None:
    """A tracker store shaped like Rasa's SQL tracker store (at settings.tracker_url), one event per conversation."""
    engine = _tracker_engine(settings)
    try:
        _RASA_EVENTS.metadata.create_all(engine)
        with engine.begin() as connection:
            for sender, at in conversations.items():
                connection.execute(
                    insert(_RASA_EVENTS).values(sender_id=sender, type_name="user", timestamp=at, data="{}")
                )
    finally:
        engine.dispose()


def tracker_senders(settings: Settings) -> set[str]:
    engine = _tracker_engine(settings)
    try:
        with engine.connect() as connection:
            return set(connection.scalars(select(_RASA_EVENTS.c.sender_id).distinct()))
    finally:
        engine.dispose()


def test_the_whole_life_of_an_escalation(settings: Settings) -> None:
    with AppStore.from_settings(settings) as store:
        create_account(store, "ada", "Ada Admin", "admin", ADMIN_PASSWORD)
        create_account(store, "cas", "Cas Worker", "caseworker", CASEWORKER_PASSWORD)
        app = mounted(settings, store)
        kept = store.create_escalation(standard_escalation("conv-kept"))
        case = store.create_escalation(standard_escalation("conv-life"))
        store.record_feedback("conv-life", "useful", True)
        make_tracker(settings, {"conv-life": time.time(), "conv-kept": time.time(), "conv-old": 1_000_000.0})

        worker = TestClient(app)
        sign_in(worker, "cas", CASEWORKER_PASSWORD)
        token = csrf_of(worker.get("/staff/queue").text)
        # Take it.
        taken = worker.post("/staff/queue/take-next", data={"csrf_token": token}, follow_redirects=False)
        assert taken.headers["location"] == f"/staff/cases/{kept.id}"
        worker.post(f"/staff/cases/{case.id}/assign", data={"csrf_token": token, "assignee": "me"})
        # A note and a contact attempt.
        worker.post(f"/staff/cases/{case.id}/notes", data={"csrf_token": token, "text": "Rang school first."})
        when = (utc_now() - timedelta(minutes=5)).astimezone().strftime("%Y-%m-%dT%H:%M")
        worker.post(
            f"/staff/cases/{case.id}/attempts",
            data={"csrf_token": token, "attempted_at": when, "method": "phone", "outcome": "spoke_to_family"},
        )
        worker.post(f"/staff/cases/{case.id}/status", data={"csrf_token": token, "status": "waiting"})
        # Close it with an outcome.
        closed = worker.post(f"/staff/cases/{case.id}/close", data={"csrf_token": token, "outcome": "signposted"})
        assert closed.status_code == 200
        page = closed.text
        assert "Rang school first." in page
        assert "Spoke to the family" in page
        assert "Signposted" in page
        assert "the school won" in page  # the (redacted) transcript
        detail = store.get_case(case.id)
        assert detail is not None
        assert detail.escalation.status == "closed"
        assert detail.escalation.outcome == "signposted"
        assert detail.escalation.first_response_at is not None
        assert detail.assignee == "Cas Worker"
        assert [e.action for e in detail.events] == ["assigned", "note", "contact_attempt", "status", "status"]
        audit = store.list_audit()
        assert {(a.action, a.target) for a in audit} >= {
            ("case_change", f"SEND-{case.id}"),
            ("case_view", f"SEND-{case.id}"),
            ("sign_in", None),
        }

        # The admin exports, without and then with transcripts.
        admin = TestClient(app)
        secret = enrol_admin(admin)
        token = csrf_of(admin.get("/staff/export").text)
        plain = admin.post("/staff/export", data={"csrf_token": token, "status": "all"})
        rows = list(csv.DictReader(io.StringIO(plain.text)))
        assert {r["reference"] for r in rows} == {f"SEND-{kept.id}", f"SEND-{case.id}"}
        assert "transcript" not in rows[0]
        full = admin.post("/staff/export", data={"csrf_token": token, "status": "all", "transcripts": "yes"})
        assert "the school won" in full.text
        exports = [a for a in store.list_audit() if a.action == "export"]
        assert [a.detail for a in exports] == [
            "2 escalations (all), transcripts included",
            "2 escalations (all), transcripts left out",
        ]

        # Retention: nothing is old enough today; a year and a bit later the closed case goes.
        today = run_retention(settings, store, "cli:test")
        assert today.closed_escalations == 0
        assert today.conversations == 1  # conv-old, from 1970
        later = run_retention(settings, store, "cli:test", now=utc_now() + timedelta(days=400))
        assert later.closed_escalations == 1
        assert store.get_escalation(case.id) is None
        assert store.get_escalation(kept.id) is not None  # still open: never purged
        assert any(a.action == "retention" for a in store.list_audit())

        # Erasure by reference: the open case, its feedback and its Rasa conversation. (Retention's
        # run 'a year later' ended every sign-in session, so the admin signs in again.)
        admin = TestClient(app)
        sign_in(admin, "ada", ADMIN_PASSWORD, next_code(secret))
        make_tracker(settings, {"conv-kept": time.time(), "conv-other": time.time()})
        store.record_feedback("conv-kept", "thanks", True)
        # The same conversation also raised a safety concern: that case holds the same transcript.
        sibling = store.create_escalation(urgent_escalation("conv-kept"))
        other = store.create_escalation(standard_escalation("conv-other"))
        token = csrf_of(admin.get("/staff/erase").text)
        refused = admin.post("/staff/erase", data={"csrf_token": token, "reference": f"SEND-{kept.id}"})
        assert refused.status_code == 400  # not confirmed
        erased = admin.post(
            "/staff/erase", data={"csrf_token": token, "reference": f"SEND-{kept.id}", "confirm": "yes"}
        )
        assert erased.status_code == 200
        assert f"SEND-{kept.id} erased" in erased.text
        assert "and 1 other case from the same conversation" in erased.text
        assert store.get_escalation(kept.id) is None
        assert store.get_escalation(sibling.id) is None
        assert store.get_escalation(other.id) is not None  # another family's
        assert tracker_senders(settings) == {"conv-other"}
        assert all(f.conversation_id != "conv-kept" for f in store.list_feedback())
        [erasure] = [a for a in store.list_audit() if a.action == "erasure"]
        assert erasure.actor == "ada"
        assert erasure.target == f"SEND-{kept.id}"
        assert erasure.detail.startswith("erased: 2 escalation(s)")
        assert erasure.detail.endswith(", 1 conversation events")
        again = admin.post("/staff/erase", data={"csrf_token": token, "reference": f"SEND-{kept.id}", "confirm": "yes"})
        assert again.status_code == 404


def test_nothing_is_erased_when_the_tracker_store_cannot_be_reached(tmp_path: Path) -> None:
    unreachable = f"postgresql+psycopg://rasa:secret@127.0.0.1:{free_port()}/rasa"  # nothing listens there
    settings = console_settings(tmp_path, tracker_store_url=unreachable)
    with AppStore.from_settings(settings) as store:
        create_account(store, "ada", "Ada Admin", "admin", ADMIN_PASSWORD)
        case = store.create_escalation(standard_escalation("conv-1"))
        store.set_case_status(case.id, "closed", 1, "signposted")
        admin = TestClient(mounted(settings, store))
        enrol_admin(admin)
        token = csrf_of(admin.get("/staff/erase").text)
        refused = admin.post("/staff/erase", data={"csrf_token": token, "reference": case.reference, "confirm": "yes"})
        assert refused.status_code == 503
        assert "nothing was erased" in refused.text
        assert "secret" not in refused.text
        assert store.get_escalation(case.id) is not None  # the reference still works for another try
        assert not [a for a in store.list_audit() if a.action == "erasure"]
        # Retention deletes what it can, audits it, and says the conversations were not deleted.
        with pytest.raises(TrackerStoreUnavailable):
            run_retention(settings, store, "cli:test", now=utc_now() + timedelta(days=400))
        assert store.get_escalation(case.id) is None
        [audit] = [a for a in store.list_audit() if a.action == "retention"]
        assert "closed escalations deleted: 1" in audit.detail
        assert "conversations NOT deleted" in audit.detail
        assert "secret" not in audit.detail


def test_pausing_needs_a_reason_and_is_audited(tmp_path: Path) -> None:
    settings = console_settings(tmp_path)
    with AppStore.from_settings(settings) as store:
        create_account(store, "ada", "Ada Admin", "admin", ADMIN_PASSWORD)
        admin = TestClient(mounted(settings, store))
        enrol_admin(admin)
        token = csrf_of(admin.get("/staff/service").text)
        assert admin.post("/staff/service/pause", data={"csrf_token": token, "reason": " "}).status_code == 400
        assert store.service_state().paused is False
        admin.post("/staff/service/pause", data={"csrf_token": token, "reason": "Checking answers after an update"})
        state = store.service_state()
        assert state.paused
        assert state.reason == "Checking answers after an update"
        assert "The assistant is paused" in admin.get("/staff/queue").text
        admin.post("/staff/service/resume", data={"csrf_token": token})
        assert store.service_state().paused is False
        actions = [(a.action, a.detail) for a in store.list_audit() if a.action in ("pause", "resume")]
        assert actions == [("resume", ""), ("pause", "Checking answers after an update")]


# --- the duty inbox ------------------------------------------------------------------------------


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Any] = []

    def handle_message(self, message: Any) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_an_urgent_escalation_is_emailed_to_the_duty_inbox_without_personal_data(
    tmp_path: Path, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    settings = console_settings(
        tmp_path, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", alert_to=["duty@example.org"]
    )
    with AppStore.from_settings(settings) as store:
        urgent = store.create_escalation(urgent_escalation())
        store.create_escalation(standard_escalation())  # no alert for this one
        sender = AlertSender(settings, store)
        assert sender.send_due() == 1
        assert sender.send_due() == 0  # sent once only
        [mail] = inbox.messages
        body = mail.get_payload()
        assert mail["To"] == "duty@example.org"
        assert f"SEND-{urgent.id}" in mail["Subject"]
        assert "Urgency: urgent" in body
        assert "Self harm" in body
        assert f"{settings.console_url}/cases/{urgent.id}" in body
        assert "Jack" not in body
        assert "hurts" not in body
        detail = store.get_case(urgent.id)
        assert detail is not None
        assert detail.alert_state == "sent"


def test_a_failed_alert_is_retried_and_shown_in_the_console(tmp_path: Path, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    closed_port = free_port()  # nothing listens here
    settings = console_settings(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=closed_port,
        smtp_security="none",
        alert_to=["duty@example.org"],
        alert_retry_seconds=0.5,
    )
    with AppStore.from_settings(settings) as store:
        create_account(store, "cas", "Cas Worker", "caseworker", CASEWORKER_PASSWORD)
        urgent = store.create_escalation(urgent_escalation())
        assert AlertSender(settings, store).send_due() == 0
        detail = store.get_case(urgent.id)
        assert detail is not None
        assert detail.alert_state == "failed"
        assert detail.alert_attempts == 1
        assert detail.alert_last_error
        worker = TestClient(mounted(settings, store))
        sign_in(worker, "cas", CASEWORKER_PASSWORD)
        assert "1 urgent alert could not be emailed" in worker.get("/staff/queue").text
        assert "Failed: will try again" in worker.get(f"/staff/cases/{urgent.id}").text
        # The mail server is back: the next try after the wait gets through.
        working = settings.model_copy(update={"smtp_port": port})
        time.sleep(0.6)
        assert AlertSender(working, store).send_due() == 1
        assert len(inbox.messages) == 1
        detail = store.get_case(urgent.id)
        assert detail is not None
        assert detail.alert_state == "sent"
        assert detail.alert_attempts == 2


def test_the_gateway_sends_alerts_from_its_background_task(tmp_path: Path, smtp_server: tuple[Inbox, int]) -> None:
    """Whoever wrote the escalation, the gateway's own poller emails it (here within a second)."""
    from gateway.app import create_app

    inbox, port = smtp_server
    settings = console_settings(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        alert_to=["duty@example.org"],
        alert_poll_seconds=0.2,
        language_low_memory=True,
    )
    app = create_app(settings)
    with TestClient(app) as client:  # runs the lifespan: warm-up, then the alert task
        with AppStore.from_settings(settings) as writer:  # another process's store, as the action server's
            urgent = writer.create_escalation(urgent_escalation())
        deadline = time.monotonic() + 10
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.1)
        assert inbox.messages, "no alert within 10 s"
        assert f"SEND-{urgent.id}" in inbox.messages[0]["Subject"]
        assert client.get("/healthz").json()["paused"] is False


def test_paused_assistant_in_widget_config_healthz_and_chat(tmp_path: Path) -> None:
    from gateway.app import create_app

    settings = console_settings(tmp_path, rasa_port=free_port(), action_port=free_port())
    with AppStore.from_settings(settings) as store:
        store.set_service_state(True, "Checking answers", "ada")
    client = TestClient(create_app(settings))  # no lifespan needed for these three
    config = client.get("/api/widget-config").json()
    assert config["paused"] is True
    assert settings.sendiass_phone in config["paused_notice"]
    assert client.get("/healthz").json()["paused"] is True
    chat = client.post("/api/chat", json={"sender_id": "abcdefgh1", "message": "hello"})
    assert chat.status_code == 503
    assert settings.sendiass_phone in chat.json()["detail"]


# --- authenticator codes work once, even when two sign-ins race ------------------------------------


def test_an_authenticator_step_is_accepted_once_even_in_a_race(settings: Settings) -> None:
    with AppStore.from_settings(settings) as store:
        user = create_account(store, "ada", "Ada Admin", "admin", ADMIN_PASSWORD)
        barrier = threading.Barrier(6)

        def use(step: int) -> bool:
            barrier.wait()
            return store.accept_totp_step(user.id, step)

        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(use, [59_000_000] * 6))
        assert sorted(results) == [False] * 5 + [True]
        assert store.accept_totp_step(user.id, 59_000_000) is False  # the same step again
        assert store.accept_totp_step(user.id, 58_999_999) is False  # an older one
        assert store.accept_totp_step(user.id, 59_000_001) is True  # the next one
        # A new authenticator (reset, then set up again) starts afresh.
        store.reset_staff_user(user.id, user.password_hash)
        assert store.accept_totp_step(user.id, 1) is True
        store.set_staff_totp(user.id, "sealed", accepted_step=59_000_010)
        assert store.accept_totp_step(user.id, 59_000_010) is False


# --- Rasa's own tracker store, as `serve` configures it, on SQLite and PostgreSQL -------------------

# Run with Rasa's Python: write conversations through Rasa's SQLTrackerStore as configured by the
# endpoints.yml that `serve` writes, or read back how many events Rasa finds for each.
RASA_TRACKERS = """
import asyncio, json, sys
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

async def main(endpoints, mode, plan):
    store = TrackerStore.create(read_endpoint_config(endpoints, "tracker_store"), Domain.empty())
    found = {}
    for sender, at in plan.items():
        if mode == "write":
            events = [ActionExecuted("action_listen", timestamp=at), UserUttered("hello", timestamp=at),
                      BotUttered("hi", timestamp=at + 1)]
            await store.save(DialogueStateTracker.from_events(sender, events))
        tracker = await store.retrieve(sender)
        found[sender] = 0 if tracker is None else len(tracker.events)
    print(json.dumps({"store": type(store).__name__, "url": store.engine.url.drivername, "events": found}))

asyncio.run(main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3])))
"""


def rasa_trackers(settings: Settings, mode: str, plan: dict[str, float]) -> dict[str, Any]:
    endpoints, _credentials, tracker_env = write_rasa_config(settings)
    password = make_url(settings.tracker_url).password
    if password:  # Rasa gets it through its environment, never in the file
        assert str(password) not in endpoints.read_text()
        assert tracker_env == {"RASA_TRACKER_STORE_PASSWORD": str(password)}
    result = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "-c", RASA_TRACKERS, str(endpoints), mode, json.dumps(plan)],
        env=dict(rasa_env(), **tracker_env),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def test_retention_and_erasure_delete_conversations_rasa_wrote(settings: Settings) -> None:
    """Rasa itself writes the conversations (SQLite file, or PostgreSQL through psycopg2), configured
    exactly as `serve` configures it; retention and erasure delete them through SQLAlchemy, and Rasa
    then finds nothing of them, while the conversations they must keep are whole."""
    if not (RASA_VENV / "bin" / "python").exists():
        pytest.fail("the Rasa environment (.venv-rasa) is missing: run `make setup`")
    now = time.time()
    plan = {"rasa-old": now - 200 * 86400, "rasa-recent": now - 60, "rasa-erase": now - 30}
    written = rasa_trackers(settings, "write", plan)
    expected_driver = "sqlite" if settings.tracker_store_url is None else "postgresql"
    assert (written["store"], written["url"]) == ("SQLTrackerStore", expected_driver)
    assert written["events"] == {sender: 3 for sender in plan}
    with AppStore.from_settings(settings) as store:
        store.create_escalation(standard_escalation("rasa-erase"))
        report = run_retention(settings, store, "cli:test")
        assert report.conversations == 1  # rasa-old: its last message is 200 days old (limit 90)
        [case] = store.list_escalations()
        erased = erase_by_reference(settings, store, case.reference, "ada", "127.0.0.1")
        assert erased.found
        assert erased.conversation_events == 3
    after = rasa_trackers(settings, "read", plan)
    assert after["events"] == {"rasa-old": 0, "rasa-recent": 3, "rasa-erase": 0}
