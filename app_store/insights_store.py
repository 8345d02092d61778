"""The app database's side of the editors' insights: the question log and content exclusions.

The question log is written by the gateway after every turn (one short INSERT) and updated when
the family says whether the answer helped. Its question text is redacted here again, like every
text the store keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from app_store.insights_models import (
    MAX_NOTE_CHARS,
    ContentExclusion,
    ExclusionReason,
    FeedbackReason,
    LoggedTurn,
    TurnIn,
)
from app_store.models import MAX_TEXT_CHARS
from app_store.tables import ContentExclusionRow, QuestionLogRow, utc_now
from app_store.text import redacted


class ExclusionRefused(ValueError):
    """The page is already excluded, or the exclusion is not there (or already lifted)."""


class InsightsStoreMixin:
    """Methods AppStore gets for the question log and content exclusions."""

    _public: frozenset[str]  # the helplines kept in redacted texts (AppStore's)

    def _session(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    # --- the question log ----------------------------------------------------------------------

    def log_turn(self, turn: TurnIn) -> int:
        """Store one turn (question redacted) and return its id."""
        checked = TurnIn.model_validate(turn.model_dump())
        row = QuestionLogRow(
            conversation_id=checked.conversation_id,
            asked_at=checked.asked_at or utc_now(),
            question=redacted(checked.question, MAX_TEXT_CHARS, self._public),
            audience=checked.audience,
            outcome=checked.outcome,
            kinds=list(checked.kinds),
            page_url=checked.page_url,
            page_title=checked.page_title,
            confidence=checked.confidence,
            risk_carried_quietly=checked.risk_carried_quietly,
        )
        with self._session() as session:
            session.add(row)
            session.flush()
            return row.id

    def record_turn_feedback(
        self, conversation_id: str, helpful: bool, reason: FeedbackReason | None = None
    ) -> int | None:
        """Mark the conversation's latest logged turn as helpful or not (and why); its id, or None."""
        with self._session() as session:
            latest = session.scalars(
                select(QuestionLogRow.id)
                .where(QuestionLogRow.conversation_id == conversation_id)
                .order_by(QuestionLogRow.asked_at.desc(), QuestionLogRow.id.desc())
                .limit(1)
            ).first()
            if latest is None:
                return None
            values: dict[str, Any] = {"helpful": helpful, "feedback_at": utc_now()}
            if reason is not None:
                values["feedback_reason"] = reason
            session.execute(update(QuestionLogRow).where(QuestionLogRow.id == latest).values(**values))
            return latest

    def turns_between(self, since: datetime, until: datetime | None = None) -> list[LoggedTurn]:
        """Logged turns asked in [since, until), oldest first."""
        query = select(QuestionLogRow).where(QuestionLogRow.asked_at >= since)
        if until is not None:
            query = query.where(QuestionLogRow.asked_at < until)
        query = query.order_by(QuestionLogRow.asked_at, QuestionLogRow.id)
        with self._session() as session:
            return [_turn(row) for row in session.scalars(query)]

    def turns_of(self, conversation_id: str) -> list[LoggedTurn]:
        """One conversation's logged turns, oldest first."""
        query = (
            select(QuestionLogRow)
            .where(QuestionLogRow.conversation_id == conversation_id)
            .order_by(QuestionLogRow.asked_at, QuestionLogRow.id)
        )
        with self._session() as session:
            return [_turn(row) for row in session.scalars(query)]

    def last_turn_of(self, conversation_id: str) -> LoggedTurn | None:
        """One conversation's most recent logged turn."""
        query = (
            select(QuestionLogRow)
            .where(QuestionLogRow.conversation_id == conversation_id)
            .order_by(QuestionLogRow.asked_at.desc(), QuestionLogRow.id.desc())
            .limit(1)
        )
        with self._session() as session:
            row = session.scalars(query).first()
            return None if row is None else _turn(row)

    def backdate_conversation(self, conversation_id: str, start: datetime, step: timedelta) -> int:
        """Give a conversation's turns the times start, start + step, ... (the seeding tool's clock).

        Feedback on a turn moves with it, so a week's counts stay in that week.
        """
        with self._session() as session:
            rows = list(
                session.scalars(
                    select(QuestionLogRow)
                    .where(QuestionLogRow.conversation_id == conversation_id)
                    .order_by(QuestionLogRow.asked_at, QuestionLogRow.id)
                )
            )
            for index, row in enumerate(rows):
                row.asked_at = start + step * index
                if row.feedback_at is not None:
                    row.feedback_at = row.asked_at
            return len(rows)

    def question_vectors(self, ids: Iterable[int]) -> dict[int, bytes]:
        """The cached sentence vectors of these turns (those that have one)."""
        wanted = list(ids)
        found: dict[int, bytes] = {}
        with self._session() as session:
            for start in range(0, len(wanted), 500):
                query = select(QuestionLogRow.id, QuestionLogRow.embedding).where(
                    QuestionLogRow.id.in_(wanted[start : start + 500]), QuestionLogRow.embedding.is_not(None)
                )
                for turn_id, vector in session.execute(query):
                    if vector is not None:
                        found[turn_id] = vector
        return found

    def save_question_vectors(self, vectors: dict[int, bytes]) -> None:
        with self._session() as session:
            for turn_id, vector in vectors.items():
                session.execute(update(QuestionLogRow).where(QuestionLogRow.id == turn_id).values(embedding=vector))

    def purge_question_log(self, before: datetime) -> int:
        with self._session() as session:
            result = session.execute(delete(QuestionLogRow).where(QuestionLogRow.asked_at < before))
            return int(cast(CursorResult[Any], result).rowcount)

    # --- content exclusions --------------------------------------------------------------------

    def exclude_page(self, url: str, title: str, reason: ExclusionReason, note: str, actor: str) -> ContentExclusion:
        """Leave a page out of the next build. Refused when it is already excluded."""
        url = url.strip()
        if not url.startswith(("http://", "https://")) or len(url) > 1000:
            raise ExclusionRefused("Give the page's full address, starting with https://.")
        with self._session() as session:
            existing = session.scalars(
                select(ContentExclusionRow).where(
                    ContentExclusionRow.url == url, ContentExclusionRow.lifted_at.is_(None)
                )
            ).first()
            if existing is not None:
                raise ExclusionRefused("That page is already excluded.")
            row = ContentExclusionRow(
                url=url,
                title=title.strip()[:300],
                reason=reason,
                note=redacted(note.strip(), MAX_NOTE_CHARS, self._public),
                excluded_by=actor[:64],
                excluded_at=utc_now(),
            )
            session.add(row)
            session.flush()
            return _exclusion(row)

    def lift_exclusion(self, exclusion_id: int, actor: str) -> ContentExclusion:
        """Put the page back at the next build. The row stays, with who lifted it and when."""
        with self._session() as session:
            result = session.execute(
                update(ContentExclusionRow)
                .where(ContentExclusionRow.id == exclusion_id, ContentExclusionRow.lifted_at.is_(None))
                .values(lifted_by=actor[:64], lifted_at=utc_now())
            )
            if int(cast(CursorResult[Any], result).rowcount) == 0:
                raise ExclusionRefused("That exclusion does not exist or was lifted already.")
            row = session.get(ContentExclusionRow, exclusion_id)
            assert row is not None
            return _exclusion(row)

    def list_exclusions(self, active_only: bool = False) -> list[ContentExclusion]:
        """Exclusions, newest first."""
        query = select(ContentExclusionRow)
        if active_only:
            query = query.where(ContentExclusionRow.lifted_at.is_(None))
        query = query.order_by(ContentExclusionRow.excluded_at.desc(), ContentExclusionRow.id.desc())
        with self._session() as session:
            return [_exclusion(row) for row in session.scalars(query)]

    def excluded_urls(self) -> frozenset[str]:
        """The addresses of the pages the next build must leave out."""
        with self._session() as session:
            return frozenset(
                session.scalars(select(ContentExclusionRow.url).where(ContentExclusionRow.lifted_at.is_(None)))
            )


def _turn(row: QuestionLogRow) -> LoggedTurn:
    return LoggedTurn.model_validate(row, from_attributes=True)


def _exclusion(row: ContentExclusionRow) -> ContentExclusion:
    return ContentExclusion.model_validate(row, from_attributes=True)
