"""The app database's tables (SQLAlchemy 2 ORM), the same for SQLite and PostgreSQL.

The tables are made and changed by the Alembic migrations in ``app_store/migrations`` (never by
``create_all``); these classes must describe what the latest migration leaves. ``SCHEMA_VERSION``
is the number the latest migration writes to ``schema_version``: older code refuses a database
whose number is higher than it knows. Raise it, and add a migration, with every change here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from app_store.insights_models import EXCLUSION_REASONS, FEEDBACK_REASONS, QUESTION_OUTCOMES
from app_store.models import MAX_CONTACT_TIME_CHARS, OUTCOMES, STATUSES

SCHEMA_VERSION = 5


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back with its time zone.

    SQLite keeps no time zone, so without this a value would come back naive there and aware on
    PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a timestamp without a time zone")
        utc = value.astimezone(UTC)
        # SQLite compares timestamps as text: one format (naive UTC) keeps ordering right.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Metadata shared by every app-database table."""


class SchemaVersionRow(Base):
    """One row saying which layout of these tables the database holds."""

    __tablename__ = "schema_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


_STATUS_VALUES = ", ".join(f"'{status}'" for status in STATUSES)
_OUTCOME_VALUES = ", ".join(f"'{outcome}'" for outcome in OUTCOMES)
ROLES = ("caseworker", "admin", "editor")
_ROLE_VALUES = ", ".join(f"'{role}'" for role in ROLES)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class EscalationRow(Base):
    """An escalation to SENDIASS; transcript, links and categories are JSON lists."""

    __tablename__ = "escalations"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_VALUES})", name="escalation_status_known"),
        CheckConstraint(f"outcome IS NULL OR outcome IN ({_OUTCOME_VALUES})", name="escalation_outcome_known"),
        # The staff queue: newest first, often filtered by status or urgency.
        Index("ix_escalations_status_created", "status", "created_at"),
        Index("ix_escalations_urgent_created", "urgent", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="new")
    audience: Mapped[str] = mapped_column(String(16))
    contact_method: Mapped[str | None] = mapped_column(String(8), nullable=True)
    contact_time: Mapped[str | None] = mapped_column(String(MAX_CONTACT_TIME_CHARS), nullable=True)
    transcript: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    links_given: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    safety_categories: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Casework (migration 0002).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True, index=True)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When SENDIASS first acted (a contact attempt, or closing): the end of the time waiting.
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The duty-inbox alert of an urgent escalation: an outbox that the gateway's sender polls, so
    # the alert goes whoever wrote the escalation. None for escalations that need no alert.
    alert_state: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    alert_attempts: Mapped[int] = mapped_column(Integer, default=0)
    alert_last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    alert_next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    alert_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    alert_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class FeedbackRow(Base):
    """Feedback about the assistant; the text is redacted before it gets here."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    text: Mapped[str] = mapped_column(Text)
    helpful: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class StaffUserRow(Base):
    """A SENDIASS staff account. Passwords are argon2 hashes; TOTP secrets are encrypted."""

    __tablename__ = "staff_users"
    __table_args__ = (CheckConstraint(f"role IN ({_ROLE_VALUES})", name="staff_role_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret_encrypted: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The time step (Unix time // 30) of the last authenticator code accepted, so that code, and
    # any older one, is refused from then on (migration 0003).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class StaffSessionRow(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is kept here."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ip: Mapped[str] = mapped_column(String(64))
    # False while an admin without an authenticator app is setting one up: only that page works.
    fully_signed_in: Mapped[bool] = mapped_column(Boolean, default=True)
    pending_totp_encrypted: Mapped[str | None] = mapped_column(Text, nullable=True)


class CaseNoteRow(Base):
    """A private note by staff on an escalation."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ContactAttemptRow(Base):
    """One try at reaching the family: when, how and what happened."""

    __tablename__ = "contact_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CaseEventRow(Base):
    """The history of an escalation: status changes, assignments, notes, attempts, alerts."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(300))


class AuditRow(Base):
    """Who did what, when, from where. Append-only: a database trigger refuses any UPDATE."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str] = mapped_column(String(500))
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ServiceStateRow(Base):
    """One row: whether staff have paused the assistant, why, by whom and when."""

    __tablename__ = "service_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    changed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class QuestionLogRow(Base):
    """One family turn, for the editors' insights: the redacted question and what the assistant did.

    Never the raw text. ``embedding`` caches the question's sentence vector (float32 bytes) the
    first time the content-gap topics are worked out, so each question is embedded once.
    """

    __tablename__ = "question_log"
    __table_args__ = (
        CheckConstraint(_in("outcome", QUESTION_OUTCOMES), name="question_outcome_known"),
        CheckConstraint(
            "feedback_reason IS NULL OR " + _in("feedback_reason", FEEDBACK_REASONS), name="question_reason_known"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    question: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(24))
    kinds: Mapped[list[str]] = mapped_column(JSON)
    page_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    page_title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    helpful: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    feedback_reason: Mapped[str | None] = mapped_column(String(24), nullable=True)
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # At risk only because the turn before was, naming no danger itself (safety.carried_quietly).
    risk_carried_quietly: Mapped[bool] = mapped_column(Boolean, server_default=false())


class ContentExclusionRow(Base):
    """A page an editor left out of the knowledge base. Lifting it sets ``lifted_*``; the row stays."""

    __tablename__ = "content_exclusions"
    __table_args__ = (CheckConstraint(_in("reason", EXCLUSION_REASONS), name="exclusion_reason_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(1000), index=True)
    title: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(String(500))
    excluded_by: Mapped[str] = mapped_column(String(64))
    excluded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lifted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
