"""The app database's tables (SQLAlchemy 2 ORM), the same for SQLite and PostgreSQL.

``SCHEMA_VERSION`` is written to ``schema_version`` when the tables are first made, so a later
migration can tell which layout a database has. Raise it with every change to these tables.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, Dialect, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from app_store.models import MAX_CONTACT_TIME_CHARS, STATUSES

SCHEMA_VERSION = 1


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


class EscalationRow(Base):
    """An escalation to SENDIASS; transcript, links and categories are JSON lists."""

    __tablename__ = "escalations"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_VALUES})", name="escalation_status_known"),
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


class FeedbackRow(Base):
    """Feedback about the assistant; the text is redacted before it gets here."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    text: Mapped[str] = mapped_column(Text)
    helpful: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
