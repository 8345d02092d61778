"""The whole life of escalations made through real conversations in the running stack (gateway ->
Rasa -> actions), worked through the console over HTTP, on SQLite and on a real PostgreSQL server.

One family's handoff is taken, noted, attempted, closed with an outcome and then purged by the
retention command (`signposting retention`, as cron runs it) once it is old enough; another
family's is erased by reference. Both take Rasa's record of the conversation with them.

On SQLite it is the session's shared ``live_stack``. On PostgreSQL it is a second stack whose app
database and Rasa tracker store are two databases on a throwaway server (the one
tests/integration/test_app_store.py starts): Rasa itself writes the conversation there.

'Old enough' is made by moving this escalation's closing date and its conversation's timestamps
back in the databases, so the retention command runs at today's date and touches nothing else.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pyotp
import pytest
from psycopg import sql
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.pool import NullPool

from app_store import AppStore
from app_store.engine import make_engine
from app_store.tables import CaseEventRow, CaseNoteRow, ContactAttemptRow, EscalationRow, utc_now
from bench.services import PostgresServer
from settings import REPO_ROOT, Settings
from signposting.environment import settings_env
from tests.conftest import DutyInbox, LiveStack, running_stack, stack_settings
from tests.integration.test_app_store import postgres_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

# What the family says: a name and a phone number that must never reach the console.
PERSONAL_CASE = "my son Jack's school won't follow his EHCP, call me on 07700 900123, what do I do?"
EVENTS = Table(
    "events", MetaData(), Column("id", Integer), Column("sender_id", String(255)), Column("timestamp", Float)
)


# --- talking to the assistant --------------------------------------------------------------------


def say(stack: LiveStack, sender: str, message: str) -> list[dict[str, Any]]:
    response = httpx.post(f"{stack.gateway_url}/api/chat", json={"sender_id": sender, "message": message}, timeout=90)
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m["text"] for m in messages)


def handoff(stack: LiveStack) -> tuple[str, int]:
    """A family's consented handoff through the running stack; returns the conversation and the reference.

    The family asks about their own case, with their child's name and their phone number in it. The
    assistant answers and offers to pass the conversation on to SENDIASS; if it does not offer
    that, the family asks for SENDIASS in so many words (which always gets the offer).
    """
    sender = uuid.uuid4().hex
    say(stack, sender, "How do I ask for an EHC needs assessment?")
    offered = say(stack, sender, PERSONAL_CASE)
    if "pass this conversation" not in text_of(offered) and "consent" not in [m.get("kind") for m in offered]:
        offered = say(stack, sender, "can I talk to someone at SENDIASS")
    assert "pass this conversation" in text_of(offered) or "consent" in [m.get("kind") for m in offered], offered
    say(stack, sender, "yes")
    say(stack, sender, "phone")
    done = text_of(say(stack, sender, "morning"))
    found = re.search(r"SEND-(\d+)", done)
    assert found, done
    return sender, int(found.group(1))


# --- the console over HTTP -----------------------------------------------------------------------


def create_account(stack: LiveStack, role: str) -> tuple[str, str]:
    """An account made with the command line, as an admin would; returns its username and password."""
    username = f"{role}.{uuid.uuid4().hex[:8]}"
    password = f"pass phrase {uuid.uuid4().hex[:12]}"
    result = subprocess.run(
        [sys.executable, "-m", "signposting", "staff", "create", username, "--role", role, "--password-stdin"],
        input=password + "\n",
        env=settings_env(stack.settings),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return username, password


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class Console:
    """A browser-like client signed in to the console (an admin sets up the authenticator first)."""

    def __init__(self, stack: LiveStack, username: str, password: str) -> None:
        self.client = httpx.Client(base_url=stack.gateway_url, timeout=60)
        self.totp_key = ""
        login = self.client.get("/staff/login")
        response = self.client.post(
            "/staff/login", data={"username": username, "password": password, "csrf_token": csrf_of(login.text)}
        )
        assert response.status_code == 303, response.text
        if response.headers["location"].endswith("/totp-setup"):
            setup = self.client.get("/staff/totp-setup")
            key = re.search(r'id="totp-key">([A-Z2-7]+)<', setup.text)
            assert key, setup.text
            self.totp_key = key.group(1)
            done = self.client.post(
                "/staff/totp-setup",
                data={"code": pyotp.TOTP(key.group(1)).now(), "csrf_token": csrf_of(setup.text)},
            )
            assert done.headers["location"].endswith("/queue")
        self.token = csrf_of(self.client.get("/staff/queue").text)

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)

    def post(self, path: str, expect: int = 303, **data: str) -> httpx.Response:
        response = self.client.post(path, data=dict(data, csrf_token=self.token))
        assert response.status_code == expect, (path, response.status_code, response.text[:500])
        return response

    def close(self) -> None:
        self.client.close()


# --- reading and ageing the databases ------------------------------------------------------------


def conversation_events(settings: Settings, sender: str) -> int:
    engine = create_engine(settings.tracker_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).where(EVENTS.c.sender_id == sender)) or 0)
    finally:
        engine.dispose()


def age(settings: Settings, escalation_id: int, sender: str) -> None:
    """Move a closed escalation's closing a year and a day back, and its conversation 91 days back."""
    engine = make_engine(settings.app_db_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                update(EscalationRow)
                .where(EscalationRow.id == escalation_id)
                .values(closed_at=utc_now() - timedelta(days=settings.retain_closed_escalations_days + 1))
            )
    finally:
        engine.dispose()
    tracker = create_engine(settings.tracker_url, poolclass=NullPool)
    try:
        with tracker.begin() as connection:
            connection.execute(
                update(EVENTS)
                .where(EVENTS.c.sender_id == sender)
                .values(timestamp=EVENTS.c.timestamp - (settings.retain_trackers_days + 1) * 86400)
            )
    finally:
        tracker.dispose()


