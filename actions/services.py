"""The service finder: a form that asks for need, age and area only when missing, then short cards.

Also 'show more', 'change area' and follow-ups that change one detail ('and in Stroud?', 'what about
for a 17 year old?'). Words are understood by knowledge_base.query_understanding, the same rules
the search uses, so the form and the search agree on what 'the forest' or 'year 9' means.
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
from actions.knowledge import knowledge_base
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
from knowledge_base.answering import asks_for_services
from knowledge_base.filters import SearchFilters
from knowledge_base.models import SearchHit
from knowledge_base.query_understanding import understand
from knowledge_base.search import KnowledgeBaseError
from vocabulary.needs import ANY_NEED, ANY_NEED_WORDS, NEEDS
from vocabulary.places import ANYWHERE, ANYWHERE_WORDS, DISTRICTS

log = logging.getLogger(__name__)

PAGE_SIZE = 3
GLOS_QUESTION = "Do you mean Gloucester, or anywhere in Gloucestershire?"
GLOS_BUTTONS = [
    {"title": "Gloucester", "payload": '/inform{"district": "Gloucester"}'},
    {"title": "Anywhere in Gloucestershire", "payload": '/inform{"district": "anywhere"}'},
]


def _district(value: str) -> str | None:
    """A district name, 'anywhere', or None when the words name no district."""
    lowered = value.lower().strip()
    for name in DISTRICTS:
        if lowered == name.lower():
            return name
    facts = understand(value)
    if not facts.districts:
        # An answer to 'which area?' is a place even when it is a word that needs context
        # elsewhere ('the forest', 'cam').
        facts = understand(f"we live in {value}")
    if len(facts.districts) == 1:
        return facts.districts[0]
    if any(w in lowered for w in ANYWHERE_WORDS) and not facts.ambiguous_places:
        return ANYWHERE
    return None


def _need(value: str) -> str | None:
    lowered = value.lower().strip()
    if lowered in NEEDS:
        return lowered
    facts = understand(value)
    if facts.needs:
        return facts.needs[0]
    if any(lowered == w or lowered.startswith(w + " ") for w in ANY_NEED_WORDS):
        return ANY_NEED
    return None


def _age(value: Any) -> float | None:
    if isinstance(value, int | float):
        age = float(value)
    else:
        text = str(value).strip()
        try:
            age = float(text)
        except ValueError:
            found = understand(text).age
            if found is None:
                return None
            age = found
    return age if 0 <= age <= 25 else None


class ValidateServiceFinderForm(FormValidationAction):
    """Reads need, age and area from whatever the family types, and checks each."""

    def name(self) -> str:
        return "validate_service_finder_form"

    async def extract_need(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest_text(tracker)
        if not text or tracker.get_slot("need"):
            return {}
        need = _need(text) if tracker.get_slot("requested_slot") == "need" else (understand(text).needs or [None])[0]
        return {"need": need} if need else {}

    async def extract_age(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest_text(tracker)
        if not text or tracker.get_slot("age") is not None:
            return {}
        age = _age(text) if tracker.get_slot("requested_slot") == "age" else understand(text).age
        return {"age": str(int(age)) if age is not None and age.is_integer() else age} if age is not None else {}

    async def extract_district(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest_text(tracker)
        if not text or tracker.get_slot("district"):
            return {}
        facts = understand(text)
        if facts.ambiguous_places and not facts.districts:
            dispatcher.utter_message(text=GLOS_QUESTION, buttons=GLOS_BUTTONS)
            return {}
        if tracker.get_slot("requested_slot") == "district":
            district = _district(text)
        else:
            district = facts.districts[0] if len(facts.districts) == 1 else None
        return {"district": district} if district else {}

    def validate_need(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        need = _need(str(value)) if value else None
        if need is None:
            dispatcher.utter_message(
                text="Sorry, I didn't catch that. Please choose one of the needs, or 'Something else'."
            )
        return {"need": need}

    def validate_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        age = _age(value) if value is not None else None
        if age is None:
            dispatcher.utter_message(text="Please type an age from 0 to 25 as a number, like 7.")
            return {"age": None}
        return {"age": str(int(age)) if age.is_integer() else str(age)}

    def validate_district(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value) if value else ""
        facts = understand(text) if text else None
        if facts is not None and facts.ambiguous_places and not facts.districts:
            dispatcher.utter_message(text=GLOS_QUESTION, buttons=GLOS_BUTTONS)
            return {"district": None}
        district = _district(text) if text else None
        if district is None:
            dispatcher.utter_message(text="Sorry, I don't know that place. Please choose an area.")
        return {"district": district}


def find_services(dispatcher: CollectingDispatcher, tracker: Tracker, offset: int) -> list[dict[str, Any]]:
    """Show services that fit the slots, PAGE_SIZE at a time from ``offset``."""
    need, district = tracker.get_slot("need"), tracker.get_slot("district")
    age = _age(tracker.get_slot("age")) if tracker.get_slot("age") is not None else None
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


def details_from_text(tracker: Tracker, text: str) -> list[dict[str, Any]]:
    """Need, age and area the message names that Rasa's entities did not already give, as slot events.

    The tracker's copy is updated too, so the search that follows in the same action sees them.
    """
    facts = understand(text)
    found: dict[str, Any] = {}
    if not tracker.get_slot("district") and len(facts.districts) == 1:
        found["district"] = facts.districts[0]
    if tracker.get_slot("age") is None and facts.age is not None:
        found["age"] = str(int(facts.age)) if facts.age.is_integer() else str(facts.age)
    if not tracker.get_slot("need") and facts.needs:
        found["need"] = facts.needs[0]
    for name, value in found.items():
        tracker.slots[name] = value
    return [SlotSet(name, value) for name, value in found.items()]


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
        events = details_from_text(tracker, text) if text else []
        return events + find_services(dispatcher, tracker, 0)


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
        events: list[dict[str, Any]] = []
        if len(facts.districts) == 1:
            events.append(SlotSet("district", facts.districts[0]))
        if facts.age is not None:
            events.append(SlotSet("age", str(int(facts.age)) if facts.age.is_integer() else str(facts.age)))
        if facts.needs:
            events.append(SlotSet("need", facts.needs[0]))
        for event in events:
            tracker.slots[event["name"]] = event["value"]
        if tracker.get_slot("last_kind") == "services":
            return events + find_services(dispatcher, tracker, 0)
        # The follow-up only makes sense with the topic of the answer it follows; with no topic yet
        # ('is it free?' as a first message) it is read as a question of its own, or asked about.
        follows = topic_of(tracker) is not None
        return events + answer(dispatcher, tracker, text, signpost_reason_of(tracker, text), follow_up=follows or None)
