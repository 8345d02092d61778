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
import sqlite3
from datetime import datetime, timedelta

from pydantic import BaseModel

from app_store import AppStore, Escalation
from app_store.staff_models import ErasureCounts, QueueFilters
from app_store.tables import utc_now
from signposting.settings import Settings

REFERENCE_PREFIX = "SEND-"
TRACKER_BUSY_TIMEOUT_SECONDS = 10.0


class RetentionReport(BaseModel):
    closed_escalations: int
    conversations: int
    audit_entries: int
    feedback: int
    sessions: int

    def lines(self) -> list[str]:
        return [
            f"closed escalations deleted: {self.closed_escalations}",
            f"Rasa conversations deleted: {self.conversations}",
            f"audit entries deleted:      {self.audit_entries}",
            f"feedback deleted:           {self.feedback}",
            f"expired sign-in sessions:   {self.sessions}",
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


def _tracker(settings: Settings) -> sqlite3.Connection | None:
    path = settings.tracker_db
    if not path.exists():
        return None
    connection = sqlite3.connect(path, timeout=TRACKER_BUSY_TIMEOUT_SECONDS)
    has_events = connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='events'").fetchone()
    if has_events is None:
        connection.close()
        return None
    return connection


def delete_conversation(settings: Settings, conversation_id: str) -> int:
    """Delete one conversation from Rasa's tracker store; returns how many events went."""
    connection = _tracker(settings)
    if connection is None:
        return 0
    try:
        with connection:
            return connection.execute("DELETE FROM events WHERE sender_id = ?", (conversation_id,)).rowcount
    finally:
        connection.close()


def purge_conversations(settings: Settings, last_message_before: datetime) -> int:
    """Delete every conversation whose latest event is older than the cut-off; returns how many."""
    connection = _tracker(settings)
    if connection is None:
        return 0
    cutoff = last_message_before.timestamp()
    try:
        with connection:
            old = [
                row[0]
                for row in connection.execute(
                    "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < ?", (cutoff,)
                )
            ]
            for sender in old:
                connection.execute("DELETE FROM events WHERE sender_id = ?", (sender,))
            return len(old)
    finally:
        connection.close()


def run_retention(settings: Settings, store: AppStore, actor: str, now: datetime | None = None) -> RetentionReport:
    now = now or utc_now()
    report = RetentionReport(
        closed_escalations=store.purge_closed_escalations(
            now - timedelta(days=settings.retain_closed_escalations_days)
        ),
        conversations=purge_conversations(settings, now - timedelta(days=settings.retain_trackers_days)),
        audit_entries=store.purge_audit(now - timedelta(days=settings.retain_audit_days)),
        feedback=store.purge_feedback(now - timedelta(days=settings.retain_feedback_days)),
        sessions=store.purge_idle_sessions(now - timedelta(hours=settings.staff_session_max_hours)),
    )
    store.audit(actor, "retention", detail="; ".join(report.lines()))
    return report


def erase_by_reference(
    settings: Settings, store: AppStore, reference: str, actor: str, ip: str | None
) -> ErasureReport:
    """Erase one escalation, its casework, feedback and Rasa conversation, and audit it."""
    escalation_id = parse_reference(reference)
    label = f"{REFERENCE_PREFIX}{escalation_id}" if escalation_id is not None else reference.strip()[:40]
    if escalation_id is None:
        return ErasureReport(reference=label, found=False, counts=ErasureCounts(), conversation_events=0)
    conversation_id, counts = store.erase_escalation(escalation_id)
    events = 0 if conversation_id is None else delete_conversation(settings, conversation_id)
    found = conversation_id is not None
    store.audit(
        actor,
        "erasure",
        target=label,
        detail=(
            f"erased: {counts.escalations} escalation, {counts.notes} notes, {counts.attempts} contact attempts, "
            f"{counts.events} history entries, {counts.feedback} feedback, {events} conversation events"
            if found
            else "no such reference"
        ),
        ip=ip,
    )
    return ErasureReport(reference=label, found=found, counts=counts, conversation_events=events)


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
