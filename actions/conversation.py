"""What the actions read from a conversation: who is asking, what was said, which pages were linked."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker

from vocabulary.audiences import Audience as Asker


def asker_of(tracker: Tracker) -> Asker:
    """Who is asking: the widget says so with each message (Future Me pages send 'young_person')."""
    metadata = tracker.latest_message.get("metadata") or {}
    if metadata.get("audience") == "young_person" or tracker.get_slot("audience") == "young_person":
        return "young_person"
    return "parent"


def latest_text(tracker: Tracker) -> str:
    """The latest message's text; a button payload ('/intent{...}') counts as no text."""
    text = (tracker.latest_message.get("text") or "").strip()
    return "" if text.startswith("/") else text


def question_of(tracker: Tracker) -> str:
    """The question to search for: the latest text, or the last question when a button was pressed."""
    return latest_text(tracker) or (tracker.get_slot("last_query") or "")


def count(tracker: Tracker, slot: str) -> int:
    """A counter slot's value (stored as a float by Rasa)."""
    value = tracker.get_slot(slot)
    return int(value) if isinstance(value, int | float) else 0


def last_user_text(tracker: Tracker, intents: tuple[str, ...]) -> str:
    """The text of the most recent user message with one of these intents ('' when none)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            text = (event.get("text") or "").strip()
            if (event.get("parse_data") or {}).get("intent", {}).get("name") in intents and not text.startswith("/"):
                return text
    return ""


def transcript(tracker: Tracker, limit: int = 200) -> list[dict[str, Any]]:
    """The conversation's turns as the app database keeps them (texts were redacted by the gateway)."""
    turns: list[dict[str, Any]] = []
    for event in tracker.events:
        kind = event.get("event")
        text = (event.get("text") or "").strip()
        if kind not in ("user", "bot") or not text:
            continue
        when = event.get("timestamp")
        moment = datetime.fromtimestamp(when, UTC) if isinstance(when, int | float) else datetime.now(UTC)
        at = moment.isoformat()
        turns.append({"speaker": kind, "text": text, "at": at})
    return turns[-limit:]


def links_given(tracker: Tracker) -> list[dict[str, str]]:
    """Every page the bot linked in this conversation, once each, in order."""
    seen: dict[str, dict[str, str]] = {}
    for event in tracker.events:
        if event.get("event") != "bot":
            continue
        custom = (event.get("data") or {}).get("custom") or {}
        for source in custom.get("sources", []) if isinstance(custom, dict) else []:
            url = source.get("url")
            if url and url not in seen:
                seen[url] = {"title": str(source.get("title", "")), "url": str(url)}
    return list(seen.values())


_THANKS = r"(thanks|thank (you|u|ya)|thankyou|thx|thnx|thanx|ty|cheers|ta)"
_SIGNS_OFF_WITH_THANKS = re.compile(
    rf"\b{_THANKS}( (so|very) much| again| for (that|everything|your help|listening|your patience"
    r"|being (so )?(patient|helpful|kind)( with (me|us))?|the (help|info|information|advice)))?[\s.!x]*$",
    re.I,
)
# Praise for an answer: 'that's brilliant, I'd given up asking lol', 'this is so helpful'.
_PRAISE = re.compile(
    r"^\W*((oh|wow|ah|aw|lol|haha)\W+)?((that'?s|thats|that is|this is|it'?s|its)\s+)?((so|really|very|actually)\s+)?"
    r"(brilliant|great|amazing|perfect|lovely|fab|fantastic|helpful|useful|ace|brill|spot on|exactly what i needed)\b"
    # ... or for the assistant: 'youre a lifesaver honestly', 'lol youve been more use than anyone'.
    r"|^\W*((oh|wow|ah|aw|lol|haha)\W+)?(you'?re|youre|ur|you are|you'?ve been|youve been|you have been)\s+"
    r"((so|really|very|actually|honestly|literally)\s+)?(an? )?(absolute |real |total )?(lifesaver|life saver|star"
    r"|legend|gem|amazing|brilliant|helpful|more use|more help|better than|great|ace)\b",
    re.I,
)
# Thanks for what was given, anywhere in a message that asks nothing: 'Good morning. Thank you for the
# information on post-16 transport, very useful for our Year 11 team.'
_THANKS_FOR_IT = re.compile(
    rf"\b{_THANKS}( (so|very) much)? for (the|all the|your|this|that) (information|info|help|advice|answer|answers"
    r"|reply|replies|links?)\b",
    re.I,
)
# Saying what they will do now, with nothing asked: 'ok ill ring them now', 'thank you. ringing 111
# now', 'im on my friends phone, i'll call them now', 'ok ill tell my mum'.
_WILL_DO = re.compile(
    r"\b((i'?ll|ill|i will|i'?m going to|im going to|i'?m gonna|im gonna|we'?ll|we will|going to|gonna)\s+"
    r"(ring|call|phone|contact|email|text|tell|speak to|talk to|try|do that|have a look at|look at|read)"
    r"|(ringing|calling|phoning|texting) (them|him|her|\d+|the \w+|my \w+) (now|back))\b",
    re.I,
)
# A message saying what they will do is short; a longer one usually goes on to ask something.
WILL_DO_MAX_WORDS = 14
WILL_DO_AFTER_WORDS = 3
# ... and says no 'but': 'ill try that but the school wont listen' is not done with.
_GOES_ON = re.compile(r"\b(but|though|tho|however|except)\b", re.I)
_OPENS_WITH_THANKS = re.compile(
    rf"^\W*((ok(ay)?|oh|great|brilliant|brill|lovely|perfect|cool|ace|amazing|fab|right)\W+)*{_THANKS}\b", re.I
)
_ACKNOWLEDGEMENT = re.compile(
    r"^\W*(ok(ay)? )?(nice one|great|brilliant|brill|lovely|perfect|cool|ace|amazing|awesome|fab|super|got it|noted"
    r"|will do|that helps|that's helpful|thats helpful|very helpful|really helpful)[\s.!x]*$",
    re.I,
)
# Done for now: 'Great, that's all for now', 'thats everything'.
_DONE = re.compile(
    r"\b(that'?s|thats|that is) (all|everything|it)( for (now|today|the moment))?[\s.!x]*$",
    re.I,
)
# A word that starts a question or a request: 'thanks, and what about transport' asks something.
_ASKS = re.compile(
    r"\b(how|what|whats|when|where|who|why|which|can|could|do|does|is|are|will|would|should|help|need|want"
    r"|tell|about|and)\b",
    re.I,
)


