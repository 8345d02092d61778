"""What happens to data at the end of its life: retention, erasure by reference, CSV export.

Retention (``python -m signposting retention``, safe to run from cron: it only deletes what is
older than the configured limits, so running it twice does nothing more) removes closed
escalations, Rasa conversations, audit entries, feedback and stale sign-in sessions. Erasure
removes one family's escalation, everything staff recorded on it, its feedback and its Rasa
conversation at once. Both are audited; the audit entries name the reference, never content.

Rasa keeps conversations in its own SQL tracker store (a SQLite file, signposting.stack); we
delete whole conversations from it, never single events, so Rasa never sees half a tracker.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from app_store import AppStore, Escalation
from app_store.staff_models import ErasureCounts, QueueFilters
from app_store.tables import utc_now
from settings import Settings

REFERENCE_PREFIX = "SEND-"
TRACKER_BUSY_TIMEOUT_SECONDS = 10.0


class RetentionReport(BaseModel):
    closed_escalations: int
    conversations: int
    audit_entries: int
    feedback: int
    sessions: int
    questions: int = 0

    def lines(self) -> list[str]:
        return [
            f"closed escalations deleted: {self.closed_escalations}",
            f"Rasa conversations deleted: {self.conversations}",
            f"audit entries deleted:      {self.audit_entries}",
            f"feedback deleted:           {self.feedback}",
            f"expired sign-in sessions:   {self.sessions}",
            f"question log turns deleted: {self.questions}",
        ]


class ErasureReport(BaseModel):
    reference: str
    found: bool
    counts: ErasureCounts
    conversation_events: int


def parse_reference(text: str) -> int | None:
    """The escalation id in 'SEND-12', 'send-12' or '12'; None for anything else."""
    cleaned = text.strip().upper()
    if cleaned.startswith(REFERENCE_PREFIX):
        cleaned = cleaned[len(REFERENCE_PREFIX) :]
    return int(cleaned) if cleaned.isdigit() and len(cleaned) < 12 else None


# The columns of Rasa's SQL tracker store that retention and erasure need (Rasa makes the table:
# rasa.core.tracker_store.SQLTrackerStore.SQLEvent, the same on SQLite and PostgreSQL).
_EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("timestamp", Float),
)
_DELETE_BATCH = 500


class TrackerStoreUnavailable(RuntimeError):
    """Rasa's tracker store could not be reached or read; nothing was deleted from it."""


