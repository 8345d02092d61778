"""The two-stage fallback for messages the intent classifier could not place (nlu_fallback)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import answer
from actions.conversation import latest_text, question_of
from actions.glossary import define, glossary
from actions.messages import CLARIFY, INTENT_TITLES, SOMETHING_ELSE

# Intents whose scores are closer than this are both offered as buttons (as the FallbackClassifier's
# ambiguity threshold in config.yml), when each is at least MIN_OFFERED.
AMBIGUITY = 0.05
MIN_OFFERED = 0.2


class ActionFallback(Action):
    """Two-stage fallback: offer the two closest intents when they are near; otherwise try the pages.

    Stage one offers both intents as buttons plus 'Something else'. A button acts on the words the
    person typed (kept in last_query). 'Something else' asks for other words (utter_ask_rephrase),
    and a message that is still unclear lands here again. A bare SEND word gets its definition;
    anything else goes to the knowledge base, which answers if it is confident, or says so, shows
    the closest pages and offers SENDIASS.
    """

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        offered = close_intents(tracker.latest_message.get("intent_ranking") or [])
        if offered:
            buttons = [{"title": INTENT_TITLES[name], "payload": f"/{name}"} for name in offered]
            dispatcher.utter_message(text=CLARIFY, buttons=[*buttons, SOMETHING_ELSE])
            # Kept so that a button can act on the words typed, not on the button's label.
            return [SlotSet("last_query", text)] if text else []
        # A SEND word typed on its own ("DLA", "Portage") is rarely placed by the classifier, and the
        # pages seldom answer a bare word with confidence; its definition is what was wanted.
        entry = glossary().named(text) if text else None
        if entry is not None:
            return define(dispatcher, tracker, text, entry)
        return answer(dispatcher, tracker, text or question_of(tracker))


def close_intents(ranking: list[dict[str, Any]], offerable: Collection[str] = INTENT_TITLES.keys()) -> list[str]:
    """The two best intents when they are near each other and both worth offering, else none.

    Both must be things a person comes to do (INTENT_TITLES): a near tie with small talk or with
    a slot value ('inform') is better settled by searching the pages than by asking. (The
    dialogue benchmark passes another ``offerable`` to replay the fallback as it was before.)
    """
    ranked = [r for r in ranking if r.get("name") != "nlu_fallback"]
    if len(ranked) < 2:
        return []
    first, second = ranked[0], ranked[1]
    gap = float(first.get("confidence", 0)) - float(second.get("confidence", 0))
    names = [str(first.get("name")), str(second.get("name"))]
    # Strictly less than, as Rasa's FallbackClassifier compares.
    if gap < AMBIGUITY and float(second.get("confidence", 0)) >= MIN_OFFERED and all(n in offerable for n in names):
        return names
    return []
