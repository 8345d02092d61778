"""Service cards: search the directory with whatever is known and show the best few, then offer to narrow down.

Shared by the service finder (actions/services.py) and by the actions that meet a request for an
activity Rasa did not read as one ('SEN trampolining near Stonehouse', read as off-topic or as a
question).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import asker_of, last_user_text
from actions.details import read_age
from actions.messages import (
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
from knowledge_base.filters import SearchFilters
from knowledge_base.models import SearchHit
from knowledge_base.search import KnowledgeBaseError
from vocabulary.needs import NEEDS
from vocabulary.places import ANYWHERE, DISTRICTS

log = logging.getLogger(__name__)

PAGE_SIZE = 3


def find_services(
    dispatcher: CollectingDispatcher, tracker: Tracker, offset: int, request: str | None = None
) -> list[dict[str, Any]]:
    """Show services that fit the slots, PAGE_SIZE at a time from ``offset``.

    ``request``: what the family asked for, when Rasa did not read it as a service request (by
    default, their last message that it did).
    """
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
    if request is None:
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
