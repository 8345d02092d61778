"""Answer a question from the knowledge base with its source, or say honestly that we are not sure.

Also the follow-ups that stay on an answer: 'tell me more', 'that didn't help', and the two-stage
fallback for messages the NLU could not place.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import asker_of, count, latest_text, question_of
from actions.handoff import offer_handoff
from actions.knowledge import knowledge_base
from actions.messages import (
    CLARIFY,
    EMPTY,
    HELPED_BUTTONS,
    INTENT_TITLES,
    KB_DOWN,
    SENDIASS_BUTTON,
    SOMETHING_ELSE,
    not_sure,
    sources_payload,
)
from knowledge_base.excerpt import best_excerpt
from knowledge_base.search import KnowledgeBaseError

log = logging.getLogger(__name__)

# Intents whose scores are closer than this are both offered as buttons (as the FallbackClassifier's
# ambiguity threshold in config.yml), when each is at least MIN_OFFERED.
AMBIGUITY = 0.05
MIN_OFFERED = 0.2


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, question: str) -> list[dict[str, Any]]:
    """Search, then quote the best page with its link and date, or offer the closest pages."""
    if not question:
        dispatcher.utter_message(text=EMPTY)
        return []
    asker = asker_of(tracker)
    try:
        kb = knowledge_base()
        vector = kb.embed(question)
        result = kb.search_vector(question, vector, k=3, asker=asker)
    except KnowledgeBaseError:
        # The family still gets a way forward; the operator gets the reason in the log.
        log.exception("knowledge base unavailable")
        dispatcher.utter_message(text=KB_DOWN, buttons=[SENDIASS_BUTTON])
        return []
    # A new question means an earlier offer to pass the conversation on was left unanswered: a
    # later 'yes' must not count as consent to it.
    events: list[dict[str, Any]] = [
        SlotSet("handoff_offered", False),
        SlotSet("last_query", question),
        SlotSet("last_kind", "answer"),
    ]
    if not result.confident:
        misses = count(tracker, "not_confident_count") + 1
        dispatcher.utter_message(
            text=not_sure(asker), buttons=[SENDIASS_BUTTON], json_message=sources_payload(result.hits)
        )
        events.append(SlotSet("not_confident_count", float(misses)))
        if misses >= 2:
            events += offer_handoff(dispatcher, tracker, "not_confident")
        return events
    # Quote from the best page only; its passages that score near its best compete for the sentences.
    excerpt = best_excerpt(kb, vector, kb.page_passages(vector, result.hits[0].doc_url))
    dispatcher.utter_message(text=excerpt.text, buttons=HELPED_BUTTONS, json_message=sources_payload([excerpt.hit]))
    return [
        *events,
        SlotSet("last_page_url", excerpt.hit.doc_url),
        SlotSet("not_confident_count", 0.0),
        # How many more passages 'tell me more' has shown from this page (shared with the
        # service finder's paging: only one of them is current at a time, per last_kind).
        SlotSet("services_offset", 0.0),
    ]


class ActionAnswerQuestion(Action):
    """Search the Local Offer pages and quote the best passage with its link and date."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return answer(dispatcher, tracker, question_of(tracker))


class ActionFallback(Action):
    """Two-stage fallback: offer the two closest intents when they are near; otherwise try the pages.

    Stage one offers both intents as buttons plus 'Something else'. A button acts on the words the
    person typed (kept in last_query). 'Something else' asks for other words (utter_ask_rephrase),
    and a message that is still unclear lands here again and goes to the knowledge base, which
    answers if it is confident, or says so, shows the closest pages and offers SENDIASS.
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
        return answer(dispatcher, tracker, text or question_of(tracker))


def close_intents(ranking: list[dict[str, Any]]) -> list[str]:
    """The two best intents when they are near each other and both worth offering, else none.

    Both must be things a person comes to do (INTENT_TITLES): a near tie with small talk or with
    a slot value ('inform') is better settled by searching the pages than by asking.
    """
    ranked = [r for r in ranking if r.get("name") != "nlu_fallback"]
    if len(ranked) < 2:
        return []
    first, second = ranked[0], ranked[1]
    gap = float(first.get("confidence", 0)) - float(second.get("confidence", 0))
    names = [str(first.get("name")), str(second.get("name"))]
    # Strictly less than, as Rasa's FallbackClassifier compares.
    if gap < AMBIGUITY and float(second.get("confidence", 0)) >= MIN_OFFERED and all(n in INTENT_TITLES for n in names):
        return names
    return []


class ActionTellMeMore(Action):
    """More from the page the last answer came from."""

    def name(self) -> str:
        return "action_tell_me_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return tell_me_more(dispatcher, tracker)


def tell_me_more(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The next passage of the last answer's page, or an invitation to ask when there is none."""
    page, question = tracker.get_slot("last_page_url"), tracker.get_slot("last_query")
    if not page or not question:
        dispatcher.utter_message(text="What would you like to know more about? Please type your question.")
        return []
    try:
        kb = knowledge_base()
        vector = kb.embed(question)
        passages = kb.page_passages(vector, page, k=6, within=1.0)
    except KnowledgeBaseError:
        log.exception("knowledge base unavailable")
        dispatcher.utter_message(text=KB_DOWN, buttons=[SENDIASS_BUTTON])
        return []
    # After an answer, its first passage and 'shown' more were quoted; after a definition, none of the page was.
    shown = int(count(tracker, "services_offset")) if tracker.get_slot("last_kind") == "answer" else -1
    rest = passages[1 + shown :]
    if not rest:
        dispatcher.utter_message(
            text="That is all this page says about it. The link has the whole page.",
            json_message=sources_payload(passages[:1]),
        )
        return []
    excerpt = best_excerpt(kb, vector, rest[:1])
    dispatcher.utter_message(text=excerpt.text, buttons=HELPED_BUTTONS, json_message=sources_payload([excerpt.hit]))
    return [SlotSet("services_offset", float(shown + 1)), SlotSet("last_kind", "answer")]


class ActionAnswerNotHelpful(Action):
    """The last answer did not help: offer the next closest pages; twice in a row, offer SENDIASS."""

    def name(self) -> str:
        return "action_answer_not_helpful"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        misses = count(tracker, "unhelpful_count") + 1
        events: list[dict[str, Any]] = [SlotSet("unhelpful_count", float(misses))]
        if misses >= 2:
            return events + offer_handoff(dispatcher, tracker, "not_helpful")
        question = tracker.get_slot("last_query") or ""
        hits = []
        if question:
            try:
                hits = knowledge_base().search(question, k=6, asker=asker_of(tracker)).hits
            except KnowledgeBaseError:
                log.exception("knowledge base unavailable")
        others = [h for h in hits if h.doc_url != tracker.get_slot("last_page_url")][:3]
        text = "Sorry that didn't help. You could try asking in a different way."
        if others:
            text = "Sorry that didn't help. These pages might have what you need."
        dispatcher.utter_message(text=text, buttons=[SENDIASS_BUTTON], json_message=sources_payload(others))
        return events
