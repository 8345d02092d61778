"""Request and reply models of the gateway's HTTP API (see docs/contracts.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

Audience = Literal["parent", "young_person"]


class ChatRequest(BaseModel):
    sender_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$", description="A random id per browser tab.")
    message: str = Field(min_length=1, max_length=1000)
    audience: Audience = "parent"

    @field_validator("message")
    @classmethod
    def not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("The message is empty.")
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


class ChatReply(BaseModel):
    messages: list[ChatMessage]


class WidgetConfig(BaseModel):
    demo_data: bool
    sendiass_phone: str


class ComponentHealth(BaseModel):
    ok: bool
    detail: str


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    rasa: ComponentHealth
    action_server: ComponentHealth
    knowledge_base: ComponentHealth