def is_thanks_or_acknowledgement(text: str) -> bool:
    """Whether a message only thanks or acknowledges and asks nothing.

    'ok rang 111, they are coming. thank u', 'Thanks, I'll have a read of that', 'nice one': each
    gets a pleasantry back, not the off-topic reply or a question about what they need.
    """
    if "?" in text:
        return False
    if _ACKNOWLEDGEMENT.search(text) or _SIGNS_OFF_WITH_THANKS.search(text):
        return True
    if _PRAISE.search(text) and not _ASKS.search(_PRAISE.sub("", text)):
        return True
    if _THANKS_FOR_IT.search(text) and not _ASKS.search(_THANKS_FOR_IT.sub("", text)):
        return True
    will_do = _WILL_DO.search(text)
    if (
        will_do
        and len(text.split()) <= WILL_DO_MAX_WORDS
        # Who or when, and nothing more: 'i'll call them now', not 'i'll tell the school hes autistic'.
        and len(text[will_do.end() :].split()) <= WILL_DO_AFTER_WORDS
        and not _ASKS.search(_WILL_DO.sub("", text))
        and not _GOES_ON.search(text)
    ):
        return True
    if _DONE.search(text) and not _ASKS.search(_DONE.sub("", text)):
        return True
    return bool(_OPENS_WITH_THANKS.search(text)) and not _ASKS.search(_OPENS_WITH_THANKS.sub("", text))


# Sorry for the conversation itself, with nothing asked: 'sorry for asking so many questions',
# 'Sorry for ranting at you earlier, it's been a horrible week'. Sorry for anything else ('sorry, I
# meant college', 'sorry to hear that') is not this.
_APOLOGY = re.compile(
    r"^\W*((oh|ok|okay|and)\W+)?((so+|really|very)\s+)?(sorry|soz|apologies|i apologi[sz]e)\W+(for|about|if)\s+"
    r"(i |i'?m |im |i'?ve |ive |i was |i've been )?(all )?(the |my |these |this |so many |asking|ranting|going on"
    r"|rambling|waffling|waffle|moaning|venting|bothering|being|the long|such a long|typing|spelling|typos|questions"
    r"|the rant|rant|the essay|taking up|wasting|keeping you|all this|all that|the questions)",
    re.I,
)
# A question or request after the apology: 'sorry for all the questions, but what about transport'.
_ASKS_AFTER = re.compile(
    r"\?|\b(but|can|could|how|what|whats|when|where|who|why|which|do|does|is there|tell me)\b", re.I
)


def is_an_apology(text: str) -> bool:
    """Whether a message only says sorry for the conversation (for asking, ranting, going on) and asks nothing."""
    found = _APOLOGY.match(text)
    return found is not None and not _ASKS_AFTER.search(text[found.end() :])
