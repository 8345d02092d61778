"""Answer a question from the knowledge base, with its source; or say honestly that we are not sure."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import knowledge_base
from actions.messages import SENDIASS_BUTTON, sources_payload
from knowledge_base.excerpt import best_excerpt
from knowledge_base.search import Asker, KnowledgeBaseError

NOT_SURE = "I'm not sure I have a good answer to that. These pages might help. You can also talk to SENDIASS."
KB_DOWN = "Sorry, I can't look that up right now. You can talk to SENDIASS instead. They give free advice about SEND."
log = logging.getLogger(__name__)

EMPTY = "Please type your question about SEND support and I'll look for the right page."


def asker_of(tracker: Tracker) -> Asker:
    """Who is asking, as the widget said with the message (Future Me pages send 'young_person')."""
    metadata = tracker.latest_message.get("metadata") or {}
    return "young_person" if metadata.get("audience") == "young_person" else "parent"


class ActionAnswerQuestion(Action):
    """Search the Local Offer pages and quote the best passage with its link and date."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = (tracker.latest_message.get("text") or "").strip()
        if not question or question.startswith("/"):
            dispatcher.utter_message(text=EMPTY)
            return []
        try:
            kb = knowledge_base()
            vector = kb.embed(question)
            result = kb.search_vector(question, vector, k=3, asker=asker_of(tracker))
        except KnowledgeBaseError:
            # The family still gets a way forward; the operator gets the reason in the log.
            log.exception("knowledge base unavailable")
            dispatcher.utter_message(text=KB_DOWN, buttons=[SENDIASS_BUTTON])
            return []
        if not result.confident:
            dispatcher.utter_message(
                text=NOT_SURE, buttons=[SENDIASS_BUTTON], json_message=sources_payload(result.hits)
            )
            return []
        # Quote from the best page only; its passages that score near its best compete for the sentences.
        excerpt = best_excerpt(kb, vector, kb.page_passages(vector, result.hits[0].doc_url))
        dispatcher.utter_message(text=excerpt.text, json_message=sources_payload([excerpt.hit]))
        return []