def casework_rows(settings: Settings, escalation_id: int) -> int:
    """Notes, contact attempts and history entries still held for an escalation."""
    engine = make_engine(settings.app_db_url)
    try:
        with engine.connect() as connection:
            return sum(
                int(connection.scalar(select(func.count()).select_from(table).where(column == escalation_id)) or 0)
                for table, column in (
                    (CaseNoteRow, CaseNoteRow.escalation_id),
                    (ContactAttemptRow, ContactAttemptRow.escalation_id),
                    (CaseEventRow, CaseEventRow.escalation_id),
                )
            )
    finally:
        engine.dispose()


# --- the journey, the same on both databases -----------------------------------------------------


def everything_kept(stack: LiveStack) -> str:
    """Every row of every table of the app database, and every log the stack wrote, as text."""
    engine = make_engine(stack.settings.app_db_url)
    rows = []
    try:
        with engine.connect() as connection:
            for table in inspect(connection).get_table_names():
                for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608 (names from the database)
                    rows.append(" ".join(str(value) for value in row))
    finally:
        engine.dispose()
    logs = [stack.log_file, *sorted((stack.settings.run_dir / "logs").glob("*.log"))]
    return "\n".join(rows + [log.read_text(errors="replace") for log in logs])


def whole_life(stack: LiveStack) -> None:
    settings = stack.settings
    worker_account = create_account(stack, "caseworker")
    admin_account = create_account(stack, "admin")
    worker = Console(stack, *worker_account)
    admin = Console(stack, *admin_account)
    # Passwords and the authenticator key are kept nowhere in clear: not in the database, not in any log.
    kept = everything_kept(stack)
    for secret in (worker_account[1], admin_account[1], admin.totp_key):
        assert secret
        assert secret not in kept
    assert "$argon2id$" in kept

    # 1. A family's handoff appears in the queue, redacted.
    sender, case_id = handoff(stack)
    assert conversation_events(settings, sender) > 0  # Rasa kept the conversation
    queue = worker.get("/staff/queue")
    assert f'href="/staff/cases/{case_id}"' in queue.text
    page = worker.get(f"/staff/cases/{case_id}").text
    assert "follow his EHCP" in page
    assert "[phone number]" in page
    for personal in ("07700", "Jack"):
        assert personal not in page
        assert personal not in queue.text

    # 2. Taken, a note, a contact attempt, closed with an outcome.
    worker.post(f"/staff/cases/{case_id}/assign", assignee="me")
    worker.post(f"/staff/cases/{case_id}/notes", text="Called school SENCO before ringing back.")
    tried_at = (utc_now() - timedelta(minutes=10)).astimezone(ZoneInfo(settings.working_timezone))
    worker.post(
        f"/staff/cases/{case_id}/attempts",
        attempted_at=tried_at.strftime("%Y-%m-%dT%H:%M"),
        method="phone",
        outcome="spoke_to_family",
    )
    worker.post(f"/staff/cases/{case_id}/close", outcome="advice_session_booked")
    page = worker.get(f"/staff/cases/{case_id}").text
    for shown in ("Called school SENCO before ringing back.", "Spoke to the family", "Advice session booked"):
        assert shown in page
    with AppStore(settings.app_db_url) as store:
        detail = store.get_case(case_id)
        assert detail is not None
        assert (detail.escalation.status, detail.escalation.outcome) == ("closed", "advice_session_booked")
        assert detail.escalation.first_response_at is not None
        assert [e.action for e in detail.events] == ["assigned", "note", "contact_attempt", "status"]
        changes = {a.detail for a in store.list_audit() if a.target == f"SEND-{case_id}"}
        assert {"added a note", "closed: advice_session_booked"} <= changes

    # 3. A year later the retention command (as cron runs it) deletes it, casework, conversation and all.
    age(settings, case_id, sender)
    result = subprocess.run(
        [sys.executable, "-m", "signposting", "retention"],
        env=settings_env(settings),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"closed escalations deleted: [1-9]", result.stdout), result.stdout
    assert re.search(r"Rasa conversations deleted: [1-9]", result.stdout), result.stdout
    assert worker.get(f"/staff/cases/{case_id}").status_code == 404
    assert casework_rows(settings, case_id) == 0
    assert conversation_events(settings, sender) == 0

    # 4. Another family asks for their data to be erased: by reference, with their conversation.
    other, other_id = handoff(stack)
    with AppStore(settings.app_db_url) as store:
        store.record_feedback(other, "It was helpful, thank you", True)
    worker.post(f"/staff/cases/{other_id}/notes", text="Family asked us to delete everything.")
    erased = admin.post("/staff/erase", expect=200, reference=f"SEND-{other_id}", confirm="yes")
    assert f"SEND-{other_id} erased" in erased.text
    assert worker.get(f"/staff/cases/{other_id}").status_code == 404
    assert casework_rows(settings, other_id) == 0
    assert conversation_events(settings, other) == 0
    with AppStore(settings.app_db_url) as store:
        assert all(f.conversation_id != other for f in store.list_feedback(limit=1000))
        [erasure] = [a for a in store.list_audit() if a.action == "erasure" and a.target == f"SEND-{other_id}"]
        assert erasure.detail.startswith("erased: 1 escalation(s), 1 notes")
    # Rasa carries on for that family as for a new one.
    assert say(stack, other, "what is an annual review")
    worker.close()
    admin.close()


