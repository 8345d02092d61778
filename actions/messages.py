"""What the actions say, and the shapes they say it in, so every action speaks the same way.

Sentences the bot writes itself are short and plain (reading age 9-11). Young people on the Future
Me pages are spoken to directly ('you'); parents about 'your child'. Contacts come from settings.
"""

from __future__ import annotations

from typing import Any

from ingestion.models import ServiceRecord
from knowledge_base.models import SearchHit
from settings import Settings
from vocabulary.audiences import Audience as Asker

SENDIASS_BUTTON = {"title": "Talk to SENDIASS", "payload": "/request_human"}
HELPED_BUTTONS = [
    {"title": "That helped", "payload": "/answer_helped"},
    {"title": "That didn't help", "payload": "/answer_not_helpful"},
]
SERVICE_BUTTONS = [
    {"title": "Show more", "payload": "/show_more"},
    {"title": "Change area", "payload": "/change_area"},
]
CONSENT_BUTTONS = [
    {"title": "Yes, pass it on", "payload": "/affirm"},
    {"title": "No, thanks", "payload": "/deny"},
]

EMPTY = "Please type your question about SEND support and I'll look for the right page."

# What each message is, for the gateway's reply and whoever reads it (the widget, the answer
# benchmark, the editors' insights). One word per message, set with its custom payload.
Kind = str
ANSWER, TENTATIVE, NOT_SURE, SERVICES, DEFINITION = "answer", "tentative", "not_sure", "services", "definition"
HANDOFF, CONSENT, CLARIFY_KIND, OUT_OF_SCOPE, SMALL_TALK = "handoff", "consent", "clarify", "out_of_scope", "small_talk"
KB_DOWN = "Sorry, I can't look that up right now. You can talk to SENDIASS instead. They give free advice about SEND."


def not_sure(asker: Asker) -> str:
    if asker == "young_person":
        return (
            "I'm not sure I have a good answer to that. These pages might help you. "
            "You can also talk to SENDIASS. They help young people too."
        )
    return "I'm not sure I have a good answer to that. These pages might help. You can also talk to SENDIASS."


# Said before quoting a page that probably, but not certainly, answers the question.
TENTATIVE_INTRO = "I think this page answers your question, but I'm not certain. This is what it says:"
# ... and before quoting the two pages that most probably answer it.
TENTATIVE_INTRO_TWO_PAGES = (
    "I think one of these pages answers your question, but I'm not certain. This is what they say:"
)


def signpost(settings: Settings, asker: Asker, reason: str) -> str:
    """Offered after the general answer when the message also asks about one family's own case."""
    whose = "your own situation" if asker == "young_person" else "your child's own situation"
    opener = {
        "complaint": "SENDIASS can help you make a complaint, challenge a decision or sort out a disagreement.",
    }.get(reason, f"For advice about {whose}, you can talk to SENDIASS.")
    return (
        f"{opener} SENDIASS gives free, impartial advice about SEND. "
        "Impartial means they are not on the side of the school or the council. "
        f"Call them on {settings.sendiass_phone}.\n"
        "Would you like me to pass this conversation to them? I remove names, phone numbers and addresses first."
    )


def with_kind(kind: Kind, hits: list[SearchHit] | None = None, confidence: float | None = None) -> dict[str, Any]:
    """The custom payload of one message: what it is, the pages it cites, and how sure the search was.

    The gateway writes the confidence into the question log for Local Offer editors; the widget ignores it.
    """
    payload: dict[str, Any] = {"kind": kind, **sources_payload(hits or [])}
    if confidence is not None:
        payload["confidence"] = round(float(confidence), 4)
    return payload


NOT_HELPFUL_MARK: dict[str, Any] = {"feedback": "not_helpful"}
"""Sent last by the 'that didn't help' action, typed or pressed: the gateway then asks why."""


def source_of(hit: SearchHit) -> dict[str, Any]:
    """A citation the widget renders as a link with its last-updated date."""
    return {"title": hit.title, "url": hit.url, "last_updated": hit.last_updated}


def sources_payload(hits: list[SearchHit]) -> dict[str, Any]:
    """The custom payload that carries citations; the gateway folds it into the text before it."""
    seen: set[str] = set()
    sources = []
    for hit in hits:
        if hit.doc_url not in seen:
            seen.add(hit.doc_url)
            sources.append(source_of(hit))
    return {"sources": sources}


