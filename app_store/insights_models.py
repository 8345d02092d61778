"""What the editors' insights read from and hand to the app database (pydantic models).

A *turn* is one family message and the assistant's reply. Its *outcome* says what the assistant
did, in words editors use: answered, answered without confidence ('tentative'), not sure,
answered and signposted to SENDIASS, handed off, safety response, out of scope, a question back
('fallback'), or small talk.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from app_store.models import MAX_TEXT_CHARS
from vocabulary.audiences import Audience

QuestionOutcome = Literal[
    "answer",
    "tentative",
    "not_sure",
    "answer_and_signpost",
    "handoff",
    "safety",
    "out_of_scope",
    "fallback",
    "small_talk",
]
FeedbackReason = Literal["off_topic", "not_answered", "hard_to_understand", "out_of_date", "something_else"]
ExclusionReason = Literal["personal_data", "wrong", "other"]

QUESTION_OUTCOMES: tuple[str, ...] = get_args(QuestionOutcome)
FEEDBACK_REASONS: tuple[str, ...] = get_args(FeedbackReason)
EXCLUSION_REASONS: tuple[str, ...] = get_args(ExclusionReason)
# Outcomes where the pages did not answer with confidence: what content gaps are made of.
GAP_OUTCOMES: tuple[QuestionOutcome, ...] = ("tentative", "not_sure", "out_of_scope")
MAX_NOTE_CHARS = 500


class TurnIn(BaseModel):
    """One turn as the gateway logs it. ``question`` is redacted again by the store."""

    conversation_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,128}$")
    question: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    audience: Audience = "parent"
    outcome: QuestionOutcome
    kinds: list[str] = []
    page_url: str | None = Field(default=None, max_length=1000)
    page_title: str | None = Field(default=None, max_length=300)
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    # At risk only because the turn before was, naming no danger itself (safety.carried_quietly).
    risk_carried_quietly: bool = False
    # Set only by the seeding tool and tests (a month of conversations played in minutes).
    asked_at: datetime | None = None


class LoggedTurn(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    conversation_id: str
    asked_at: datetime
    question: str
    audience: Audience
    outcome: QuestionOutcome
    kinds: list[str]
    page_url: str | None
    page_title: str | None
    confidence: float | None
    helpful: bool | None
    feedback_reason: FeedbackReason | None
    feedback_at: datetime | None
    # At risk only because the turn before was, naming no danger itself (safety.carried_quietly).
    risk_carried_quietly: bool = False

    @property
    def is_gap(self) -> bool:
        """Asked but not answered with confidence, or marked unhelpful."""
        return self.outcome in GAP_OUTCOMES or self.helpful is False


class ContentExclusion(BaseModel):
    """A page left out of the knowledge base, and, once lifted, who lifted it and when."""

    model_config = ConfigDict(frozen=True)

    id: int
    url: str
    title: str
    reason: ExclusionReason
    note: str
    excluded_by: str
    excluded_at: datetime
    lifted_by: str | None
    lifted_at: datetime | None

    @property
    def active(self) -> bool:
        return self.lifted_at is None


__all__ = [
    "EXCLUSION_REASONS",
    "FEEDBACK_REASONS",
    "GAP_OUTCOMES",
    "QUESTION_OUTCOMES",
    "ContentExclusion",
    "ExclusionReason",
    "FeedbackReason",
    "LoggedTurn",
    "QuestionOutcome",
    "TurnIn",
]
