"""What the staff console reads from and hands to the app database (pydantic models)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from app_store.models import Escalation, Outcome, Reason, Status
from vocabulary.audiences import Audience

Role = Literal["caseworker", "admin", "editor"]
ContactAttemptMethod = Literal["phone", "email", "letter", "other"]
ContactAttemptOutcome = Literal["spoke_to_family", "left_message", "no_answer", "email_sent", "wrong_details", "other"]
AuditAction = Literal[
    "sign_in",
    "sign_in_failed",
    "sign_out",
    "totp_enrolled",
    "account_created",
    "account_disabled",
    "account_enabled",
    "account_reset",
    "case_view",
    "case_change",
    "export",
    "erasure",
    "retention",
    "pause",
    "resume",
    "audit_view",
    "insights_view",
    "page_excluded",
    "exclusion_lifted",
]

ROLES: tuple[str, ...] = get_args(Role)
ATTEMPT_METHODS: tuple[str, ...] = get_args(ContactAttemptMethod)
ATTEMPT_OUTCOMES: tuple[str, ...] = get_args(ContactAttemptOutcome)
AUDIT_ACTIONS: tuple[str, ...] = get_args(AuditAction)

MAX_NOTE_CHARS = 5000
MAX_REASON_CHARS = 500


class StaffUser(BaseModel):
    """A staff account. The hash and the encrypted TOTP secret never appear in a repr."""

    model_config = ConfigDict(frozen=True)

    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool
    failed_sign_ins: int
    locked_until: datetime | None
    created_at: datetime
    last_sign_in_at: datetime | None
    password_hash: str = Field(repr=False)
    totp_secret_encrypted: str | None = Field(default=None, repr=False)

    @property
    def has_totp(self) -> bool:
        return self.totp_secret_encrypted is not None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_do_casework(self) -> bool:
        """Caseworkers and admins see families' cases; editors never do."""
        return self.role in ("caseworker", "admin")

    @property
    def can_edit_content(self) -> bool:
        """Editors and admins see the insights and exclude pages."""
        return self.role in ("editor", "admin")


class StaffSession(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    user_id: int
    csrf_token: str = Field(repr=False)
    created_at: datetime
    last_seen_at: datetime
    ip: str
    fully_signed_in: bool
    pending_totp_encrypted: str | None = Field(default=None, repr=False)


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    at: datetime
    actor: str
    action: str
    target: str | None
    detail: str
    ip: str | None


class AuditFilters(BaseModel):
    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = Field(default=500, ge=1, le=5000)


class CaseNote(BaseModel):
    id: int
    author: str
    text: str
    created_at: datetime


class ContactAttempt(BaseModel):
    id: int
    author: str
    attempted_at: datetime
    method: ContactAttemptMethod
    outcome: ContactAttemptOutcome
    created_at: datetime


class CaseEvent(BaseModel):
    id: int
    actor: str
    at: datetime
    action: str
    detail: str


class CaseDetail(BaseModel):
    """An escalation with everything staff have done about it."""

    escalation: Escalation
    assignee: str | None
    notes: list[CaseNote]
    attempts: list[ContactAttempt]
    events: list[CaseEvent]
    alert_state: str | None
    alert_attempts: int
    alert_last_error: str | None
    alert_sent_at: datetime | None


class QueueFilters(BaseModel):
    """The queue's filters; None means 'any'. status 'open' means anything but closed."""

    status: Status | Literal["open"] | None = "open"
    reason: Reason | None = None
    urgent: bool | None = None
    audience: Audience | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    limit: int = Field(default=200, ge=1, le=2000)


class DueAlert(BaseModel):
    """An urgent escalation whose duty-inbox alert is waiting to go."""

    escalation_id: int
    reason: Reason
    safety_categories: list[str]
    created_at: datetime
    attempts: int


class ServiceState(BaseModel):
    paused: bool
    reason: str | None = None
    changed_by: str | None = None
    changed_at: datetime | None = None


class ErasureCounts(BaseModel):
    escalations: int = 0
    feedback: int = 0
    notes: int = 0
    attempts: int = 0
    events: int = 0
    questions: int = 0


__all__ = [
    "ATTEMPT_METHODS",
    "ATTEMPT_OUTCOMES",
    "AUDIT_ACTIONS",
    "ROLES",
    "AuditAction",
    "AuditEntry",
    "AuditFilters",
    "CaseDetail",
    "CaseEvent",
    "CaseNote",
    "ContactAttempt",
    "ContactAttemptMethod",
    "ContactAttemptOutcome",
    "DueAlert",
    "ErasureCounts",
    "Outcome",
    "QueueFilters",
    "Role",
    "ServiceState",
    "StaffSession",
    "StaffUser",
]
