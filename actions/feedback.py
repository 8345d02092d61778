"""Feedback about the assistant, kept (redacted) for the team that runs it."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer import answer, signpost_reason_of, what_the_pages_say
from actions.conversation import latest_text
from actions.messages import CLARIFY_KIND, OUT_OF_SCOPE, with_kind
from actions.scope import names_a_need_or_young_person
from actions.startup import app_store
from knowledge_base.answering import asks_for_help_with_nothing_named, too_vague, wants_sendiass

log = logging.getLogger(__name__)


class ActionRecordFeedback(Action):
    """Keep what a family says about the assistant; a message about their own case is answered instead."""

    def name(self) -> str:
        return "action_record_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        if text and wants_sendiass(text):
            # 'can you review my tribunal bundle', 'i could scream, 2 years of this': about their
            # case, not about the assistant. SENDIASS is offered, with the pages' answer if any.
            return answer(dispatcher, tracker, text, "personal_case")
        if text and (too_vague(text) or asks_for_help_with_nothing_named(text)):
            # 'Good afternoon, could you send me the form please?', 'is this the right place to ask?':
            # a request that names nothing. Ask, rather than thank them for feedback they did not give.
            dispatcher.utter_message(response="utter_ask_more", json_message=with_kind(CLARIFY_KIND))
            return []
        found = what_the_pages_say(tracker, text) if text else None
        if found is not None and found.declared_off_topic:
            # 'cheers. totally unrelated but whats 3x + 7': a question on another subject, not feedback.
            dispatcher.utter_message(response="utter_out_of_scope", json_message=with_kind(OUT_OF_SCOPE))
            return []
        if found is not None and (found.answers_it or (found.related and names_a_need_or_young_person(text))):
            # 'hes 9 and really struggling with reading', 'how do I give feedback about the Local
            # Offer?': about SEND, not about this assistant.
            return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text), found=found)
        if text:
            try:
                app_store().record_feedback(tracker.sender_id, text, None)
            except Exception:  # feedback is worth having, never worth an error message
                log.exception("could not store feedback")
        dispatcher.utter_message(
            text="Thank you for telling us. The team that runs this assistant reads feedback to make it better."
        )
        return []
