"""The app database against real databases: a SQLite file and a PostgreSQL server on loopback.

The PostgreSQL server is started once per test session from Debian's binaries by
bench/services.py (initdb into a temporary directory, pg_ctl start on 127.0.0.1 on a free port,
password authentication; as root, under the 'postgres' or 'nobody' account), with a fresh database
for every test. Missing binaries fail the tests: scripts/test_deps.sh installs them (CI runs it first).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql
from pydantic import ValidationError
from sqlalchemy import create_engine, text

from app_store import (
    MAX_TEXT_CHARS,
    MAX_TRANSCRIPT_TURNS,
    SCHEMA_VERSION,
    AppStore,
    Escalation,
    EscalationIn,
    EscalationNotFound,
    FeedbackIn,
    Link,
    SchemaTooNew,
    TranscriptTurn,
)
from bench import services
from bench.services import PostgresServer
from privacy.contacts import public_numbers
from settings import Settings

INSTALL_HINT = "Run scripts/test_deps.sh (as root) to install PostgreSQL; CI runs it before the tests."

# --- a PostgreSQL server for the session -------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        with services.postgres_server() as server:
            yield server
    except services.ServiceError as exc:
        pytest.fail(f"{exc}\n{INSTALL_HINT}")


_database_numbers = count(1)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A new, empty database on the session's server."""
    name = f"app_test_{next(_database_numbers)}"
    with postgres_server.admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return postgres_server.url(name)


# --- the store on both databases ---------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'app.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[AppStore]:
    # As a process's entry point opens it: with the helplines of its settings (AppStore.from_settings).
    with AppStore(db_url, public_numbers(Settings().public_phones)) as opened:
        yield opened


def turn(speaker: str, words: str, at: str = "2025-03-01T10:00:00+00:00") -> TranscriptTurn:
    return TranscriptTurn.model_validate({"speaker": speaker, "text": words, "at": at})


def escalation_in(conversation_id: str = "conv-1", **changes: Any) -> EscalationIn:
    fields: dict[str, Any] = {
        "conversation_id": conversation_id,
        "reason": "personal_case",
        "urgent": False,
        "transcript": [
            turn("user", "the school won't follow the EHCP, what do I do?"),
            turn("bot", "SENDIASS can help with that. You can call them on 0800 158 3603."),
        ],
        "links_given": [Link(title="EHC plans", url="https://www.example.org/advice.page?id=ehcp")],
        "contact_method": "phone",
        "contact_time": "morning",
        "audience": "parent",
        "safety_categories": [],
    }
    fields.update(changes)
    return EscalationIn.model_validate(fields)


