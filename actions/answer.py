"""Answer a question from the knowledge base with its source, or say honestly that we are not sure.

Also the follow-ups that stay on an answer: 'tell me more' and 'that didn't help'.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import (
    asker_of,
    count,
    is_an_apology,
    is_thanks_or_acknowledgement,
    latest_text,
    question_of,
)
from actions.details import read_district
from actions.messages import (
    ANSWER,
    CLARIFY_KIND,
    CONSENT,
    CONSENT_BUTTONS,
    EMPTY,
    HANDOFF,
    HELPED_BUTTONS,
    KB_DOWN,
    NOT_HELPFUL_MARK,
    NOT_SURE,
    OUT_OF_SCOPE,
    SENDIASS_BUTTON,
    SMALL_TALK,
    TENTATIVE,
    TENTATIVE_INTRO,
    TENTATIVE_INTRO_TWO_PAGES,
    not_sure,
    signpost,
    with_kind,
)
from actions.offer import offer_handoff
from actions.service_cards import find_services
from actions.startup import knowledge_base, server_settings
from knowledge_base.answering import Answer as PagesAnswer
from knowledge_base.answering import (
    Topic,
    adds_detail,
    asks_about_an_unnamed_other,
    asks_for_help_with_nothing_named,
    asks_for_judgement,
    asks_for_one_in_a_place,
    asks_too_little,
    continues_something,
    is_follow_up,
    only_asks_for_a_person,
    question_in,
    raises_a_dispute,
    refers_back,
    too_vague,
    uses_only_page_words,
    wants_sendiass,
    wants_the_directory,
)
from knowledge_base.answering import answer as answer_from_pages
from knowledge_base.excerpt import best_excerpt
from knowledge_base.search import KnowledgeBaseError

log = logging.getLogger(__name__)


def topic_of(tracker: Tracker) -> Topic | None:
    """The last question searched and the page it was answered from, for reading a follow-up."""
    question = tracker.get_slot("last_query")
    if not question:
        return None
    return Topic(question, tracker.get_slot("last_page_title"), tracker.get_slot("last_quoted") or "")


def what_the_pages_say(tracker: Tracker, question: str, signposted: bool = False) -> PagesAnswer | None:
    """The pages' answer to ``question`` in this conversation, or None when the knowledge base is down.

    For actions that look before they choose how to reply; pass the result to ``answer`` so the
    search and composition are not done twice. A None reaches ``answer``, which tells the family.
    ``signposted``: something else follows the answer (SENDIASS, service cards), so a less certain
    page is still quoted.
    """
    try:
        return answer_from_pages(
            knowledge_base(), question, asker_of(tracker), topic_of(tracker), signposted=signposted
        )
    except KnowledgeBaseError:
        log.exception("knowledge base unavailable")
        return None


def leads_with_a_page(found: PagesAnswer) -> bool:
    """Whether the closest page to the message is a page of advice, not a service in the directory."""
    return bool(found.closest) and found.closest[0].page_type != "service"


def answer_before_cards(tracker: Tracker, question: str, found: PagesAnswer | None) -> PagesAnswer | None:
    """What to quote before the service cards for a request for services, or None for the cards alone.

    When the best page for the request is not a service ('portage service cinderford?': the page on
    home visiting; 'can i get a job coach': Future Me's page on jobs), that page says what the family
    asked, and the cards found for the request's words are often near misses. It is quoted first,
    tentatively down to the margin used beside the SENDIASS offer, because the cards still follow.
    On the read sets' service requests the cards alone showed a right page first for 1 in 10 of
    these; the page quoted first was right for 6 of them (docs/dialogue.md).
    """
    if found is None or not leads_with_a_page(found):
        return None
    if found.verdict == "not_sure" and (found.related or uses_only_page_words(knowledge_base(), question)):
        # Asked for as a service, in the pages' own words ('portage service cinderford?'), it is a
        # Local Offer question even when no passage is near.
        found = what_the_pages_say(tracker, question, signposted=True)
    return found if found is not None and found.verdict != "not_sure" else None


def answer_then_cards(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    question: str,
    found: PagesAnswer | None,
    signpost_reason: str | None = None,
    without_answer: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """A request for a kind of service: what a page says about it when one does
    (``answer_before_cards``), then the directory's cards for the request's words.

    ``without_answer``: the events to keep when no page is quoted.
    """
    before = answer_before_cards(tracker, question, found)
    if before is not None:
        events = answer(dispatcher, tracker, question, signpost_reason, found=before)
    else:
        events = list(without_answer or [])
    return events + find_services(dispatcher, tracker, 0, request=question)


def said_a_word_back(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Answer an apology, thanks or praise that asks nothing with a word back; whether it was one."""
    if is_an_apology(text):
        # 'sorry for asking so many questions': nothing asked, and nothing to be sorry for.
        dispatcher.utter_message(response="utter_no_need_to_apologise", json_message=with_kind(SMALL_TALK))
        return True
    if is_thanks_or_acknowledgement(text):
        # Thanks or news with nothing asked ('ok rang 111, they are coming. thank u', 'nice one').
        dispatcher.utter_message(response="utter_thanks", json_message=with_kind(SMALL_TALK))
        return True
    return False


def answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    question: str,
    signpost_reason: str | None = None,
    follow_up: bool | None = None,
    found: PagesAnswer | None = None,
) -> list[dict[str, Any]]:
    """Answer from the pages first; with ``signpost_reason``, also offer SENDIASS for the family's own case.

    A quote when the pages answer (said to be uncertain when it is), else the closest pages. A
    message that asks about one family's own case gets the general answer and, in the same reply,
    the offer of SENDIASS; when the pages have nothing, only the offer.
    """
    if not question:
        dispatcher.utter_message(text=EMPTY)
        return []
    if said_a_word_back(dispatcher, question):
        return []
    topic = topic_of(tracker)
    if topic is not None and not signpost_reason and asks_for_one_in_a_place(question):
        # 'is there one in stroud' after short breaks or supported internships: that kind of service
        # in that area, as cards rather than the page just given quoted again. The page's title names
        # the kind in the pages' own words (docs/dialogue.md: better than the question on the read sets).
        district = read_district(question)
        kind = topic.page_title or question_in(topic.question) or topic.question
        return [
            SlotSet("district", district),
            *find_services(dispatcher, tracker, 0, f"{kind} {question}", district, widen=False),
        ]
    leans_on_topic = follow_up or (topic is not None and is_follow_up(question))
    opening = not follow_up and topic is None
    if (
        (too_vague(question) and not leans_on_topic)
        or (opening and asks_for_help_with_nothing_named(question))
        # 'and the other thing?': even with the topic, no page can be chosen for it.
        or asks_about_an_unnamed_other(question)
    ):
        dispatcher.utter_message(response="utter_ask_more", json_message=with_kind(CLARIFY_KIND))
        return []
    asker = asker_of(tracker)
    try:
        if found is None or (signpost_reason and found.verdict == "not_sure"):
            found = answer_from_pages(
                knowledge_base(), question, asker, topic, follow_up, signposted=bool(signpost_reason)
            )
    except KnowledgeBaseError:
        # The family still gets a way forward; the operator gets the reason in the log.
        log.exception("knowledge base unavailable")
        dispatcher.utter_message(text=KB_DOWN, buttons=[SENDIASS_BUTTON], json_message=with_kind(HANDOFF))
        return []
    if (
        found.verdict != "confident"
        and follow_up is not True
        and topic is None
        and (refers_back(question) or continues_something(question))
    ):
        # 'how long does it take' or 'is it free?' with nothing before it: ask what it is about.
        dispatcher.utter_message(response="utter_ask_more", json_message=with_kind(CLARIFY_KIND))
        return []
    if signpost_reason and found.verdict != "confident" and only_asks_for_a_person(question):
        # 'can someone go through it with me': only a person can do that, so SENDIASS is the reply.
        # A page the search is unsure of would be a guess, and taking the message as the
        # conversation's topic would lose the thread for the next one ('whats the deadline again').
        return offer_handoff(dispatcher, tracker, "request_human")
    # A new question means an earlier offer to pass the conversation on was left unanswered: a
    # later 'yes' must not count as consent to it.
    events: list[dict[str, Any]] = [
        SlotSet("handoff_offered", False),
        SlotSet("last_query", found.question),
        SlotSet("last_quoted", None),
        SlotSet("last_kind", "answer"),
    ]
    if found.verdict == "not_sure":
        if found.declared_off_topic:
            # 'unrelated but whats a decent gaming laptop': they said so, and no page answers it. The
            # conversation's topic stays what it was, for the next question about it.
            dispatcher.utter_message(response="utter_out_of_scope", json_message=with_kind(OUT_OF_SCOPE))
            return []
        if not signpost_reason and wants_the_directory(knowledge_base(), question):
            # 'any disabilty football teams near bishops cleeve': no page answers it, the directory may.
            return answer_then_cards(dispatcher, tracker, question, found, without_answer=events)
        if signpost_reason and (wants_sendiass(question) or topic is not None):
            # 'need help with my case', 'take this on for us', or a worry or dispute in the middle of a
            # conversation about SEND ('evidence deadline is friday and im panicking'): no page is
            # about it, but SENDIASS is.
            closest = found.closest[:3] if found.related else []
            return events + offer_handoff(dispatcher, tracker, signpost_reason, closest)
        unrelated = not found.related and not found.followed_topic
        if unrelated and topic is None and asks_too_little(knowledge_base(), question):
            # 'college?', 'wat about my plan': about the family, but too little to search on.
            dispatcher.utter_message(response="utter_ask_more", json_message=with_kind(CLARIFY_KIND))
            return events
        if unrelated:
            # Nothing in the Local Offer is about it (bins, plumbers, homework): say what we can help with.
            dispatcher.utter_message(response="utter_out_of_scope", json_message=with_kind(OUT_OF_SCOPE))
            return events
        if signpost_reason:
            return events + offer_handoff(dispatcher, tracker, signpost_reason, found.closest[:3])
        misses = count(tracker, "not_confident_count") + 1
        dispatcher.utter_message(
            text=not_sure(asker),
            buttons=[SENDIASS_BUTTON],
            json_message=with_kind(NOT_SURE, found.closest[:3], found.confidence),
        )
        events.append(SlotSet("not_confident_count", float(misses)))
        if misses >= 2:
            events += offer_handoff(dispatcher, tracker, "not_confident")
        return events
    kind = ANSWER if found.verdict == "confident" else TENTATIVE
    if found.verdict == "tentative":
        intro = TENTATIVE_INTRO if len({hit.doc_url for hit in found.sources}) < 2 else TENTATIVE_INTRO_TWO_PAGES
        dispatcher.utter_message(text=intro, json_message=with_kind(TENTATIVE))
    buttons = [] if signpost_reason else HELPED_BUTTONS
    dispatcher.utter_message(
        text=quoted(found), buttons=buttons, json_message=with_kind(kind, found.sources, found.confidence)
    )
    events += [
        SlotSet("last_page_url", found.page_url),
        SlotSet("last_page_title", found.sources[0].title),
        SlotSet("last_quoted", said_in_this_topic(tracker, found)),
        SlotSet("not_confident_count", 0.0),
        # How many more passages 'tell me more' has shown from this page (shared with the
        # service finder's paging: only one of them is current at a time, per last_kind).
        SlotSet("services_offset", 0.0),
    ]
    if signpost_reason:
        dispatcher.utter_message(
            text=signpost(server_settings(), asker, signpost_reason),
            buttons=CONSENT_BUTTONS,
            json_message=with_kind(CONSENT),
        )
        events += [SlotSet("handoff_reason", signpost_reason), SlotSet("handoff_offered", True)]
    return events


