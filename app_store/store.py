"""AppStore: escalations, feedback and the staff console's records, kept in SQLite or PostgreSQL through one code path.

Every transcript text, contact time and feedback text is redacted here again before it is written,
even though callers redact first: a caller that forgets must not be enough to store a phone
number or a child's name.

One engine per store and a short session per call, so one store can serve many threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app_store.engine import make_engine
from app_store.insights_store import InsightsStoreMixin
from app_store.migrate import SchemaTooNew, upgrade_to_head
from app_store.models import (
    MAX_CONTACT_TIME_CHARS,
    MAX_TEXT_CHARS,
    STATUSES,
    Escalation,
    EscalationIn,
    Feedback,
    FeedbackIn,
    Status,
)
from app_store.staff_store import StaffStoreMixin
from app_store.tables import SCHEMA_VERSION, EscalationRow, FeedbackRow, SchemaVersionRow, utc_now
from app_store.text import redacted
from privacy.contacts import public_numbers

if TYPE_CHECKING:
    from settings import Settings

_SCHEMA_ATTEMPTS = 3


class _SchemaNotReady(RuntimeError):
    """Another process is part way through migrating the database."""


class EscalationNotFound(LookupError):
    """No escalation has this id."""


class AppStore(StaffStoreMixin, InsightsStoreMixin):
    """The app database. It is migrated to the newest layout on first use."""

    def __init__(self, url: str, public_numbers: frozenset[str] = frozenset()) -> None:
        """``public_numbers``: the helplines the bot gives out, kept when texts are redacted for storage
        (as :func:`privacy.contacts.public_numbers` gives them); none by default."""
        self._public = public_numbers
        self._engine = make_engine(url)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._schema_lock = threading.Lock()
        self._schema_ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> AppStore:
        """A store at ``settings.app_db_url``: the caller (a process's entry point) owns the settings."""
        return cls(settings.app_db_url, public_numbers(settings.public_phones))

    @property
    def url(self) -> str:
        """The database URL with any password hidden, for logs."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self._engine.dialect.name

    def create_escalation(self, escalation: EscalationIn) -> Escalation:
        """Store an escalation with status 'new' and return it as stored (texts redacted)."""
        # Validated again: a caller may have changed fields after building it.
        checked = EscalationIn.model_validate(escalation.model_dump())
        now = utc_now()
        row = EscalationRow(
            conversation_id=checked.conversation_id,
            reason=checked.reason,
            urgent=checked.urgent,
            status="new",
            audience=checked.audience,
            contact_method=checked.contact_method,
            contact_time=(
                redacted(checked.contact_time, MAX_CONTACT_TIME_CHARS, self._public)
                if checked.contact_time is not None
                else None
            ),
            transcript=[
                {"speaker": turn.speaker, "text": redacted(turn.text, MAX_TEXT_CHARS, self._public), "at": turn.at}
                for turn in checked.transcript
            ],
            links_given=[link.model_dump() for link in checked.links_given],
            safety_categories=list(checked.safety_categories),
            created_at=now,
            updated_at=now,
            # An urgent escalation waits in the outbox for the duty-inbox alert (staff_console.alerts).
            alert_state="pending" if checked.urgent else None,
            alert_attempts=0,
        )
        with self._session() as session:
            session.add(row)
            session.flush()
            return _escalation(row)

    def list_escalations(
        self, status: str | None = None, urgent_only: bool = False, limit: int = 100
    ) -> list[Escalation]:
        """Escalations, newest first, optionally only those with ``status`` or only urgent ones."""
        if status is not None:
            _check_status(status)
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        query = select(EscalationRow)
        if status is not None:
            query = query.where(EscalationRow.status == status)
        if urgent_only:
            query = query.where(EscalationRow.urgent.is_(True))
        query = query.order_by(EscalationRow.created_at.desc(), EscalationRow.id.desc()).limit(limit)
        with self._session() as session:
            return [_escalation(row) for row in session.scalars(query)]

    def get_escalation(self, escalation_id: int) -> Escalation | None:
        """The escalation with this id, or None."""
        with self._session() as session:
            row = session.get(EscalationRow, escalation_id)
            return None if row is None else _escalation(row)

    def set_escalation_status(self, escalation_id: int, status: Status) -> None:
        """Set an escalation's status (no history or audit: the console uses CaseWork). Raises EscalationNotFound."""
        _check_status(status)
        # A single UPDATE, with no read first: on SQLite a read-then-write transaction can fail
        # at once with 'database is locked' when another process writes in between.
        statement = (
            update(EscalationRow).where(EscalationRow.id == escalation_id).values(status=status, updated_at=utc_now())
        )
        with self._session() as session:
            result = cast(CursorResult[Any], session.execute(statement))
            if result.rowcount == 0:
                raise EscalationNotFound(f"no escalation with id {escalation_id}")

    def record_feedback(self, conversation_id: str, text: str, helpful: bool | None = None) -> int:
        """Store feedback about the assistant (text redacted) and return its id."""
        checked = FeedbackIn(conversation_id=conversation_id, text=text, helpful=helpful)
        row = FeedbackRow(
            conversation_id=checked.conversation_id,
            text=redacted(checked.text, MAX_TEXT_CHARS, self._public),
            helpful=checked.helpful,
            created_at=utc_now(),
        )
        with self._session() as session:
            session.add(row)
            session.flush()
            return row.id

    def list_feedback(self, limit: int = 100) -> list[Feedback]:
        """Feedback, newest first."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        query = select(FeedbackRow).order_by(FeedbackRow.created_at.desc(), FeedbackRow.id.desc()).limit(limit)
        with self._session() as session:
            return [_feedback(row) for row in session.scalars(query)]

    def schema_version(self) -> int:
        """The layout version recorded in the database (creating the tables if needed)."""
        with self._session() as session:
            row = session.get(SchemaVersionRow, 1)
            assert row is not None, "schema_version row missing after schema creation"
            return row.version

    def close(self) -> None:
        """Close every pooled connection. The store opens new ones if it is used again."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def _escalation_model(self, row: EscalationRow) -> Escalation:
        return _escalation(row)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        self._ensure_schema()
        with self._sessions.begin() as session:
            yield session

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            for attempt in range(1, _SCHEMA_ATTEMPTS + 1):
                try:
                    self._create_schema()
                    break
                except (DBAPIError, _SchemaNotReady):
                    # Another process was creating the same tables at the same moment; its
                    # work is visible on the next try.
                    if attempt == _SCHEMA_ATTEMPTS:
                        raise
                    time.sleep(0.1 * attempt)
            self._schema_ready = True

    def _create_schema(self) -> None:
        upgrade_to_head(self._engine)
        with self._sessions.begin() as session:
            row = session.get(SchemaVersionRow, 1)
            if row is None:
                raise _SchemaNotReady("schema_version has no row yet")
            if row.version > SCHEMA_VERSION:
                raise SchemaTooNew(
                    f"the app database has schema version {row.version}; this code knows up to {SCHEMA_VERSION}"
                )


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")


def _escalation(row: EscalationRow) -> Escalation:
    return Escalation.model_validate(row, from_attributes=True)


def _feedback(row: FeedbackRow) -> Feedback:
    return Feedback.model_validate(row, from_attributes=True)
