"""A month of synthetic conversations, played through a running assistant, for the editors' pages.

Most families ask what the Local Offer answers (EHC needs assessments, transport, short breaks,
reviews). Two subjects are planted that the demo snapshot has no page about: going to the dentist
(dental care for children with SEND) and eye tests and glasses. Families who asked about them, and
a few who found an answer hard to follow, press 'That didn't help' and say why, as real families
would. The seeding tool sends every message to the gateway's /api/chat like the widget does, then
spreads each conversation's logged turns over the last 30 days (the log is the only thing moved).
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

import httpx

from app_store import AppStore

NOT_HELPFUL: Final = "/answer_not_helpful"
# Replies that are a content gap already: the family has nothing to mark unhelpful.
GAP_KINDS: Final = frozenset({"tentative", "not_sure", "out_of_scope"})
STRIDE: Final = 7


@dataclass(frozen=True)
class Script:
    """One family's conversation: what they type, and what they say about the answer."""

    subject: str  # 'dental', 'eyes' (planted) or 'answered'
    question: str
    if_answered: str | None = None  # the reason given for 'That didn't help' when the reply was not a gap already


DENTAL: Final = (
    "is there a dentist in gloucestershire for children with autism",
    "my son is autistic and will not let the dentist look at his teeth, who can help",
    "where can my disabled daughter get dental treatment",
    "special needs dentist near cheltenham",
    "my child needs a general anaesthetic to have teeth out, how does that work with his sensory needs",
    "can a dentist come to our house, my son cannot cope with the surgery",
    "what dental care is there for children with learning disabilities",
    "our dentist says he cannot treat my child with SEND, where do we go now",
    "how do i find a community dental service for a child with special needs",
    "my teenager with ADHD is scared of the dentist, is there a special dental clinic",
)
EYES: Final = (
    "where can my autistic son have an eye test",
    "my daughter has a learning disability, who can check her eyesight",
    "is there an optician that understands special needs",
    "my child will not wear his glasses because of sensory issues, who can help",
    "do children with SEND get free glasses",
    "how do i get my non-verbal child's eyes tested",
)
ANSWERED: Final = (
    ("How do I ask for an EHC needs assessment?", None),
    ("how long does an ehc needs assessment take", None),
    ("what happens at an annual review", None),
    ("can my child get free transport to school", None),
    ("what are short breaks", None),
    ("what is SEN support", None),
    ("how do i appeal to the send tribunal", None),
    ("what is a personal budget", "hard_to_understand"),
    ("what is the graduated pathway", "hard_to_understand"),
    ("how do I ask for an EHC needs assessment for my 6 year old", None),
    ("what help is there for travel to college at 16", None),
    ("the council refused to assess my son, what can I do", None),
    ("what is a SENCO", None),
    ("what is an EHC plan", None),
    ("can i get a carers assessment", None),
)


def scripts() -> list[Script]:
    """The month's conversations, in the order they are played (fixed: the seed is reproducible)."""
    found = [Script("dental", q, if_answered="off_topic") for q in DENTAL]
    found += [Script("eyes", q, if_answered="not_answered") for q in EYES]
    found += [Script("answered", q, if_answered=reason) for q, reason in ANSWERED]
    found += [Script("answered", q, if_answered=None) for q, _ in ANSWERED[:8]]  # asked again later in the month
    # Mix the subjects the way they would arrive: a fixed interleaving (a stride coprime to the
    # count visits every script once), so the seed is the same every time.
    assert math.gcd(STRIDE, len(found)) == 1
    return [found[(i * STRIDE) % len(found)] for i in range(len(found))]


@dataclass
class Played:
    conversation_id: str
    script: Script
    kinds: list[str]


def _post(client: httpx.Client, sender: str, message: str) -> list[dict[str, Any]]:
    for _ in range(30):
        response = client.post("/api/chat", json={"sender_id": sender, "message": message})
        if response.status_code == 429:
            # The gateway's rate limit: wait as long as it asks, like a patient family.
            time.sleep(float(response.headers.get("Retry-After", "5")))
            continue
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages
    raise RuntimeError("the gateway kept refusing messages (rate limit)")


def play(gateway_url: str, plan: list[Script], on_played: Callable[[Played], None] | None = None) -> Iterator[Played]:
    """Send each script to the gateway as a new conversation; yields what was played."""
    with httpx.Client(base_url=gateway_url, timeout=120) as client:
        for number, script in enumerate(plan):
            sender = f"seed-{number:03d}-{uuid.uuid4().hex[:12]}"
            reply = _post(client, sender, script.question)
            kinds = [m.get("kind") or "" for m in reply]
            if script.if_answered and not GAP_KINDS & set(kinds):
                _post(client, sender, NOT_HELPFUL)
                _post(client, sender, f"/feedback_reason:{script.if_answered}")
            played = Played(sender, script, kinds)
            if on_played:
                on_played(played)
            yield played


def spread_over_month(store: AppStore, played: list[Played], now: datetime, days: int = 30) -> None:
    """Move each conversation's logged turns to a time in the last ``days`` days, evenly spread."""
    if not played:
        return
    step = timedelta(days=days) / len(played)
    start = now - timedelta(days=days)
    for number, conversation in enumerate(played):
        store.backdate_conversation(conversation.conversation_id, start + step * number, timedelta(seconds=20))


def seed_month(gateway_url: str, store: AppStore, now: datetime) -> list[Played]:
    """Play the month through the gateway and spread it over the last 30 days."""
    played = list(play(gateway_url, scripts()))
    spread_over_month(store, played, now)
    return played
