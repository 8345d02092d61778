"""The app database's boundary: what callers hand in and what they get back.

Limits trim rather than fail: an escalation is a family asking for help, and losing it because a
message was long would be worse than keeping a shortened copy. Values that name a choice (reason,
status, contact method, audience) and the conversation id must be exact, or validation fails.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from app_store.text import fit
from vocabulary.audiences import Audience

Reason = Literal["request_human", "personal_case", "complaint", "not_helpful", "not_confident", "safety"]
# 'waiting' is 'waiting for the family'. Migration 0002 moved the old 'in_progress' to 'assigned'.
Status = Literal["new", "assigned", "contacted", "waiting", "closed"]
# How a case was closed; the console asks for one of these.
Outcome = Literal["information_given", "signposted", "advice_session_booked", "no_contact_possible", "other"]
ContactMethod = Literal["phone", "email", "none"]
Speaker = Literal["user", "bot"]

REASONS: tuple[str, ...] = get_args(Reason)
STATUSES: tuple[str, ...] = get_args(Status)
OUTCOMES: tuple[str, ...] = get_args(Outcome)

MAX_TRANSCRIPT_TURNS = 200
MAX_TEXT_CHARS = 2000
MAX_CONTACT_TIME_CHARS = 100
MAX_LINKS = 50
MAX_LINK_TITLE_CHARS = 300
MAX_URL_CHARS = 2000
MAX_SAFETY_CATEGORIES = 20
MAX_CATEGORY_CHARS = 64
CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,128}$"

ConversationId = Annotated[str, Field(pattern=CONVERSATION_ID_PATTERN)]


def _fit_text(text: str) -> str:
    return fit(text, MAX_TEXT_CHARS)


def _link_title(title: str) -> str:
    return title.strip()[:MAX_LINK_TITLE_CHARS]


def _iso_timestamp(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an ISO 8601 timestamp: {value[:40]!r}") from None
    return value


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a timestamp must say its time zone")
    return value.astimezone(UTC)


def _keep_last(value: Any, count: int) -> Any:
    """The last ``count`` items of a list; anything else is left for pydantic to judge."""
    if isinstance(value, list) and len(value) > count:
        return value[-count:]
    return value


class TranscriptTurn(BaseModel):
    """One message of the conversation, by the family ('user') or the assistant ('bot')."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    speaker: Speaker
    text: Annotated[str, AfterValidator(_fit_text)]
    at: Annotated[str, AfterValidator(_iso_timestamp)]


class Link(BaseModel):
    """A page the assistant gave the family."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Annotated[str, AfterValidator(_link_title)]
    # Only web addresses: staff open these links from the console, so 'javascript:' must never get in.
    url: str = Field(pattern=r"^https?://\S+$", max_length=MAX_URL_CHARS)


class EscalationIn(BaseModel):
    """A conversation passed to SENDIASS with the family's consent (or at once, for safety)."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: ConversationId
    reason: Reason
    urgent: bool = False
    transcript: list[TranscriptTurn] = Field(default_factory=list)
    links_given: list[Link] = Field(default_factory=list)
    contact_method: ContactMethod | None = None
    contact_time: str | None = None
    audience: Audience = "parent"
    safety_categories: list[str] = Field(default_factory=list)

    @field_validator("transcript", mode="before")
    @classmethod
    def _latest_turns(cls, value: Any) -> Any:
        # The turns just before the handoff are the ones staff need.
        return _keep_last(value, MAX_TRANSCRIPT_TURNS)

    @field_validator("links_given", mode="before")
    @classmethod
    def _latest_links(cls, value: Any) -> Any:
        return _keep_last(value, MAX_LINKS)

    @field_validator("contact_time")
    @classmethod
    def _short_contact_time(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return fit(value.strip(), MAX_CONTACT_TIME_CHARS)

    @field_validator("safety_categories")
    @classmethod
    def _tidy_categories(cls, value: list[str]) -> list[str]:
        tidy = [category.strip()[:MAX_CATEGORY_CHARS] for category in value if category.strip()]
        return list(dict.fromkeys(tidy))[:MAX_SAFETY_CATEGORIES]


class Escalation(EscalationIn):
    """A stored escalation: what was handed in (after redaction), its id, when, and where it stands."""

    id: int
    created_at: Annotated[datetime, AfterValidator(_utc)]
    updated_at: Annotated[datetime, AfterValidator(_utc)]
    status: Status
    assignee_id: int | None = None
    outcome: Outcome | None = None
    closed_at: Annotated[datetime, AfterValidator(_utc)] | None = None
    first_response_at: Annotated[datetime, AfterValidator(_utc)] | None = None

    @property
    def reference(self) -> str:
        """What the family was told to quote ('SEND-12')."""
        return f"SEND-{self.id}"


class FeedbackIn(BaseModel):
    """Feedback about the assistant from one conversation."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: ConversationId
    text: Annotated[str, AfterValidator(_fit_text)] = ""
    helpful: bool | None = None


class Feedback(FeedbackIn):
    """Stored feedback (text redacted), with its id and when it was given."""

    id: int
    created_at: Annotated[datetime, AfterValidator(_utc)]
