"""Answer a question from the knowledge base with its source, or say honestly that we are not sure.

Also the follow-ups that stay on an answer: 'tell me more' and 'that didn't help'.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import asker_of, count, question_of
from actions.handoff import offer_handoff
from actions.knowledge import knowledge_base
from actions.messages import (
    EMPTY,
    HELPED_BUTTONS,
    KB_DOWN,
    SENDIASS_BUTTON,
    not_sure,
    sources_payload,
)
from knowledge_base.excerpt import best_excerpt
from knowledge_base.search import KnowledgeBaseError

log = logging.getLogger(__name__)


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