# Enough for the last few answers on one topic; a slot is not a transcript.
SAID_MAX_CHARS = 4000


def said_in_this_topic(tracker: Tracker, found: PagesAnswer) -> str:
    """What the answers on this topic have quoted so far, so a later follow-up does not repeat any of them."""
    if not found.followed_topic:
        return found.text
    said = f"{tracker.get_slot('last_quoted') or ''}\n{found.text}".strip()
    return said[-SAID_MAX_CHARS:]


def quoted(found: PagesAnswer) -> str:
    """The pages' own sentences: the council's words, not the bot's."""
    return found.text


def signpost_reason_of(tracker: Tracker, text: str) -> str | None:
    """Why SENDIASS is offered beside the answer: the message asks about one family's own case, or complains."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "complaint" or raises_a_dispute(text):
        return "complaint"
    if intent == "personal_case" or asks_for_judgement(text) or wants_sendiass(text):
        return "personal_case"
    if tracker.get_slot("handoff_offered") and adds_detail(text):
        # 'yes he has an ehcp' or 'her GP has written a letter if that helps' after an answer that
        # offered SENDIASS: more about the same case, so the offer stands beside the new answer.
        return str(tracker.get_slot("handoff_reason") or "personal_case")
    return None


class ActionAnswerQuestion(Action):
    """Search the Local Offer pages and quote the best passage with its link and date."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = question_of(tracker)
        return answer(dispatcher, tracker, question, signpost_reason_of(tracker, latest_text(tracker)))


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
        dispatcher.utter_message(
            text="What would you like to know more about? Please type your question.",
            json_message=with_kind(CLARIFY_KIND),
        )
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
            json_message=with_kind(ANSWER, passages[:1]),
        )
        return []
    excerpt = best_excerpt(kb, vector, rest[:1])
    dispatcher.utter_message(text=excerpt.text, buttons=HELPED_BUTTONS, json_message=with_kind(ANSWER, [excerpt.hit]))
    return [SlotSet("services_offset", float(shown + 1)), SlotSet("last_kind", "answer")]


class ActionAnswerNotHelpful(Action):
    """The last answer did not help: offer the next closest pages; twice in a row, offer SENDIASS."""

    def name(self) -> str:
        return "action_answer_not_helpful"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = tracker.get_slot("last_query") or ""
        if not question and not tracker.get_slot("last_kind"):
            # Nothing has been answered yet, so 'does that count' or 'does that apply to us too'
            # is not about an answer: ask what it is about.
            dispatcher.utter_message(response="utter_ask_more", json_message=with_kind(CLARIFY_KIND))
            return []
        misses = count(tracker, "unhelpful_count") + 1
        events: list[dict[str, Any]] = [SlotSet("unhelpful_count", float(misses))]
        if misses >= 2:
            events += offer_handoff(dispatcher, tracker, "not_helpful")
            dispatcher.utter_message(json_message=NOT_HELPFUL_MARK)
            return events
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
        dispatcher.utter_message(text=text, buttons=[SENDIASS_BUTTON], json_message=with_kind(NOT_SURE, others))
        dispatcher.utter_message(json_message=NOT_HELPFUL_MARK)
        return events
