"""Hand the family over to SENDIASS: contacts at once, consent before anything is passed on.

The escalation keeps what staff need to pick the conversation up (reason, transcript, the pages the
bot linked, a contact preference) and nothing that identifies the family: the gateway redacted every
message before Rasa saw it, and the app database redacts again. The family gets a reference to
quote when they call, so SENDIASS can find the conversation without us storing their details.
"""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer import answer, what_the_pages_say
from actions.conversation import asker_of, latest_text, links_given, transcript
from actions.messages import (
    declined,
    escalation_done,
)
from actions.offer import offer_handoff
from actions.startup import app_store, server_settings
from app_store import EscalationIn, Link, TranscriptTurn
from app_store.outbox import Outbox
from knowledge_base.answering import names_a_person, too_vague
from settings import Settings

log = logging.getLogger(__name__)

REASONS = ("request_human", "personal_case", "complaint", "not_helpful", "not_confident")
TIMES = {
    "morning": "in the morning",
    "afternoon": "in the afternoon",
    "evening": "in the evening",
    "any": "at any time",
}


class ActionOfferHandoff(Action):
    """Someone wants a person, advice on their own case, or to complain."""

    def name(self) -> str:
        return "action_offer_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        reason = intent if intent in REASONS else "request_human"
        text = latest_text(tracker)
        if text and not text.startswith("/") and not names_a_person(text) and not too_vague(text):
            # Rasa read a request for a person, but the words ask a question ('can I bring someone
            # with me', 'who pays for it', 'what does SENDIASS do'): when the pages answer it, the
            # answer comes first with SENDIASS beside it; when they do not, SENDIASS is offered, never
            # the off-topic reply.
            found = what_the_pages_say(tracker, text)
            if found is not None and found.verdict != "not_sure":
                return answer(dispatcher, tracker, text, reason, found=found)
            if found is not None and found.related:
                return offer_handoff(dispatcher, tracker, reason, found.closest[:3])
        return offer_handoff(dispatcher, tracker, reason)


_CONTACT_METHODS = (
    ("email", re.compile(r"\b(e-?mail|emails?)\b", re.I)),
    ("phone", re.compile(r"\b(phone|call|ring|text|mobile)\b", re.I)),
    ("none", re.compile(r"\b(no|none|neither|nope)\b", re.I)),
)


def contact_method_in(text: str) -> str | None:
    """The way of getting in touch a reply names, by whole words ('gathering' does not say 'ring')."""
    return next((method for method, words in _CONTACT_METHODS if words.search(text)), None)


class ValidateHandoffContactForm(FormValidationAction):
    """How SENDIASS should get back in touch, if at all: phone or email, and a good time.

    Only the preference is kept. The phone number or email address itself is never asked for.
    """

    def name(self) -> str:
        return "validate_handoff_contact_form"

    async def extract_contact_method(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "contact_method":
            return {}
        method = contact_method_in(latest_text(tracker))
        return {"contact_method": method} if method else {}

    def validate_contact_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        method = str(value).lower() if value else ""
        if method in ("phone", "email"):
            return {"contact_method": method}
        if method in ("none", "no", "no thanks"):
            # Nothing more to ask: the time only matters for a reply.
            return {"contact_method": "none", "contact_time": "not needed"}
        dispatcher.utter_message(text="Please choose phone, email, or no thanks.")
        return {"contact_method": None}

    async def extract_contact_time(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "contact_time":
            return {}
        text = latest_text(tracker).lower()
        for key in TIMES:
            if key in text:
                return {"contact_time": key}
        if "anytime" in text or "whenever" in text or "don't mind" in text:
            return {"contact_time": "any"}
        return {}

    def validate_contact_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        time = str(value).lower().strip() if value else ""
        for key in TIMES:
            if key in time:
                return {"contact_time": key}
        if time == "not needed":
            return {"contact_time": time}
        dispatcher.utter_message(text="Please choose morning, afternoon, or any time.")
        return {"contact_time": None}


class ActionCreateEscalation(Action):
    """The family said yes: store the escalation for SENDIASS staff and give a reference."""

    def name(self) -> str:
        return "action_create_escalation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        settings = server_settings()
        reason = tracker.get_slot("handoff_reason")
        method = tracker.get_slot("contact_method")
        time = tracker.get_slot("contact_time")
        escalation = EscalationIn(
            conversation_id=tracker.sender_id,
            reason=reason if reason in REASONS else "request_human",
            urgent=False,
            transcript=[TranscriptTurn(**turn) for turn in transcript(tracker)],
            links_given=[Link(**link) for link in links_given(tracker)],
            contact_method=method if method in ("phone", "email", "none") else None,
            contact_time=time if time in TIMES else None,
            audience=asker_of(tracker),
            safety_categories=[],
        )
        outbox = Outbox(settings.outbox_dir)
        # On local disk first, so that nothing the family agreed to pass on is lost whatever the
        # database (or this process) does next; the gateway replays what is left there.
        try:
            waiting: Path | None = await asyncio.to_thread(outbox.put, escalation)
        except OSError:
            log.exception("conversation %s: escalation could not be written to the outbox", tracker.sender_id)
            waiting = None
        try:
            # A worker thread: the database may wait seconds for a lock, and the action server's
            # health check (and every other family) must not wait with it.
            if waiting is not None:
                stored = await asyncio.to_thread(outbox.deliver, app_store(), waiting)
            else:
                stored = await asyncio.to_thread(app_store().create_escalation, escalation)
        except Exception:  # the family must still get a way forward; staff get the reason in the log
            if waiting is None:
                log.exception("conversation %s: escalation LOST (database and outbox both failed)", tracker.sender_id)
                dispatcher.utter_message(
                    text=f"Sorry, I couldn't pass this on just now. Please call SENDIASS on {settings.sendiass_phone}."
                )
                return _reset()
            # The outbox has logged that it keeps the escalation (from its worker thread, so the line
            # is written even when this request is cancelled).
            stored = None
        if stored is None:
            dispatcher.utter_message(text=escalation_saved(settings))
            return _reset()
        contact = None
        if method in ("phone", "email") and time in TIMES:
            contact = f"{'a phone call' if method == 'phone' else 'email'} {TIMES[time]}"
        dispatcher.utter_message(text=escalation_done(f"SEND-{stored.id}", settings, contact))
        return _reset()


class ActionHandoffDeclined(Action):
    """The family said no: nothing is passed on; the contacts stay on screen."""

    def name(self) -> str:
        return "action_handoff_declined"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=declined(server_settings()))
        return _reset()


def escalation_saved(settings: Settings) -> str:
    """The family said yes but the database is down: it is saved, with no reference to give yet."""
    return (
        "Thank you. I have saved this for SENDIASS. They will see it soon.\n"
        f"I can't give you a reference number just now. If you want to talk to someone, call SENDIASS on "
        f"{settings.sendiass_phone}.\n"
        "You can keep asking me questions here."
    )


def _reset() -> list[dict[str, Any]]:
    return [
        SlotSet("handoff_offered", False),
        SlotSet("consent_given", False),
        SlotSet("not_confident_count", 0.0),
        SlotSet("unhelpful_count", 0.0),
        SlotSet("contact_method", None),
        SlotSet("contact_time", None),
    ]
