"""The service finder: a form that asks for need, age and area only when missing, then short cards.

Also 'show more', 'change area' and follow-ups that change one detail ('and in Stroud?', 'what about
for a 17 year old?'). The slots are filled by actions.details after every message; the form adds
only what an answer to its own question means ('the forest' when it asked for an area).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer import answer, signpost_reason_of, tell_me_more, topic_of, what_the_pages_say
from actions.conversation import asker_of, last_user_text, latest_text
from actions.details import age_slot, read_age, read_district, read_need
from actions.messages import (
    CLARIFY_KIND,
    HANDOFF,
    KB_DOWN,
    NOT_SURE,
    SENDIASS_BUTTON,
    SERVICE_BUTTONS,
    SERVICES,
    service_card,
    with_kind,
)
from actions.startup import knowledge_base
from knowledge_base.answering import asks_for_services
from knowledge_base.filters import SearchFilters
from knowledge_base.models import SearchHit
from knowledge_base.query_understanding import understand
from knowledge_base.search import KnowledgeBaseError
from vocabulary.needs import NEEDS
from vocabulary.places import ANYWHERE, DISTRICTS

log = logging.getLogger(__name__)

PAGE_SIZE = 3
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


def find_services(dispatcher: CollectingDispatcher, tracker: Tracker, offset: int) -> list[dict[str, Any]]:
    """Show services that fit the slots, PAGE_SIZE at a time from ``offset``."""
    need, district = tracker.get_slot("need"), tracker.get_slot("district")
    age = read_age(tracker.get_slot("age")) if tracker.get_slot("age") is not None else None
    try:
        filters = SearchFilters(
            district=district if district in DISTRICTS else None,
            age=age,
            need=need if need in NEEDS else None,
            page_types=("service",),
        )
    except ValueError:
        filters = SearchFilters(page_types=("service",))
    request = last_user_text(tracker, ("find_service", "refine")) or ""
    query = " ".join(filter(None, [request, need if need in NEEDS else "", "support group service"]))
    try:
        result = knowledge_base().search(query, filters=filters, k=40, asker=asker_of(tracker), understand_query=False)
    except KnowledgeBaseError:
        log.exception("knowledge base unavailable")
        dispatcher.utter_message(text=KB_DOWN, buttons=[SENDIASS_BUTTON], json_message=with_kind(HANDOFF))
        return []
    pages: dict[str, SearchHit] = {}
    for hit in result.hits:
        pages.setdefault(hit.doc_url, hit)
    services = list(pages.values())
    shown = services[offset : offset + PAGE_SIZE]
    if not shown:
        text = (
            "I couldn't find any more services for that."
            if offset
            else "I couldn't find a service that fits. You could try a different area or age, or ask SENDIASS."
        )
        dispatcher.utter_message(
            text=text,
            buttons=[{"title": "Change area", "payload": "/change_area"}, SENDIASS_BUTTON],
            json_message=with_kind(NOT_SURE),
        )
        return [SlotSet("last_kind", "services")]
    where = "anywhere in Gloucestershire" if district == ANYWHERE or district is None else f"in or near {district}"
    if offset == 0:
        dispatcher.utter_message(text=f"Here are some services {where}:", json_message=with_kind(SERVICES))
    for hit in shown:
        dispatcher.utter_message(text=service_card(hit), json_message=with_kind(SERVICES, [hit]))
    more = len(services) > offset + PAGE_SIZE
    dispatcher.utter_message(
        text=narrow_down_prompt(more, district, need, age),
        buttons=narrow_down_buttons(more, district),
        json_message=with_kind(SERVICES),
    )
    return [
        SlotSet("services_offset", float(offset + PAGE_SIZE)),
        SlotSet("last_kind", "services"),
        SlotSet("handoff_offered", False),
    ]


def narrow_down_prompt(more: bool, district: str | None, need: str | None, age: Any) -> str:
    """What the family can do next with the results: see more, or narrow them down."""
    missing = [
        word
        for word, known in (("area", district not in (None, ANYWHERE)), ("age", age is not None), ("need", bool(need)))
        if not known
    ]
    narrow = f" To narrow them down, tell me the {_joined(missing)}." if missing else ""
    return ("Would you like to see more?" if more else "Those are all I found.") + narrow


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def narrow_down_buttons(more: bool, district: str | None) -> list[dict[str, str]]:
    area = {"title": "Choose an area" if district in (None, ANYWHERE) else "Change area", "payload": "/change_area"}
    return [SERVICE_BUTTONS[0], area] if more else [area]


class ActionFindServices(Action):
    """Search at once with whatever is known (need, age, area, or none), then offer to narrow down."""

    def name(self) -> str:
        return "action_find_services"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        if text and not asks_for_services(text):
            # Read as a service request, but it names no kind of service ('how do I get OT for my son'):
            # it is a question, answered from the pages (or 'not sure'), not a list of cards.
            found = what_the_pages_say(tracker, text)
            if found is not None and (found.verdict == "not_sure" or found.sources[0].page_type != "service"):
                return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text), found=found)
        return find_services(dispatcher, tracker, 0)


class ActionShowMore(Action):
    """The next services, or more of the last answer's page."""

    def name(self) -> str:
        return "action_show_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if tracker.get_slot("last_kind") == "services":
            offset = tracker.get_slot("services_offset")
            return find_services(dispatcher, tracker, int(offset) if isinstance(offset, int | float) else 0)
        return tell_me_more(dispatcher, tracker)


class ActionChangeArea(Action):
    """Forget the area so the form asks for it again."""

    def name(self) -> str:
        return "action_change_area"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
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
        # The follow-up only makes sense with the topic of the answer it follows; with no topic yet
        # ('is it free?' as a first message) it is read as a question of its own, or asked about.
        follows = topic_of(tracker) is not None
        return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text), follow_up=follows or None)