def test_a_conversations_escalation_lives_its_whole_life_on_sqlite(live_stack: LiveStack) -> None:
    assert live_stack.settings.app_db_url.startswith("sqlite:")
    assert live_stack.settings.tracker_url.startswith("sqlite:")
    whole_life(live_stack)


# --- the same on PostgreSQL ----------------------------------------------------------------------


def _database(server: PostgresServer, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with server.admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.url(name)


@pytest.fixture(scope="module")
def postgres_stack(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_server: PostgresServer,  # noqa: F811  (the fixture imported above)
    duty_inbox: DutyInbox,
) -> Iterator[LiveStack]:
    """`signposting serve` with the app database and Rasa's tracker store on PostgreSQL."""
    settings = stack_settings(
        tmp_path_factory.mktemp("pg-stack-var"),
        duty_inbox,
        app_database_url=_database(postgres_server, "app"),
        tracker_store_url=_database(postgres_server, "rasa"),
    )
    with running_stack(settings, duty_inbox) as stack:
        yield stack


def test_a_conversations_escalation_lives_its_whole_life_on_postgresql(postgres_stack: LiveStack) -> None:
    settings = postgres_stack.settings
    assert settings.app_db_url.startswith("postgresql")
    assert settings.tracker_url.startswith("postgresql")
    # Rasa itself keeps the conversations on PostgreSQL, and no SQLite tracker file was made.
    assert not settings.tracker_db.exists()
    assert 'dialect: "postgresql"' in (settings.run_dir / "endpoints.yml").read_text()
    whole_life(postgres_stack)