def sendiass_message(settings: Settings, asker: Asker = "parent") -> str:
    """Plain words about SENDIASS and how to reach them; only configured contacts are named."""
    who = "you" if asker == "young_person" else "families"
    lines = [
        f"{settings.sendiass_name} can help. They give free information, advice and support about SEND to {who}. "
        "They are impartial. This means they are not on the side of the school or the council.",
        f"Call them on {settings.sendiass_phone}.",
    ]
    if settings.sendiass_email:
        lines.append(f"Or email {settings.sendiass_email}.")
    if settings.sendiass_hours:
        lines.append(f"They are open {settings.sendiass_hours}.")
    lines.append("If anyone is in danger right now, call 999.")
    return "\n".join(lines)


HANDOFF_OPENERS = {
    "personal_case": (
        "I couldn't find this on the Local Offer pages. SENDIASS can look at your child's situation with you."
    ),
    "complaint": "I couldn't find this on the Local Offer pages. SENDIASS can explain how to complain and help you.",
    "not_helpful": "Sorry, I haven't been able to help. A person at SENDIASS may be able to.",
    "not_confident": "I'm not finding good answers to your questions. A person at SENDIASS may be able to help.",
    "request_human": "You can talk to a person at SENDIASS.",
}
YOUNG_HANDOFF_OPENERS = {
    "personal_case": "I couldn't find this on the Local Offer pages. SENDIASS can look at your situation with you.",
}


def handoff_opener(reason: str, asker: Asker) -> str:
    if asker == "young_person" and reason in YOUNG_HANDOFF_OPENERS:
        return YOUNG_HANDOFF_OPENERS[reason]
    return HANDOFF_OPENERS.get(reason, HANDOFF_OPENERS["request_human"])


CONSENT_QUESTION = (
    "Would you like me to pass this conversation to SENDIASS? Then they can read what you asked. "
    "I remove names, phone numbers and addresses first."
)


def escalation_done(reference: str, settings: Settings, contact: str | None) -> str:
    lines = [
        "Thank you. I have passed this conversation to SENDIASS.",
        f"Your reference is {reference}. Call {settings.sendiass_phone} and give them the reference, "
        "so they can find what you asked.",
    ]
    if contact:
        lines.append(f"I have noted that you prefer {contact}.")
    lines.append("You can keep asking me questions here.")
    return "\n".join(lines)


def declined(settings: Settings) -> str:
    return (
        "That's fine. I have not passed anything on.\n"
        f"You can still call SENDIASS on {settings.sendiass_phone} at any time. What else would you like to know?"
    )


# A service card's lines after the name and what it offers: each line the fields it shows, in
# order, with how each is written; a line with none of its fields is left out.
_CARD_LINES: tuple[tuple[tuple[str, str], ...], ...] = (
    (("age_range", "Ages: {}."), ("area_served", "Area: {}."), ("cost", "Cost: {}.")),
    (("referral", "How to get it: {}."),),
    (("phone", "Phone: {}."), ("website", "Website: {}")),
)


def service_card(hit: SearchHit) -> str:
    """One service as a short card: name, what it offers, ages, area, cost, how to get it, contacts."""
    record = hit.service or ServiceRecord(name=hit.title)
    lines = [record.name]
    offer = _first_sentence(record.description)
    if offer:
        lines.append(offer)
    for group in _CARD_LINES:
        parts = [template.format(value) for template, value in ((t, getattr(record, f)) for f, t in group) if value]
        if parts:
            lines.append(" ".join(parts))
    return "\n".join(line.replace("..", ".") for line in lines)


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end == -1 else text[: end + 1]


# What the fallback may offer when two intents score close together: only things a person comes
# to do. Small talk ("Just chatting", "Say hello") would be a strange choice to be offered.
INTENT_TITLES = {
    "ask_question": "Ask a question about SEND",
    "find_service": "Find a service near me",
    "define_term": "Explain a word",
    "request_human": "Talk to SENDIASS",
    "personal_case": "Get advice about my situation",
    "complaint": "Make a complaint",
    "feedback": "Give feedback about this chat",
}
# The second stage: none of the choices fits, so the bot asks for the question in other words.
SOMETHING_ELSE = {"title": "Something else", "payload": "/rephrase"}
CLARIFY = "Sorry, I'm not sure what you mean. Did you want to:"
