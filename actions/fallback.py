"""The two-stage fallback for messages the intent classifier could not place (nlu_fallback)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import answer, signpost_reason_of, what_the_pages_say
from actions.conversation import latest_text, question_of
from actions.glossary import define, glossary
from actions.messages import CLARIFY, CLARIFY_KIND, INTENT_TITLES, SOMETHING_ELSE, with_kind
from knowledge_base.answering import asks_for_a_person, too_vague

# Intents whose scores are closer than this are both offered as buttons (as the FallbackClassifier's
# ambiguity threshold in config.yml), when each is at least MIN_OFFERED.
AMBIGUITY = 0.05
MIN_OFFERED = 0.2


class ActionFallback(Action):
    """The classifier could not place the message: the pages first, then choices, then a question back.

    1. A SEND word typed alone ('DLA', 'Portage') gets its glossary definition.
    2. If the pages answer the message (confidently or probably), it is answered: no intent can
       stand between a family and an answer the pages hold.
    3. Otherwise, when the two closest intents are both things a person comes to do, both are
       offered as buttons, plus 'Something else' (which asks for other words). A button acts on the
       words the person typed (kept in last_query).
    4. A request for someone to act for the family gets SENDIASS (with any general answer).
    5. A message too short to search on ('help', 'is it for him') gets a question back.
    6. Anything else gets 'not sure', the closest pages and SENDIASS.
    """

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        entry = glossary().named(text) if text else None
        if entry is not None:
            return define(dispatcher, tracker, text, entry)
        question = text or question_of(tracker)
        found = what_the_pages_say(tracker, question) if question else None
        if found is not None and found.verdict != "not_sure":
            return answer(dispatcher, tracker, question, signpost_reason_of(tracker, question), found=found)
        if text and asks_for_a_person(text):
            # Someone to act for the family: SENDIASS, not a choice of intents.
            return answer(dispatcher, tracker, question, "personal_case", found=found)
        offered = close_intents(tracker.latest_message.get("intent_ranking") or [])
        if offered:
            buttons = [{"title": INTENT_TITLES[name], "payload": f"/{name}"} for name in offered]
            dispatcher.utter_message(
                text=CLARIFY, buttons=[*buttons, SOMETHING_ELSE], json_message=with_kind(CLARIFY_KIND)
            )
            # Kept so that a button can act on the words typed, not on the button's label.
            return [SlotSet("last_query", text)] if text else []
        if found is None or too_vague(question):
            dispatcher.utter_message(response="utter_ask_more", json_message=with_kind(CLARIFY_KIND))
            return []
        return answer(dispatcher, tracker, question, signpost_reason_of(tracker, question), found=found)


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
