"""Service cards: search the directory with whatever is known and show the best few, then offer to narrow down.

Shared by the service finder (actions/services.py) and by the actions that meet a request for an
activity Rasa did not read as one ('SEN trampolining near Stonehouse', read as off-topic or as a
question).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
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
from knowledge_base.answering import pages_found
from knowledge_base.filters import SearchFilters
from knowledge_base.models import SearchHit
from knowledge_base.search import KnowledgeBaseError
from vocabulary.needs import NEEDS
from vocabulary.places import ANYWHERE, DISTRICTS
from vocabulary.words import word_set

log = logging.getLogger(__name__)

PAGE_SIZE = 3
# How much closer (cosine of its best passage) a service outside the family's area must be than the
# best one inside it to be shown first, as the closest match elsewhere. Wheelchair basketball asked
# for in Tewkesbury: the Tewkesbury parents' group at 0.51, wheelchair sports in the Forest of Dean at
# 0.73; where the area has what was asked for, the two are within a few hundredths.
ELSEWHERE_MARGIN = 0.1
# ... and it must have a word of the request that none of the area's services has ('wheelchair'), so
# a Lego club asked for in Cheltenham does not bring an autism family group from the Forest of Dean.
# Words that only say a service is wanted do not count.
_WANTS_A_SERVICE_WORDS = word_set(
    "club clubs group groups service services support family families child children kids young people "
    "activity activities session sessions anything something like near around round there would want wants "
    "with that have does what where about"
)
_WORD = re.compile(r"[a-z]+")


def find_services(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    offset: int,
    request: str | None = None,
    district: str | None = None,
    widen: bool = True,
) -> list[dict[str, Any]]:
    """Show services that fit the slots, PAGE_SIZE at a time from ``offset``.

    ``request``: what the family asked for, when Rasa did not read it as a service request (by
    default, their last message that it did). ``district``: an area named in this very message, whose
    slot the caller sets with the reply (the tracker does not hold it yet). ``widen``: add words that
    find every service of a kind the request only hints at; not when the request names the kind in
    the pages' own words (a page title).
    """
    need, district = tracker.get_slot("need"), district or tracker.get_slot("district")
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
    query = " ".join(filter(None, [request, need if need in NEEDS else "", "support group service" if widen else ""]))
    try:
        result = knowledge_base().search(query, filters=filters, k=40, asker=asker_of(tracker), understand_query=False)
    except KnowledgeBaseError:
        log.exception("knowledge base unavailable")
        dispatcher.utter_message(text=KB_DOWN, buttons=[SENDIASS_BUTTON], json_message=with_kind(HANDOFF))
        return []
    pages: dict[str, SearchHit] = {}
    for hit in result.hits:
        pages.setdefault(hit.doc_url, hit)
    lead = [pages[url] for url in _services_found(request, tracker, filters if widen else None) if url in pages]
    services = lead + [hit for hit in pages.values() if hit not in lead]
    shown = services[offset : offset + PAGE_SIZE]
    elsewhere = _closest_elsewhere(request, query, filters, services, tracker) if offset == 0 else None
    if not shown and elsewhere is None:
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
    if elsewhere is not None:
        dispatcher.utter_message(
            text=f"I could not find that {where}. The closest match is elsewhere in Gloucestershire:",
            json_message=with_kind(SERVICES),
        )
        dispatcher.utter_message(text=service_card(elsewhere), json_message=with_kind(SERVICES, [elsewhere]))
    if offset == 0 and shown:
        some = "more" if elsewhere is not None else "some"
        dispatcher.utter_message(text=f"Here are {some} services {where}:", json_message=with_kind(SERVICES))
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


def _services_found(request: str, tracker: Tracker, filters: SearchFilters | None) -> list[str]:
    """The service pages that a search for the request alone puts first, best first; none when it is
    not sure.

    The cards are searched with 'support group service' added to the request, which finds every
    service of the kind but can rank a near miss first ('respit for disabeld kids in stroud': a group
    for parents' mental health before the holiday farm that the request alone finds). Computed here,
    not passed in, so that 'show more' pages through the same order. When the request alone puts a
    page of advice first (the short breaks page, quoted before the cards), the best service for the
    request alone among the cards' own (``filters``, given when the cards were widened) leads them.
    """
    if not request:
        return []
    asker = asker_of(tracker)
    try:
        kb = knowledge_base()
        verdict, closest = pages_found(kb, request, asker)
        if verdict == "not_sure" or not closest:
            return []
        if closest[0].page_type == "service":
            return [hit.doc_url for hit in closest if hit.page_type == "service"]
        if filters is None:
            return []
        alone = kb.search(request, filters=filters, k=1, asker=asker, understand_query=False)
    except KnowledgeBaseError:
        return []
    return [hit.doc_url for hit in alone.hits[:1]]


def _closest_elsewhere(
    request: str, query: str, filters: SearchFilters, in_area: list[SearchHit], tracker: Tracker
) -> SearchHit | None:
    """The best service outside the family's area, when it is clearly closer to the request than any inside
    it and has a word of the request that none of them has."""
    asked = {w for w in _WORD.findall(request.lower()) if len(w) >= 4 and w not in _WANTS_A_SERVICE_WORDS}
    if filters.district is None or not asked:
        return None  # no area to look beyond, or no word to tell one service from another: no second search
    try:
        anywhere = knowledge_base().search(
            query, filters=replace(filters, district=None), k=10, asker=asker_of(tracker), understand_query=False
        )
    except KnowledgeBaseError:
        return None
    if not anywhere.hits:
        return None
    best = anywhere.hits[0]
    best_in_area = max((hit.score for hit in in_area), default=0.0)
    shown = {hit.doc_url for hit in in_area[:PAGE_SIZE]}
    area_words = set().union(*(_words_of(hit) for hit in in_area))
    # A service whose name says it is the kind asked for, a kind no service in the area mentions
    # ('is there one in stroud' after supported internships: Gloucester's supported internship, against
    # Stroud's youth club), needs only to be as close as the area's best: the margin is for telling
    # near misses apart.
    names_the_kind = (_stems(asked) & _stems(set(_WORD.findall(best.title.lower())))) - _stems(area_words)
    margin = 0.0 if names_the_kind else ELSEWHERE_MARGIN
    if best.doc_url in shown or best.score < best_in_area + margin:
        return None
    return best if (asked & _words_of(best)) - area_words else None


def _stems(words: set[str]) -> set[str]:
    """Words without a plural 's' ('internships' and 'internship' are one word here).

    Only the plural, not the search's stemmer (``knowledge_base.lexical``): Snowball also makes
    'supported' and 'support' one word, so a title saying 'support' would name the kind 'supported
    internship'. Whether that would matter has not been measured on the read sets.
    """
    return {w[:-1] if w.endswith("s") and not w.endswith("ss") else w for w in words}


def _words_of(hit: SearchHit) -> set[str]:
    description = hit.service.description if hit.service is not None else ""
    return set(_WORD.findall(f"{hit.title} {hit.text} {description}".lower()))


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
