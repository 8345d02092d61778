"""A 'yes' while SENDIASS is on offer: consent only when it says nothing else.

Rasa's classifier reads 'OK, and transport in that case?' as a yes, and the offer to pass the
conversation on is still open. Taking that as consent would start the contact form and leave the
question unanswered. So the rules run ``action_read_consent`` on every yes during an offer, and
start the contact form only when it sets ``consent_given`` (bot/data/rules/handoff.yml); any other
message is answered as the question it is.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer import answer, signpost_reason_of
from actions.conversation import latest_text

# Words a clear yes is made of ('yes please, pass it on', 'ok go ahead thanks', 'yes i'd like
# someone to call me'). Any other word asks or says something more.
_CONSENT_TEXT = (
    "yes yeah yea yep yup ye y ok okay k sure please pls plz go ahead fine alright right great good lovely "
    "brilliant perfect cheers thanks thank you ta that that's thats would be it them on pass send do so "
    "definitely of course i i'd id like want to happy agree consent can could you me us we a person someone "
    "sendiass contact get in touch call ring phone email put with they go then"
)
_CONSENT_WORDS = frozenset(_CONSENT_TEXT.split())
_WORD = re.compile(r"[a-z']+|\d+")


def is_clear_consent(text: str) -> bool:
    """Whether a message read as 'yes' only says yes (a button press, which has no text, always does)."""
    return all(word in _CONSENT_WORDS for word in _WORD.findall(text.lower().replace("\u2019", "'")))


class ActionReadConsent(Action):
    """Consent when the yes says nothing else; otherwise answer the message as a question."""

    def name(self) -> str:
        return "action_read_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        if is_clear_consent(text):
            return [SlotSet("consent_given", True)]
        # A new question leaves the offer unanswered: answer() withdraws it (handoff_offered false)
        # unless the answer makes a new one.
        return [SlotSet("consent_given", False), *answer(dispatcher, tracker, text, signpost_reason_of(tracker, text))]
