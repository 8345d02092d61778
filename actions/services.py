"""The service finder: a form that asks for need, age and area only when missing, then short cards.

Also 'show more', 'change area' and follow-ups that change one detail ('and in Stroud?', 'what about
for a 17 year old?'). The slots are filled by actions.details after every message; the form adds
only what an answer to its own question means ('the forest' when it asked for an area).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer import (
    answer,
    answer_before_cards,
    said_a_word_back,
    signpost_reason_of,
    tell_me_more,
    topic_of,
    what_the_pages_say,
)
from actions.conversation import latest_text
from actions.details import age_slot, read_age, read_district, read_need
from actions.messages import (
    CLARIFY_KIND,
    with_kind,
)
from actions.service_cards import find_services
from actions.startup import knowledge_base
from knowledge_base.answering import asks_for_help_with_nothing_named, names_a_kind_of_service
from knowledge_base.query_understanding import understand

log = logging.getLogger(__name__)

GLOS_QUESTION = "Do you mean Gloucester, or anywhere in Gloucestershire?"
GLOS_BUTTONS = [
    {"title": "Gloucester", "payload": '/inform{"district": "Gloucester"}'},
    {"title": "Anywhere in Gloucestershire", "payload": '/inform{"district": "anywhere"}'},
]


class ValidateServiceFinderForm(FormValidationAction):
    """Reads need, age and area from whatever the family types, and checks each."""

    def name(self) -> str:
        return "validate_service_finder_form"

    # A typed detail was already read into its slot by actions.details; these read what an answer
    # means only because of the question just asked ('cam' as a place, a bare '7' as an age).

    async def extract_need(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest_text(tracker)
        if not text or tracker.get_slot("need") or tracker.get_slot("requested_slot") != "need":
            return {}
        need = read_need(text)
        return {"need": need} if need else {}

    async def extract_age(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest_text(tracker)
        if not text or tracker.get_slot("age") is not None or tracker.get_slot("requested_slot") != "age":
            return {}
        age = read_age(text)
        return {"age": age_slot(age)} if age is not None else {}

    async def extract_district(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest_text(tracker)
        if not text or tracker.get_slot("district"):
            return {}
        facts = understand(text)
        if facts.ambiguous_places and not facts.districts:
            # 'glos' may be Gloucester or the whole county: a candidate, so that validate_district asks
            # which, and the form then asks for the area again.
            return {"district": text}
        district = read_district(text) if tracker.get_slot("requested_slot") == "district" else None
        return {"district": district} if district else {}

    def validate_need(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        need = read_need(str(value)) if value else None
        if need is None:
            dispatcher.utter_message(
                text="Sorry, I didn't catch that. Please choose one of the needs, or 'Something else'."
            )
        return {"need": need}

    def validate_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        age = read_age(value) if value is not None else None
        if age is None:
            dispatcher.utter_message(text="Please type an age from 0 to 25 as a number, like 7.")
            return {"age": None}
        return {"age": age_slot(age)}

    def validate_district(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value) if value else ""
        facts = understand(text) if text else None
        if facts is not None and facts.ambiguous_places and not facts.districts:
            dispatcher.utter_message(text=GLOS_QUESTION, buttons=GLOS_BUTTONS)
            return {"district": None}
        district = read_district(text) if text else None
        if district is None:
            dispatcher.utter_message(text="Sorry, I don't know that place. Please choose an area.")
        return {"district": district}


class ActionFindServices(Action):
    """Search at once with whatever is known (need, age, area, or none), then offer to narrow down."""

    def name(self) -> str:
        return "action_find_services"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        if text and nothing_to_search_on(tracker, text):
            # 'is there anything near me for my son?': no kind of service, need, age or area, so the
            # cards would be any three services in the county. Ask what they need first.
            dispatcher.utter_message(response="utter_ask_more", json_message=with_kind(CLARIFY_KIND))
            return []
        found = what_the_pages_say(tracker, text) if text else None
        reason = signpost_reason_of(tracker, text) if text else None
        # Only read when the search worked (found is None when the knowledge base is down).
        names_no_service = found is not None and not names_a_kind_of_service(knowledge_base(), text)
        if found is not None and (
            found.declared_off_topic
            or (names_no_service and (found.verdict == "not_sure" or found.sources[0].page_type != "service"))
        ):
            # Read as a service request, but it names no kind of service ('how do I get OT for my son'):
            # it is a question, answered from the pages (or 'not sure'), not a list of cards.
            return answer(dispatcher, tracker, text, reason, found=found)
        before = answer_before_cards(tracker, text, found) if text else None
        if before is not None:
            # A page explains this kind of service ('any holiday clubs in the forest', 'wheelchair
            # basketball near Cheltenham': short breaks, leisure, finding childcare), or the message
            # asks a question that names a service word ('portage service cinderford?', 'can i get a
            # job coach'): the page's answer comes first, with SENDIASS when the message asks for it,
            # and the cards after it. The cards alone were often a near miss with nothing to say how
            # to find the right one, or no answer at all.
            events = answer(dispatcher, tracker, text, reason, found=before)
            return events + find_services(dispatcher, tracker, 0)
        return find_services(dispatcher, tracker, 0)


def nothing_to_search_on(tracker: Tracker, text: str) -> bool:
    """Whether a request for services names nothing to find them by: no kind, need, age, area or topic."""
    known = any(tracker.get_slot(slot) for slot in ("need", "district", "age"))
    return not known and topic_of(tracker) is None and asks_for_help_with_nothing_named(text)


class ActionShowMore(Action):
    """The next services, or more of the last answer's page."""

    def name(self) -> str:
        return "action_show_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        if text and said_a_word_back(dispatcher, text):
            # 'lol ur more use than the phone line ta': praise, read as 'more'.
            return []
        if tracker.get_slot("last_kind") == "services":
            offset = tracker.get_slot("services_offset")
            return find_services(dispatcher, tracker, int(offset) if isinstance(offset, int | float) else 0)
        return tell_me_more(dispatcher, tracker)


class ActionChangeArea(Action):
    """Forget the area so the form asks for it again, when there is a search to change."""

    def name(self) -> str:
        return "action_change_area"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if tracker.get_slot("last_kind") != "services":
            # 'we rent from a housing association, does that change it': Rasa hears 'change' and
            # 'house' as a new area, but no search was shown to change. It is a question about the
            # last answer; the form's question about need would otherwise follow every message.
            # The rule runs the form after this action; listening instead keeps it from starting.
            return [*_answer_as_follow_up(dispatcher, tracker), FollowupAction("action_listen")]
        return [SlotSet("district", None), SlotSet("services_offset", 0.0)]


class ActionRefine(Action):
    """A follow-up that changes one detail: search again with it."""

    def name(self) -> str:
        return "action_refine"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        facts = understand(text)
        if facts.ambiguous_places and not facts.districts:
            # 'glos' may be Gloucester or the whole county: the results differ too much to guess.
            dispatcher.utter_message(text=GLOS_QUESTION, buttons=GLOS_BUTTONS, json_message=with_kind(CLARIFY_KIND))
            return []
        # The detail itself is already in its slot (actions.details ran when the message came in).
        if tracker.get_slot("last_kind") == "services":
            return find_services(dispatcher, tracker, 0)
        return _answer_as_follow_up(dispatcher, tracker)


def _answer_as_follow_up(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The latest message answered as a follow-up to the last answer.

    It only makes sense with the topic of the answer it follows; with no topic yet ('is it free?' as
    a first message) it is read as a question of its own, or asked about.
    """
    text = latest_text(tracker)
    follows = topic_of(tracker) is not None
    return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text), follow_up=follows or None)