def _tracker_engine(settings: Settings) -> Engine | None:
    """An engine on Rasa's tracker store, or None when there is none yet (a SQLite file not made)."""
    url = make_url(settings.tracker_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or not Path(url.database).expanduser().exists():
            return None
        return create_engine(url, connect_args={"timeout": TRACKER_BUSY_TIMEOUT_SECONDS}, poolclass=NullPool)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # our driver; Rasa uses its own (psycopg2)
    return create_engine(url, poolclass=NullPool)


@contextmanager
def _tracker_events(settings: Settings) -> Iterator[Connection | None]:
    """A transaction on the tracker store, or None when it has no events table (Rasa never ran)."""
    engine = _tracker_engine(settings)
    if engine is None:
        yield None
        return
    try:
        with engine.begin() as connection:
            yield connection if inspect(connection).has_table("events") else None
    except SQLAlchemyError as exc:
        # The transaction was rolled back: nothing was deleted from the tracker store.
        raise TrackerStoreUnavailable(f"Rasa's tracker store could not be used ({type(exc).__name__})") from exc
    finally:
        engine.dispose()


def delete_conversation(settings: Settings, conversation_id: str) -> int:
    """Delete one conversation from Rasa's tracker store; returns how many events went."""
    with _tracker_events(settings) as connection:
        if connection is None:
            return 0
        return int(connection.execute(delete(_EVENTS).where(_EVENTS.c.sender_id == conversation_id)).rowcount)


def purge_conversations(settings: Settings, last_message_before: datetime) -> int:
    """Delete every conversation whose latest event is older than the cut-off; returns how many."""
    cutoff = last_message_before.timestamp()
    with _tracker_events(settings) as connection:
        if connection is None:
            return 0
        old = list(
            connection.scalars(
                select(_EVENTS.c.sender_id).group_by(_EVENTS.c.sender_id).having(func.max(_EVENTS.c.timestamp) < cutoff)
            )
        )
        # Whole conversations only: one that got a new message since the query above is kept.
        recent = select(_EVENTS.c.sender_id).where(_EVENTS.c.timestamp >= cutoff)
        for start in range(0, len(old), _DELETE_BATCH):
            batch = old[start : start + _DELETE_BATCH]
            connection.execute(
                delete(_EVENTS).where(_EVENTS.c.sender_id.in_(batch), _EVENTS.c.sender_id.not_in(recent))
            )
        return len(old)


def run_retention(settings: Settings, store: AppStore, actor: str, now: datetime | None = None) -> RetentionReport:
    """Delete what is older than the limits and audit the counts.

    Raises TrackerStoreUnavailable (after auditing what was deleted) if Rasa's tracker store could
    not be used; the next run deletes what this one could not.
    """
    now = now or utc_now()
    report = RetentionReport(
        closed_escalations=store.purge_closed_escalations(
            now - timedelta(days=settings.retain_closed_escalations_days)
        ),
        conversations=0,
        audit_entries=store.purge_audit(now - timedelta(days=settings.retain_audit_days)),
        feedback=store.purge_feedback(now - timedelta(days=settings.retain_feedback_days)),
        sessions=store.purge_idle_sessions(now - timedelta(hours=settings.staff_session_max_hours)),
        questions=store.purge_question_log(now - timedelta(days=settings.retain_question_log_days)),
    )
    try:
        report.conversations = purge_conversations(settings, now - timedelta(days=settings.retain_trackers_days))
    except TrackerStoreUnavailable as exc:
        store.audit(actor, "retention", detail="; ".join(report.lines()) + f"; conversations NOT deleted: {exc}")
        raise
    store.audit(actor, "retention", detail="; ".join(report.lines()))
    return report


def erase_by_reference(
    settings: Settings, store: AppStore, reference: str, actor: str, ip: str | None
) -> ErasureReport:
    """Erase a family's escalation (and any other from the same conversation), the casework on it,
    the conversation's feedback and Rasa's record of the conversation, and audit it.

    The conversation goes first: if the tracker store cannot be reached, TrackerStoreUnavailable
    is raised before anything is erased, so the reference still works for another try.
    """
    escalation_id = parse_reference(reference)
    label = f"{REFERENCE_PREFIX}{escalation_id}" if escalation_id is not None else reference.strip()[:40]
    if escalation_id is None:
        return ErasureReport(reference=label, found=False, counts=ErasureCounts(), conversation_events=0)
    escalation = store.get_escalation(escalation_id)
    if escalation is None:
        store.audit(actor, "erasure", target=label, detail="no such reference", ip=ip)
        return ErasureReport(reference=label, found=False, counts=ErasureCounts(), conversation_events=0)
    events = delete_conversation(settings, escalation.conversation_id)
    _conversation_id, counts = store.erase_escalation(escalation_id)
    store.audit(
        actor,
        "erasure",
        target=label,
        detail=(
            f"erased: {counts.escalations} escalation(s), {counts.notes} notes, {counts.attempts} contact attempts, "
            f"{counts.events} history entries, {counts.feedback} feedback, {counts.questions} logged questions, "
            f"{events} conversation events"
        ),
        ip=ip,
    )
    return ErasureReport(reference=label, found=True, counts=counts, conversation_events=events)


CSV_COLUMNS = [
    "reference",
    "created_at",
    "status",
    "reason",
    "urgent",
    "audience",
    "contact_method",
    "contact_time",
    "safety_categories",
    "assignee_id",
    "outcome",
    "closed_at",
    "first_response_at",
    "links_given",
]


def export_csv(store: AppStore, filters: QueueFilters, with_transcripts: bool) -> tuple[str, int]:
    """Escalations as CSV text (transcripts only when asked for), and how many rows."""
    escalations = store.list_queue(filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS + (["transcript"] if with_transcripts else []))
    for escalation in escalations:
        writer.writerow(_csv_row(escalation, with_transcripts))
    return out.getvalue(), len(escalations)


def _cell(value: str) -> str:
    # Spreadsheets run a cell that starts with = + - @ as a formula: keep them text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_row(escalation: Escalation, with_transcripts: bool) -> list[str]:
    row = [
        escalation.reference,
        escalation.created_at.isoformat(),
        escalation.status,
        escalation.reason,
        "yes" if escalation.urgent else "no",
        escalation.audience,
        escalation.contact_method or "",
        escalation.contact_time or "",
        ", ".join(escalation.safety_categories),
        "" if escalation.assignee_id is None else str(escalation.assignee_id),
        escalation.outcome or "",
        escalation.closed_at.isoformat() if escalation.closed_at else "",
        escalation.first_response_at.isoformat() if escalation.first_response_at else "",
        " ".join(link.url for link in escalation.links_given),
    ]
    if with_transcripts:
        row.append("\n".join(f"{turn.at} {turn.speaker}: {turn.text}" for turn in escalation.transcript))
    return [_cell(value) for value in row]
