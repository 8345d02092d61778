"""The staff console's side of the app database: accounts, sessions, casework, audit, alerts,
the off switch and deletion. AppStore inherits these methods (app_store/store.py).

Every change to an escalation writes a history row (case_events) in the same transaction, so the
case page's history cannot disagree with the case. Writes are single UPDATEs with their condition
in the WHERE clause where two people may act at once ('take next', claiming an alert), so the
database, not a read-then-write, decides who wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app_store.models import OUTCOMES, STATUSES, Escalation, Outcome, Status
from app_store.staff_models import (
    ATTEMPT_METHODS,
    ATTEMPT_OUTCOMES,
    AUDIT_ACTIONS,
    MAX_NOTE_CHARS,
    MAX_REASON_CHARS,
    ROLES,
    AuditEntry,
    AuditFilters,
    CaseDetail,
    CaseEvent,
    CaseNote,
    ContactAttempt,
    DueAlert,
    ErasureCounts,
    QueueFilters,
    ServiceState,
    StaffSession,
    StaffUser,
)
from app_store.tables import (
    AuditRow,
    CaseEventRow,
    CaseNoteRow,
    ContactAttemptRow,
    EscalationRow,
    FeedbackRow,
    QuestionLogRow,
    ServiceStateRow,
    StaffSessionRow,
    StaffUserRow,
    utc_now,
)

SYSTEM = "system"


class StaffUserExists(ValueError):
    """An account with this username already exists."""


class CaseChangeRefused(ValueError):
    """The change does not fit the case as it stands (for example closing without an outcome)."""


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


class StaffStoreMixin:
    """Methods AppStore gets for the staff console."""

    def _session(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def _escalation_model(self, row: EscalationRow) -> Escalation:
        raise NotImplementedError

    # --- accounts ------------------------------------------------------------------------------

    def create_staff_user(self, username: str, display_name: str, role: str, password_hash: str) -> StaffUser:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
        now = utc_now()
        row = StaffUserRow(
            username=username,
            display_name=display_name,
            role=role,
            password_hash=password_hash,
            disabled=False,
            failed_sign_ins=0,
            created_at=now,
            updated_at=now,
        )
        try:
            with self._session() as session:
                session.add(row)
                session.flush()
                return _user(row)
        except IntegrityError:
            raise StaffUserExists(f"there is already an account called {username!r}") from None

    def get_staff_user(self, user_id: int) -> StaffUser | None:
        with self._session() as session:
            row = session.get(StaffUserRow, user_id)
            return None if row is None else _user(row)

    def find_staff_user(self, username: str) -> StaffUser | None:
        with self._session() as session:
            row = session.scalars(select(StaffUserRow).where(StaffUserRow.username == username)).first()
            return None if row is None else _user(row)

    def list_staff_users(self) -> list[StaffUser]:
        with self._session() as session:
            return [_user(row) for row in session.scalars(select(StaffUserRow).order_by(StaffUserRow.username))]

    def _update_user(self, user_id: int, **values: Any) -> None:
        statement = update(StaffUserRow).where(StaffUserRow.id == user_id).values(updated_at=utc_now(), **values)
        with self._session() as session:
            if _rowcount(session.execute(statement)) == 0:
                raise LookupError(f"no staff account with id {user_id}")

    def reset_staff_user(self, user_id: int, password_hash: str) -> None:
        """New password, unlocked, authenticator removed (set up again at the next sign-in), signed out."""
        self._update_user(
            user_id,
            password_hash=password_hash,
            totp_secret_encrypted=None,
            totp_last_step=None,
            failed_sign_ins=0,
            locked_until=None,
        )
        self.end_sessions_of(user_id)

    def set_staff_disabled(self, user_id: int, disabled: bool) -> None:
        self._update_user(user_id, disabled=disabled)
        if disabled:
            self.end_sessions_of(user_id)

    def set_staff_totp(self, user_id: int, encrypted_secret: str | None, accepted_step: int | None = None) -> None:
        """A new authenticator secret; ``accepted_step`` is the step of the code that confirmed it (used up)."""
        self._update_user(user_id, totp_secret_encrypted=encrypted_secret, totp_last_step=accepted_step)

    def accept_totp_step(self, user_id: int, step: int) -> bool:
        """Use up an authenticator code's time step. False if this step, or a later one, was used already.

        One conditional UPDATE, so of two sign-ins racing with the same code only one wins.
        """
        statement = (
            update(StaffUserRow)
            .where(
                StaffUserRow.id == user_id,
                or_(StaffUserRow.totp_last_step.is_(None), StaffUserRow.totp_last_step < step),
            )
            .values(totp_last_step=step)
        )
        with self._session() as session:
            return _rowcount(session.execute(statement)) == 1

    def set_staff_password_hash(self, user_id: int, password_hash: str) -> None:
        """A rehash on sign-in when the argon2 parameters changed."""
        self._update_user(user_id, password_hash=password_hash)

    def record_failed_sign_in(self, user_id: int, lock_after: int, lock_for: timedelta) -> bool:
        """Count a failed sign-in; lock the account when there have been ``lock_after`` in a row. True if locked."""
        now = utc_now()
        with self._session() as session:
            session.execute(
                update(StaffUserRow)
                .where(StaffUserRow.id == user_id)
                .values(failed_sign_ins=StaffUserRow.failed_sign_ins + 1, updated_at=now)
            )
            row = session.get(StaffUserRow, user_id)
            if row is None:
                return False
            session.refresh(row)
            if row.failed_sign_ins >= lock_after:
                row.locked_until = now + lock_for
                row.failed_sign_ins = 0
                return True
            return False

    def record_sign_in(self, user_id: int) -> None:
        now = utc_now()
        self._update_user(user_id, failed_sign_ins=0, locked_until=None, last_sign_in_at=now)

    # --- sessions ------------------------------------------------------------------------------

    def create_staff_session(
        self,
        session_id: str,
        user_id: int,
        csrf_token: str,
        ip: str,
        fully_signed_in: bool = True,
        pending_totp_encrypted: str | None = None,
    ) -> None:
        now = utc_now()
        with self._session() as session:
            session.add(
                StaffSessionRow(
                    id=session_id,
                    user_id=user_id,
                    csrf_token=csrf_token,
                    created_at=now,
                    last_seen_at=now,
                    ip=ip[:64],
                    fully_signed_in=fully_signed_in,
                    pending_totp_encrypted=pending_totp_encrypted,
                )
            )

    def get_staff_session(self, session_id: str) -> StaffSession | None:
        with self._session() as session:
            row = session.get(StaffSessionRow, session_id)
            return None if row is None else _staff_session(row)

    def touch_staff_session(self, session_id: str) -> None:
        with self._session() as session:
            session.execute(
                update(StaffSessionRow).where(StaffSessionRow.id == session_id).values(last_seen_at=utc_now())
            )

    def complete_staff_session(self, session_id: str) -> None:
        with self._session() as session:
            session.execute(
                update(StaffSessionRow)
                .where(StaffSessionRow.id == session_id)
                .values(fully_signed_in=True, pending_totp_encrypted=None, last_seen_at=utc_now())
            )

    def end_staff_session(self, session_id: str) -> None:
        with self._session() as session:
            session.execute(delete(StaffSessionRow).where(StaffSessionRow.id == session_id))

    def end_sessions_of(self, user_id: int) -> None:
        with self._session() as session:
            session.execute(delete(StaffSessionRow).where(StaffSessionRow.user_id == user_id))

    # --- audit ---------------------------------------------------------------------------------

    def audit(
        self, actor: str, action: str, target: str | None = None, detail: str = "", ip: str | None = None
    ) -> None:
        """Append to the audit log. There is no method to change an entry, and the database refuses UPDATEs."""
        if action not in AUDIT_ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        with self._session() as session:
            session.add(
                AuditRow(
                    at=utc_now(),
                    actor=actor[:64],
                    action=action,
                    target=None if target is None else target[:64],
                    detail=detail[:500],
                    ip=None if ip is None else ip[:64],
                )
            )

    def list_audit(self, filters: AuditFilters | None = None) -> list[AuditEntry]:
        """Audit entries, newest first."""
        filters = filters or AuditFilters()
        query = select(AuditRow)
        if filters.actor:
            query = query.where(AuditRow.actor == filters.actor)
        if filters.action:
            query = query.where(AuditRow.action == filters.action)
        if filters.target:
            query = query.where(AuditRow.target == filters.target)
        if filters.since is not None:
            query = query.where(AuditRow.at >= filters.since)
        if filters.until is not None:
            query = query.where(AuditRow.at < filters.until)
        query = query.order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(filters.limit)
        with self._session() as session:
            return [AuditEntry.model_validate(row, from_attributes=True) for row in session.scalars(query)]

    # --- the queue and cases -------------------------------------------------------------------

    def list_queue(self, filters: QueueFilters | None = None) -> list[Escalation]:
        """Escalations for the queue: urgent first, then oldest first."""
        filters = filters or QueueFilters()
        query = select(EscalationRow)
        if filters.status == "open":
            query = query.where(EscalationRow.status != "closed")
        elif filters.status is not None:
            query = query.where(EscalationRow.status == filters.status)
        if filters.reason is not None:
            query = query.where(EscalationRow.reason == filters.reason)
        if filters.urgent is not None:
            query = query.where(EscalationRow.urgent.is_(filters.urgent))
        if filters.audience is not None:
            query = query.where(EscalationRow.audience == filters.audience)
        if filters.created_from is not None:
            query = query.where(EscalationRow.created_at >= filters.created_from)
        if filters.created_to is not None:
            query = query.where(EscalationRow.created_at < filters.created_to)
        if filters.unassigned:
            query = query.where(EscalationRow.assignee_id.is_(None))
        elif filters.assignee_id is not None:
            query = query.where(EscalationRow.assignee_id == filters.assignee_id)
        query = query.order_by(
            EscalationRow.urgent.desc(), EscalationRow.created_at.asc(), EscalationRow.id.asc()
        ).limit(filters.limit)
        with self._session() as session:
            return [self._escalation_model(row) for row in session.scalars(query)]

    def take_next(self, user_id: int) -> Escalation | None:
        """Assign the next unassigned new escalation (urgent first, then oldest) to ``user_id``."""
        for _attempt in range(5):
            with self._session() as session:
                candidate = session.scalars(
                    select(EscalationRow.id)
                    .where(EscalationRow.status == "new", EscalationRow.assignee_id.is_(None))
                    .order_by(EscalationRow.urgent.desc(), EscalationRow.created_at.asc(), EscalationRow.id.asc())
                    .limit(1)
                ).first()
                if candidate is None:
                    return None
                now = utc_now()
                taken = session.execute(
                    update(EscalationRow)
                    .where(
                        EscalationRow.id == candidate,
                        EscalationRow.status == "new",
                        EscalationRow.assignee_id.is_(None),
                    )
                    .values(assignee_id=user_id, status="assigned", updated_at=now)
                )
                if _rowcount(taken) == 1:
                    session.add(
                        CaseEventRow(
                            escalation_id=candidate, actor_id=user_id, at=now, action="assigned", detail="took it"
                        )
                    )
                    row = session.get(EscalationRow, candidate)
                    assert row is not None
                    session.refresh(row)
                    return self._escalation_model(row)
            # Someone else took that one in between: try the next.
        return None

    def assign(self, escalation_id: int, assignee_id: int | None, actor_id: int) -> None:
        with self._session() as session:
            row = _case_row(session, escalation_id)
            if assignee_id is not None and session.get(StaffUserRow, assignee_id) is None:
                raise CaseChangeRefused("no such staff account")
            row.assignee_id = assignee_id
            if assignee_id is not None and row.status == "new":
                row.status = "assigned"
            row.updated_at = utc_now()
            name = "nobody" if assignee_id is None else _name(session, assignee_id)
            session.add(_event(escalation_id, actor_id, "assigned", f"assigned to {name}"))

    def set_case_status(
        self, escalation_id: int, status: Status, actor_id: int, outcome: Outcome | None = None
    ) -> None:
        """Move a case along; closing needs an outcome, and reopening clears it."""
        if status not in STATUSES:
            raise CaseChangeRefused(f"unknown status {status!r}")
        if status == "closed" and outcome not in OUTCOMES:
            raise CaseChangeRefused("closing a case needs an outcome")
        now = utc_now()
        with self._session() as session:
            row = _case_row(session, escalation_id)
            before = row.status
            row.status = status
            row.updated_at = now
            if status == "closed":
                row.outcome = outcome
                row.closed_at = now
                if row.first_response_at is None:
                    row.first_response_at = now
                detail = f"closed: {outcome}"
            else:
                row.outcome = None
                row.closed_at = None
                detail = f"{before} -> {status}"
            session.add(_event(escalation_id, actor_id, "status", detail))

    def add_note(self, escalation_id: int, author_id: int, text: str) -> None:
        text = text.strip()
        if not text:
            raise CaseChangeRefused("a note cannot be empty")
        now = utc_now()
        with self._session() as session:
            row = _case_row(session, escalation_id)
            row.updated_at = now
            session.add(
                CaseNoteRow(
                    escalation_id=escalation_id, author_id=author_id, text=text[:MAX_NOTE_CHARS], created_at=now
                )
            )
            session.add(_event(escalation_id, author_id, "note", "added a note"))

    def add_contact_attempt(
        self, escalation_id: int, author_id: int, attempted_at: datetime, method: str, outcome: str
    ) -> None:
        """Record a try at reaching the family; the first one ends the time waiting."""
        if method not in ATTEMPT_METHODS or outcome not in ATTEMPT_OUTCOMES:
            raise CaseChangeRefused("unknown contact method or outcome")
        now = utc_now()
        with self._session() as session:
            row = _case_row(session, escalation_id)
            row.updated_at = now
            if row.first_response_at is None:
                row.first_response_at = min(attempted_at, now)
            if row.status in ("new", "assigned"):
                row.status = "contacted"
            if row.assignee_id is None:
                row.assignee_id = author_id
            session.add(
                ContactAttemptRow(
                    escalation_id=escalation_id,
                    author_id=author_id,
                    attempted_at=attempted_at,
                    method=method,
                    outcome=outcome,
                    created_at=now,
                )
            )
            session.add(_event(escalation_id, author_id, "contact_attempt", f"{method}: {outcome}"))

    def get_case(self, escalation_id: int) -> CaseDetail | None:
        with self._session() as session:
            row = session.get(EscalationRow, escalation_id)
            if row is None:
                return None
            names = {user.id: user.display_name for user in session.scalars(select(StaffUserRow))}

            def who(user_id: int | None) -> str:
                return SYSTEM if user_id is None else names.get(user_id, f"account {user_id}")

            notes = session.scalars(
                select(CaseNoteRow).where(CaseNoteRow.escalation_id == escalation_id).order_by(CaseNoteRow.id)
            )
            attempts = session.scalars(
                select(ContactAttemptRow)
                .where(ContactAttemptRow.escalation_id == escalation_id)
                .order_by(ContactAttemptRow.attempted_at, ContactAttemptRow.id)
            )
            events = session.scalars(
                select(CaseEventRow).where(CaseEventRow.escalation_id == escalation_id).order_by(CaseEventRow.id)
            )
            return CaseDetail(
                escalation=self._escalation_model(row),
                assignee=None if row.assignee_id is None else who(row.assignee_id),
                notes=[CaseNote(id=n.id, author=who(n.author_id), text=n.text, created_at=n.created_at) for n in notes],
                attempts=[
                    ContactAttempt.model_validate(
                        {
                            "id": a.id,
                            "author": who(a.author_id),
                            "attempted_at": a.attempted_at,
                            "method": a.method,
                            "outcome": a.outcome,
                            "created_at": a.created_at,
                        }
                    )
                    for a in attempts
                ],
                events=[
                    CaseEvent(id=e.id, actor=who(e.actor_id), at=e.at, action=e.action, detail=e.detail) for e in events
                ],
                alert_state=row.alert_state,
                alert_attempts=row.alert_attempts,
                alert_last_error=row.alert_last_error,
                alert_sent_at=row.alert_sent_at,
            )

    def escalations_created_since(self, since: datetime) -> list[Escalation]:
        """Every escalation created at or after ``since`` (for the weekly report)."""
        query = select(EscalationRow).where(EscalationRow.created_at >= since).order_by(EscalationRow.created_at)
        with self._session() as session:
            return [self._escalation_model(row) for row in session.scalars(query)]

    # --- urgent alerts (an outbox the gateway polls) -------------------------------------------

    def due_alerts(self, now: datetime | None = None, limit: int = 20) -> list[DueAlert]:
        now = now or utc_now()
        query = (
            select(EscalationRow)
            .where(
                EscalationRow.alert_state.in_(("pending", "failed")),
                or_(EscalationRow.alert_next_try_at.is_(None), EscalationRow.alert_next_try_at <= now),
                or_(EscalationRow.alert_claimed_until.is_(None), EscalationRow.alert_claimed_until <= now),
            )
            .order_by(EscalationRow.created_at)
            .limit(limit)
        )
        with self._session() as session:
            return [
                DueAlert.model_validate(
                    {
                        "escalation_id": row.id,
                        "reason": row.reason,
                        "safety_categories": row.safety_categories,
                        "created_at": row.created_at,
                        "attempts": row.alert_attempts,
                    }
                )
                for row in session.scalars(query)
            ]

    def claim_alert(self, escalation_id: int, hold: timedelta) -> bool:
        """Claim an alert for sending, so two gateways do not both send it. True if this caller has it."""
        now = utc_now()
        statement = (
            update(EscalationRow)
            .where(
                EscalationRow.id == escalation_id,
                EscalationRow.alert_state.in_(("pending", "failed")),
                or_(EscalationRow.alert_claimed_until.is_(None), EscalationRow.alert_claimed_until <= now),
            )
            .values(alert_claimed_until=now + hold)
        )
        with self._session() as session:
            return _rowcount(session.execute(statement)) == 1

    def alert_sent(self, escalation_id: int) -> None:
        with self._session() as session:
            _end_alert_attempt(
                session, escalation_id, alert_state="sent", alert_sent_at=utc_now(), alert_last_error=None
            )
            session.add(_event(escalation_id, None, "alert", "duty inbox alert sent"))

    def alert_failed(self, escalation_id: int, error: str, retry_at: datetime) -> None:
        with self._session() as session:
            _end_alert_attempt(
                session, escalation_id, alert_state="failed", alert_last_error=error[:300], alert_next_try_at=retry_at
            )

    def retry_alert_now(self, escalation_id: int, actor_id: int) -> None:
        with self._session() as session:
            row = _case_row(session, escalation_id)
            if row.alert_state not in ("failed", "pending"):
                raise CaseChangeRefused("this case has no alert waiting to be sent")
            row.alert_next_try_at = None
            session.add(_event(escalation_id, actor_id, "alert", "asked to send the alert again now"))

    def failed_alert_count(self) -> int:
        with self._session() as session:
            return int(session.scalar(select(func.count()).where(EscalationRow.alert_state == "failed")) or 0)

    # --- the off switch ------------------------------------------------------------------------

    def service_state(self) -> ServiceState:
        with self._session() as session:
            row = session.get(ServiceStateRow, 1)
            if row is None:
                return ServiceState(paused=False)
            return ServiceState(
                paused=row.paused, reason=row.reason, changed_by=row.changed_by, changed_at=row.changed_at
            )

    def set_service_state(self, paused: bool, reason: str | None, changed_by: str) -> None:
        if paused and not (reason and reason.strip()):
            raise ValueError("pausing the assistant needs a reason")
        with self._session() as session:
            row = session.get(ServiceStateRow, 1)
            if row is None:
                row = ServiceStateRow(id=1)
                session.add(row)
            row.paused = paused
            row.reason = reason.strip()[:MAX_REASON_CHARS] if reason else None
            row.changed_by = changed_by[:64]
            row.changed_at = utc_now()

    # --- deletion ------------------------------------------------------------------------------

    def _delete_escalations(self, session: Session, ids: Sequence[int]) -> ErasureCounts:
        counts = ErasureCounts()
        if not ids:
            return counts
        counts.notes = _rowcount(session.execute(delete(CaseNoteRow).where(CaseNoteRow.escalation_id.in_(ids))))
        counts.attempts = _rowcount(
            session.execute(delete(ContactAttemptRow).where(ContactAttemptRow.escalation_id.in_(ids)))
        )
        counts.events = _rowcount(session.execute(delete(CaseEventRow).where(CaseEventRow.escalation_id.in_(ids))))
        counts.escalations = _rowcount(session.execute(delete(EscalationRow).where(EscalationRow.id.in_(ids))))
        return counts

    def erase_escalation(self, escalation_id: int) -> tuple[str | None, ErasureCounts]:
        """Delete an escalation, any other escalation from the same conversation (it holds the same
        transcript), everything staff recorded on them, and the conversation's feedback.

        Returns the conversation id (so the caller can delete Rasa's tracker too) and the counts.
        """
        with self._session() as session:
            row = session.get(EscalationRow, escalation_id)
            if row is None:
                return None, ErasureCounts()
            conversation_id = row.conversation_id
            ids = list(
                session.scalars(select(EscalationRow.id).where(EscalationRow.conversation_id == conversation_id))
            )
            counts = self._delete_escalations(session, ids)
            counts.feedback = _rowcount(
                session.execute(delete(FeedbackRow).where(FeedbackRow.conversation_id == conversation_id))
            )
            counts.questions = _rowcount(
                session.execute(delete(QuestionLogRow).where(QuestionLogRow.conversation_id == conversation_id))
            )
            return conversation_id, counts

    def purge_closed_escalations(self, closed_before: datetime) -> int:
        with self._session() as session:
            ids = list(
                session.scalars(
                    select(EscalationRow.id).where(
                        EscalationRow.status == "closed", EscalationRow.closed_at < closed_before
                    )
                )
            )
            return self._delete_escalations(session, ids).escalations

    def purge_audit(self, before: datetime) -> int:
        with self._session() as session:
            return _rowcount(session.execute(delete(AuditRow).where(AuditRow.at < before)))

    def purge_feedback(self, before: datetime) -> int:
        with self._session() as session:
            return _rowcount(session.execute(delete(FeedbackRow).where(FeedbackRow.created_at < before)))

    def purge_idle_sessions(self, seen_before: datetime) -> int:
        with self._session() as session:
            return _rowcount(session.execute(delete(StaffSessionRow).where(StaffSessionRow.last_seen_at < seen_before)))


def _case_row(session: Session, escalation_id: int) -> EscalationRow:
    from app_store.store import EscalationNotFound

    row = session.get(EscalationRow, escalation_id)
    if row is None:
        raise EscalationNotFound(f"no escalation with id {escalation_id}")
    return row


def _name(session: Session, user_id: int) -> str:
    row = session.get(StaffUserRow, user_id)
    return f"account {user_id}" if row is None else row.display_name


def _end_alert_attempt(session: Session, escalation_id: int, **outcome: Any) -> None:
    """Count one more try at the alert and release its claim, recording how the try ended."""
    session.execute(
        update(EscalationRow)
        .where(EscalationRow.id == escalation_id)
        .values(alert_attempts=EscalationRow.alert_attempts + 1, alert_claimed_until=None, **outcome)
    )


def _event(escalation_id: int, actor_id: int | None, action: str, detail: str) -> CaseEventRow:
    return CaseEventRow(
        escalation_id=escalation_id, actor_id=actor_id, at=utc_now(), action=action, detail=detail[:300]
    )


def _user(row: StaffUserRow) -> StaffUser:
    return StaffUser.model_validate(row, from_attributes=True)


def _staff_session(row: StaffSessionRow) -> StaffSession:
    return StaffSession.model_validate(row, from_attributes=True)


__all__ = ["SYSTEM", "CaseChangeRefused", "StaffStoreMixin", "StaffUserExists"]