def raw_rows(db_url: str, query: str) -> list[tuple[Any, ...]]:
    """Rows read with plain SQL, to see what is really in the database, not what the store returns."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


# --- every API function, on both databases -----------------------------------------------------


def test_create_escalation_returns_it_as_stored(store: AppStore) -> None:
    before = datetime.now(UTC)
    given = escalation_in(
        urgent=True, reason="safety", audience="young_person", safety_categories=["self_harm", "self_harm"]
    )

    stored = store.create_escalation(given)

    assert isinstance(stored.id, int)
    assert stored.status == "new"
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= stored.created_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert stored.updated_at == stored.created_at
    assert stored.urgent is True
    assert stored.reason == "safety"
    assert stored.audience == "young_person"
    assert stored.safety_categories == ["self_harm"]
    assert stored.links_given == given.links_given
    assert stored.contact_method == "phone"
    assert stored.contact_time == "morning"
    assert [(t.speaker, t.at) for t in stored.transcript] == [(t.speaker, t.at) for t in given.transcript]
    assert store.get_escalation(stored.id) == stored


def test_get_escalation_of_an_unknown_id_is_none(store: AppStore) -> None:
    assert store.get_escalation(12345) is None
    created = store.create_escalation(escalation_in())
    assert store.get_escalation(created.id + 1) is None


def test_optional_fields_can_be_left_out(store: AppStore) -> None:
    stored = store.create_escalation(
        EscalationIn(conversation_id="c", reason="request_human", transcript=[], links_given=[])
    )
    fetched = store.get_escalation(stored.id)
    assert fetched is not None
    assert (fetched.contact_method, fetched.contact_time, fetched.audience) == (None, None, "parent")
    assert (fetched.transcript, fetched.links_given, fetched.safety_categories) == ([], [], [])


def test_list_escalations_newest_first(store: AppStore) -> None:
    ids = [store.create_escalation(escalation_in(f"conv-{n}")).id for n in range(5)]

    listed = store.list_escalations()

    assert [e.id for e in listed] == list(reversed(ids))
    assert [e.conversation_id for e in listed] == [f"conv-{n}" for n in reversed(range(5))]
    created = [e.created_at for e in listed]
    assert created == sorted(created, reverse=True)
    assert [e.id for e in store.list_escalations(limit=2)] == list(reversed(ids))[:2]


def test_list_escalations_filters_by_status_and_urgency(store: AppStore) -> None:
    calm_new = store.create_escalation(escalation_in("a"))
    urgent_new = store.create_escalation(escalation_in("b", urgent=True, reason="safety"))
    calm_closed = store.create_escalation(escalation_in("c"))
    urgent_working = store.create_escalation(escalation_in("d", urgent=True, reason="safety"))
    store.set_escalation_status(calm_closed.id, "closed")
    store.set_escalation_status(urgent_working.id, "assigned")

    def ids(**filters: Any) -> list[int]:
        return [e.id for e in store.list_escalations(**filters)]

    assert ids() == [urgent_working.id, calm_closed.id, urgent_new.id, calm_new.id]
    assert ids(status="new") == [urgent_new.id, calm_new.id]
    assert ids(status="closed") == [calm_closed.id]
    assert ids(status="assigned") == [urgent_working.id]
    assert ids(urgent_only=True) == [urgent_working.id, urgent_new.id]
    assert ids(status="new", urgent_only=True) == [urgent_new.id]
    assert ids(status="closed", urgent_only=True) == []
    with pytest.raises(ValueError, match="unknown status"):
        store.list_escalations(status="open")
    with pytest.raises(ValueError, match="limit"):
        store.list_escalations(limit=0)


def test_set_escalation_status_moves_it_along(store: AppStore) -> None:
    created = store.create_escalation(escalation_in())
    other = store.create_escalation(escalation_in("other"))

    store.set_escalation_status(created.id, "assigned")
    working = store.get_escalation(created.id)
    store.set_escalation_status(created.id, "closed")
    closed = store.get_escalation(created.id)

    assert working is not None
    assert closed is not None
    assert (working.status, closed.status) == ("assigned", "closed")
    assert created.updated_at <= working.updated_at <= closed.updated_at
    assert closed.created_at == created.created_at
    untouched = store.get_escalation(other.id)
    assert untouched is not None
    assert untouched.status == "new"


def test_set_escalation_status_refuses_unknown_ids_and_statuses(store: AppStore) -> None:
    created = store.create_escalation(escalation_in())
    with pytest.raises(EscalationNotFound):
        store.set_escalation_status(created.id + 100, "closed")
    with pytest.raises(ValueError, match="unknown status"):
        store.set_escalation_status(created.id, "done")  # type: ignore[arg-type]
    fetched = store.get_escalation(created.id)
    assert fetched is not None
    assert fetched.status == "new"


def test_record_feedback(store: AppStore) -> None:
    first = store.record_feedback("conv-1", "This helped a lot", True)
    second = store.record_feedback("conv-1", "Not what I asked", False)
    third = store.record_feedback("conv-2", "", None)

    assert first < second < third
    listed = store.list_feedback()
    assert [(f.id, f.conversation_id, f.text, f.helpful) for f in listed] == [
        (third, "conv-2", "", None),
        (second, "conv-1", "Not what I asked", False),
        (first, "conv-1", "This helped a lot", True),
    ]
    assert all(f.created_at.utcoffset() == timedelta(0) for f in listed)
    assert [f.id for f in store.list_feedback(limit=1)] == [third]


def test_record_feedback_validates_the_conversation_id(store: AppStore) -> None:
    with pytest.raises(ValidationError):
        store.record_feedback("not an id!", "fine", None)
    assert store.list_feedback() == []


def test_a_second_store_on_the_same_database_sees_the_rows(db_url: str) -> None:
    with AppStore(db_url) as writer, AppStore(db_url) as reader:
        created = writer.create_escalation(escalation_in())
        feedback_id = writer.record_feedback("conv-1", "thanks", True)
        assert reader.get_escalation(created.id) == created
        assert [e.id for e in reader.list_escalations()] == [created.id]
        assert [f.id for f in reader.list_feedback()] == [feedback_id]
        reader.set_escalation_status(created.id, "closed")
        seen = writer.get_escalation(created.id)
        assert seen is not None
        assert seen.status == "closed"


def test_rows_outlive_the_store(db_url: str) -> None:
    with AppStore(db_url) as first:
        created = first.create_escalation(escalation_in())
    with AppStore(db_url) as again:
        assert again.get_escalation(created.id) == created


def test_close_then_use_again(store: AppStore) -> None:
    store.create_escalation(escalation_in())
    store.close()
    assert len(store.list_escalations()) == 1


def test_schema_version_row(store: AppStore, db_url: str) -> None:
    assert store.schema_version() == SCHEMA_VERSION
    rows = raw_rows(db_url, "SELECT id, version FROM schema_version")
    assert rows == [(1, SCHEMA_VERSION)]


def test_a_database_from_newer_code_is_refused(db_url: str) -> None:
    with AppStore(db_url) as first:
        first.record_feedback("c", "ok", None)
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE schema_version SET version = :v"), {"v": SCHEMA_VERSION + 1})
    engine.dispose()
    with AppStore(db_url) as later, pytest.raises(SchemaTooNew):
        later.list_escalations()


def test_concurrent_writes_from_two_threads(db_url: str) -> None:
    """Two threads, each with its own store (its own connections), as the gateway and action server are."""
    per_thread = 40
    errors: list[BaseException] = []
    ids: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(2)

    def write(name: str) -> None:
        try:
            with AppStore(db_url) as store:
                start.wait()
                for n in range(per_thread):
                    created = store.create_escalation(escalation_in(f"{name}-{n}"))
                    store.set_escalation_status(created.id, "assigned")
                    store.record_feedback(f"{name}-{n}", "thanks", True)
                    with lock:
                        ids.append(created.id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(name,)) for name in ("gateway", "actions")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert len(set(ids)) == 2 * per_thread
    with AppStore(db_url) as check:
        listed = check.list_escalations(limit=1000)
        assert sorted(e.id for e in listed) == sorted(ids)
        assert {e.status for e in listed} == {"assigned"}
        assert len(check.list_feedback(limit=1000)) == 2 * per_thread


# --- privacy: nothing identifying reaches the database -----------------------------------------

IDENTIFIERS = {
    "phone": "07700 900123",
    "email": "jo.bloggs@example.org",
    "nhs": "943 476 5919",
    "dob": "03/04/2015",
    "address": "12 Acacia Road",
    "postcode": "GL5 1AA",
    "name": "Amelia",
}


def test_transcripts_contact_time_and_feedback_are_redacted_on_write(store: AppStore, db_url: str) -> None:
    # Callers are meant to redact first; this one 'forgot', so the store must do it.
    transcript = [
        turn("user", f"my daughter {IDENTIFIERS['name']} (dob {IDENTIFIERS['dob']}) was excluded"),
        turn("bot", "SENDIASS can help. Call them on 0800 158 3603."),
        turn("user", f"call me on {IDENTIFIERS['phone']} or email {IDENTIFIERS['email']}"),
        turn("user", f"her NHS no is {IDENTIFIERS['nhs']}"),
        turn("user", f"we live at {IDENTIFIERS['address']}, Stroud {IDENTIFIERS['postcode']}"),
    ]
    created = store.create_escalation(
        escalation_in(transcript=transcript, contact_time=f"after 3, on {IDENTIFIERS['phone']}")
    )
    store.record_feedback("conv-1", f"great bot, I'm {IDENTIFIERS['name']}, ring {IDENTIFIERS['phone']}", True)

    fetched = store.get_escalation(created.id)
    assert fetched is not None
    assert [t.text for t in fetched.transcript] == [
        "my daughter [name] (dob [date of birth]) was excluded",
        "SENDIASS can help. Call them on 0800 158 3603.",  # a public helpline is kept
        "call me on [phone number] or email [email]",
        "her NHS no is [NHS number]",
        "we live at [address], Stroud [postcode]",
    ]
    assert fetched.contact_time == "after 3, on [phone number]"
    assert store.list_feedback()[0].text == "great bot, I'm [name], ring [phone number]"
    # What is really in the tables, read with plain SQL.
    stored = " ".join(
        str(value)
        for query in ("SELECT transcript, contact_time FROM escalations", "SELECT text FROM feedback")
        for row in raw_rows(db_url, query)
        for value in row
    )
    for kind, identifier in IDENTIFIERS.items():
        assert identifier not in stored, kind
    assert "07700" not in stored
    assert "0800 158 3603" in stored


def test_a_changed_model_is_checked_again(store: AppStore) -> None:
    given = escalation_in()
    given.reason = "made_up"  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        store.create_escalation(given)
    assert store.list_escalations() == []


def test_sqlite_file_is_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    with AppStore(url) as store:
        store.record_feedback("c", "ok", None)
        engine = store._engine
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_tables_are_created_on_first_use_at_the_settings_url(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path / "var")
    database = tmp_path / "var" / "app.sqlite"
    store = AppStore.from_settings(settings)
    try:
        assert store.url == f"sqlite:///{database}"
        assert not database.exists()
        assert store.list_escalations() == []
        assert database.exists()
        assert {name for (name,) in raw_rows(store.url, "SELECT name FROM sqlite_master WHERE type='table'")} >= {
            "escalations",
            "feedback",
            "schema_version",
        }
    finally:
        store.close()


def test_in_memory_sqlite_is_shared_between_threads() -> None:
    with AppStore("sqlite://") as store:
        created: list[Escalation] = []
        thread = threading.Thread(target=lambda: created.append(store.create_escalation(escalation_in())))
        thread.start()
        thread.join()
        assert [e.id for e in store.list_escalations()] == [created[0].id]


def test_postgres_url_hides_the_password(postgres_url: str) -> None:
    with AppStore(postgres_url) as store:
        assert store.dialect == "postgresql"
        assert "***" in store.url
        assert postgres_url.split(":")[2].split("@")[0] not in store.url


# --- the boundary models -----------------------------------------------------------------------


@pytest.mark.parametrize("conversation_id", ["", "has space", "x" * 129, "semi;colon", "ünï"])
def test_conversation_id_pattern(conversation_id: str) -> None:
    with pytest.raises(ValidationError):
        escalation_in(conversation_id)
    with pytest.raises(ValidationError):
        FeedbackIn(conversation_id=conversation_id, text="ok")


def test_conversation_id_longest_allowed() -> None:
    assert escalation_in("A_b-9" * 25 + "xyz").conversation_id.endswith("xyz")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reason", "angry"),
        ("contact_method", "letter"),
        ("audience", "teacher"),
        ("links_given", [{"title": "x", "url": "javascript:alert(1)"}]),
        ("transcript", [{"speaker": "staff", "text": "hi", "at": "2025-03-01T10:00:00Z"}]),
        ("transcript", [{"speaker": "user", "text": "hi", "at": "yesterday"}]),
        ("unknown_field", "x"),
    ],
)
def test_invalid_values_fail(field: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        escalation_in(**{field: value})


def test_long_transcripts_keep_the_latest_turns() -> None:
    turns = [{"speaker": "user", "text": f"message {n}", "at": "2025-03-01T10:00:00Z"} for n in range(250)]
    kept = escalation_in(transcript=turns).transcript
    assert len(kept) == MAX_TRANSCRIPT_TURNS
    assert kept[0].text == "message 50"
    assert kept[-1].text == "message 249"


def test_long_texts_are_trimmed_without_leaving_half_an_identifier(store: AppStore) -> None:
    # The phone number straddles the limit: cut first, '07700 9001' would be left for good.
    words = "a " * ((MAX_TEXT_CHARS - 6) // 2) + "07700 900123 " + "b " * 500
    assert words.index("07700") < MAX_TEXT_CHARS < words.index("07700") + len("07700 900123")

    created = store.create_escalation(escalation_in(transcript=[turn("user", words)]))
    feedback_id = store.record_feedback("conv-1", words, False)

    stored_turn = created.transcript[0].text
    stored_feedback = next(f.text for f in store.list_feedback() if f.id == feedback_id)
    for stored in (stored_turn, stored_feedback):
        assert MAX_TEXT_CHARS - len("[phone number]") <= len(stored) <= MAX_TEXT_CHARS
        assert "0770" not in stored
        assert "[phone" not in stored  # no half placeholder either
        assert stored.startswith("a a a")


def test_long_text_at_the_model() -> None:
    assert turn("user", "x" * 5000).text == "x" * MAX_TEXT_CHARS
    assert turn("user", "y" * MAX_TEXT_CHARS).text == "y" * MAX_TEXT_CHARS
    # A placeholder that fits whole is kept.
    early = "call 07700 900123 " + "z " * 1500
    assert turn("user", early).text.startswith("call [phone number] z z")


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValidationError):
        Escalation.model_validate(
            escalation_in().model_dump()
            | {"id": 1, "status": "new", "created_at": datetime(2025, 1, 1), "updated_at": datetime(2025, 1, 1)}
        )


def test_postgres_server_version(postgres_server: PostgresServer) -> None:
    with postgres_server.admin() as admin:
        row = admin.execute("SHOW server_version").fetchone()
    assert row is not None
    assert str(row[0]).split(".")[0] in postgres_server.version
