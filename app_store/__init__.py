"""The app database: escalations handed to SENDIASS, feedback, and the staff console's records.

One SQLAlchemy code path for SQLite (the default, a file under var/) and PostgreSQL (production).

>>> store = AppStore("sqlite://")
>>> store.record_feedback("demo-1", "Great, thanks", helpful=True)
1
>>> store.close()
"""

from app_store.insights_models import ContentExclusion, LoggedTurn, TurnIn
from app_store.insights_store import ExclusionRefused
from app_store.migrate import SchemaTooNew
from app_store.models import (
    MAX_TEXT_CHARS,
    MAX_TRANSCRIPT_TURNS,
    ContactMethod,
    Escalation,
    EscalationIn,
    Feedback,
    FeedbackIn,
    Link,
    Reason,
    Speaker,
    Status,
    TranscriptTurn,
)
from app_store.staff_store import CaseChangeRefused, StaffUserExists
from app_store.store import AppStore, EscalationNotFound
from app_store.tables import SCHEMA_VERSION

__all__ = [
    "MAX_TEXT_CHARS",
    "MAX_TRANSCRIPT_TURNS",
    "SCHEMA_VERSION",
    "AppStore",
    "CaseChangeRefused",
    "ContactMethod",
    "ContentExclusion",
    "Escalation",
    "EscalationIn",
    "EscalationNotFound",
    "ExclusionRefused",
    "Feedback",
    "FeedbackIn",
    "Link",
    "LoggedTurn",
    "Reason",
    "SchemaTooNew",
    "Speaker",
    "StaffUserExists",
    "Status",
    "TranscriptTurn",
    "TurnIn",
]
