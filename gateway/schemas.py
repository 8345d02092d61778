"""Request and reply models of the gateway's HTTP API (see docs/contracts.md)."""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr, field_validator

from vocabulary.audiences import Audience


class ChatRequest(BaseModel):
    sender_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$", description="A random id per browser tab.")
    # The length limit is the deployment's (Settings.max_message_chars): the chat endpoint checks it.
    message: str = Field(min_length=1)
    audience: Audience = "parent"

    @field_validator("message")
    @classmethod
    def not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("The message is empty.")
        if any(unicodedata.category(char) in ("Cc", "Cs", "Co") and char not in "\n\r\t" for char in value):
            # Control characters and unpaired surrogates: binary data, not something a person typed.
            raise ValueError("The message holds characters that are not text.")
        return value


class Button(BaseModel):
    title: str
    payload: str


class Source(BaseModel):
    title: str
    url: str
    last_updated: str | None = None


class ChatMessage(BaseModel):
    text: str = ""
    buttons: list[Button] = []
    sources: list[Source] = []
    kind: str | None = Field(
        default=None,
        description=(
            "What the message is: answer, tentative, not_sure, services, definition, handoff, consent, "
            "clarify, out_of_scope, small_talk, safety, language, feedback (none for other replies)."
        ),
    )
    # For the question log only, never sent to the widget: how sure the search was, and whether
    # the dialogue read this turn as 'that didn't help'.
    _confidence: float | None = PrivateAttr(default=None)
    _not_helpful: bool = PrivateAttr(default=False)


class ChatReply(BaseModel):
    messages: list[ChatMessage]


class WidgetConfig(BaseModel):
    demo_data: bool
    sendiass_phone: str
    # The longest message the chat takes, so the widget counts down to the gateway's own limit.
    max_message_chars: int
    # SENDIASS staff can pause the assistant (staff console); the widget then shows this notice.
    paused: bool = False
    paused_notice: str | None = None


class ComponentHealth(BaseModel):
    ok: bool
    detail: str


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    # The parts that are not ok, by name (rasa, action_server, knowledge_base, app_database).
    down: list[str] = Field(default_factory=list)
    rasa: ComponentHealth
    action_server: ComponentHealth
    knowledge_base: ComponentHealth
    app_database: ComponentHealth
    # True while SENDIASS staff have paused the assistant (the staff console's off switch).
    paused: bool = False


class ServiceOut(BaseModel):
    """A directory record as the search API shows it."""

    name: str
    description: str = ""
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    area_served: str | None = None
    age_range: str | None = None
    min_age: float | None = None
    max_age: float | None = None
    cost: str | None = None
    referral: str | None = None
    needs: list[str] = []
    last_updated: str | None = None


class SearchHitOut(BaseModel):
    title: str
    url: str = Field(description="The page address, with a text-fragment anchor to the section")
    section: str
    last_updated: str | None
    page_type: str
    audience: str
    score: float = Field(description="Cosine similarity of the passage to the question")
    text: str
    service: ServiceOut | None = None


class SearchReply(BaseModel):
    query: str
    confident: bool = Field(description="Whether the assistant would answer from the first hit")
    confidence: float = Field(description="Estimated probability that the first hit's page answers the question")
    filters: dict[str, object] = Field(description="The filters applied (given, or read from the question)")
    understood: dict[str, object] | None = Field(description="What was read from the question's words")
    hits: list[SearchHitOut]
