"""Off-topic, small talk, a pleasantry, a 'no' or a safety concern by Rasa's reading: the pages and the gateway decide.

The intent classifier is good at telling 'hello' from a question, but a short follow-up ('how long
does it take') or a question about something it has few examples of ('what does the Family
Information Service do') can look off-topic to it. So before saying 'I can only help with SEND',
a follow-up is answered in the light of the conversation's topic, and any other message is tried
on the pages: if they answer it with confidence, or a passage is clearly about it and the top page
probably answers it, it is answered. A greeting, thanks, goodbye or 'are you a bot' of a few words
gets its own reply at once; a longer one may ask something too ('are you a real person? I need to
know about appeals deadlines') and is tried on the pages first. Only the gateway decides that a
message is a safety concern (it sends '/safety_concern'); a typed message that Rasa merely reads
as one is answered like any other question.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer import (
    answer,
    answer_then_cards,
    leads_with_a_page,
    said_a_word_back,
    signpost_reason_of,
    topic_of,
    what_the_pages_say,
)
from actions.conversation import latest_text
from actions.messages import CLARIFY_KIND, OUT_OF_SCOPE, SMALL_TALK, with_kind
from actions.startup import knowledge_base
from knowledge_base.answering import (
    asks_about_nothing,
    asks_for_help_with_nothing_named,
    asks_nothing,
    asks_too_little,
    continues_something,
    continues_the_topic,
    could_follow_on,
    is_a_remark,
    is_follow_up,
    refers_back,
    too_vague,
    uses_only_page_words,
    wants_sendiass,
    wants_the_directory,
)
from knowledge_base.understanding import understand

# A vague message that still asks for something ('help', 'what about me', 'is it for him'), as
# opposed to a pleasantry ('how are you').
_ASKS_SOMETHING = re.compile(
    r"\b(help+|halp|hlp|it|that|this|him|her|me|one|form|them|son|daughter|child|now|do|know)\b", re.I
)

# The domain response each intent gets when the pages do not answer the message.
RESPONSES = {
    "out_of_scope": ("utter_out_of_scope", OUT_OF_SCOPE),
    "chitchat": ("utter_chitchat", SMALL_TALK),
    "greet": ("utter_greet", SMALL_TALK),
    "goodbye": ("utter_goodbye", SMALL_TALK),
    "thank": ("utter_thanks", SMALL_TALK),
    "bot_challenge": ("utter_bot_challenge", SMALL_TALK),
    "deny": ("utter_nothing_else", SMALL_TALK),
    "answer_helped": ("utter_glad_it_helped", SMALL_TALK),
}
# Greetings, thanks, goodbyes and 'are you a bot' are answered as such unless the message is long
# enough to ask something too ('are you a real person? I need to know about appeal deadlines'):
# 'ok thanks' is never read as a follow-up question.
PLEASANTRIES = frozenset({"greet", "goodbye", "thank", "bot_challenge"})
# Rasa's reading of a short message is checked against its words: 'is that full time' read as a
# goodbye must not get 'Bye for now'. A pleasantry says one of these.
PLEASANTRY_WORDS = re.compile(
    r"\b(hi+|hiya|hey+|hello|helo|morning|afternoon|evening|howdy|yo|bye+|goodbye|cya|see (ya|you)|ta+ra"
    r"|goodnight|night|laters|thanks|thank|thankyou|ty|cheers|ta|bot|robot|human|real|person|ai|computer|machine)\b",
    re.I,
)
PLEASANTRY_MAX_WORDS = 5
# A 'no' with nothing asked ('no', 'nope not really') is let be; a longer one may carry a question
# ('they said no. now what'), which is read like any other message.
BARE_NO_MAX_WORDS = 3


def _reply(dispatcher: CollectingDispatcher, intent: str) -> list[dict[str, Any]]:
    """The domain response ``RESPONSES`` gives this intent, marked with its kind."""
    response, kind = RESPONSES[intent]
    dispatcher.utter_message(response=response, json_message=with_kind(kind))
    return []


def names_a_need_or_young_person(text: str) -> bool:
    """Whether a message names a SEND need ('deaf', 'autistic') or comes from a young person about themself."""
    facts = understand(text)
    return bool(facts.needs) or facts.young_person


class ActionCheckScope(Action):
    """Off-topic, small talk or a pleasantry by Rasa's reading: answered if a follow-up or if the pages answer it."""

    def name(self) -> str:
        return "action_check_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in PLEASANTRIES and len(text.split()) <= PLEASANTRY_MAX_WORDS and PLEASANTRY_WORDS.search(text):
            return _reply(dispatcher, str(intent))
        if intent == "answer_helped" and asks_nothing(text):
            # The 'That helped' button, or 'that really helped thanks'; 'does that apply to her' read
            # as the same intent asks something, and is answered below like any other message.
            return _reply(dispatcher, "answer_helped")
        if intent == "deny" and len(text.split()) <= BARE_NO_MAX_WORDS and "?" not in text:
            return _reply(dispatcher, "deny")
        if text and said_a_word_back(dispatcher, text):
            # 'ok rang 111, they are coming. thank u', 'Thanks, I'll have a read of that', 'sorry for going on'.
            return []
        if text and wants_sendiass(text):
            # 'call me', 'can you check my draft plan', 'evidence deadline is friday and im panicking':
            # only SENDIASS can meet it; the pages' general answer comes first when they have one.
            return answer(dispatcher, tracker, text, "personal_case")
        if text and topic_of(tracker) is not None and is_follow_up(text):
            return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text))
        found = what_the_pages_say(tracker, text) if text else None
        if found is not None and found.declared_off_topic:
            return _reply(dispatcher, "out_of_scope")
        if found is not None and found.answers_it:
            if leads_with_a_page(found) and wants_the_directory(knowledge_base(), text):
                # A page answers it and it asks for a kind of service ('can i get a job coach ... near
                # stroud'): the directory's cards follow, as they do when the page is less certain.
                return answer_then_cards(dispatcher, tracker, text, found, signpost_reason_of(tracker, text))
            return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text), found=found)
        if found is not None and topic_of(tracker) is not None and could_follow_on(knowledge_base(), text):
            # No opening word marks it, but it brings no subject of its own ('how do we apply',
            # 'im not working though'): it continues the conversation's topic.
            return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text), follow_up=True)
        if text and found is not None and wants_the_directory(knowledge_base(), text):
            # 'any disabilty football teams for under 12s near bishops cleeve': the directory's cards,
            # narrowed by whatever the message says (area, age, need); first what a page says about
            # it when the best page is not a service ('can i get a job coach ... near stroud').
            return answer_then_cards(dispatcher, tracker, text, found)
        if (
            found is not None
            and topic_of(tracker) is not None
            and (found.followed_topic or continues_the_topic(knowledge_base(), text))
        ):
            # It brings a word of its own ('do we need a solicitor', 'is there like a face to face
            # thing'), but nothing off-topic is nearer it than the Local Offer: in a conversation
            # about SEND it is about that conversation. When finding nothing alone already read it
            # with the topic (knowledge_base.answering.answer), that reading is the one to give.
            followed = found if found.followed_topic else None
            return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text), follow_up=True, found=followed)
        if (
            found is not None
            and found.related
            and (names_a_need_or_young_person(text) or uses_only_page_words(knowledge_base(), text))
        ):
            # 'im deaf and starting college, who sorts out my BSL interpreter', 'What is portage and
            # who is it for?': near the pages and nothing in it is foreign to them, so the closest
            # pages (quoted when probably right) and SENDIASS, never 'off-topic'. Out of scope is
            # for what is clearly unrelated: 'best pubs in the Cotswolds' brings 'pub'.
            return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text), found=found)
        if found is not None and found.local_offer_words and not too_vague(text):
            # 'do i have to tell my uni im autistic?': no page is near, but it is about what the Local
            # Offer covers, so the closest pages and SENDIASS rather than 'I can only help with SEND'.
            return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text), found=found)
        opens_on_nothing = (
            text
            and topic_of(tracker) is None
            and (refers_back(text) or continues_something(text) or asks_about_nothing(text))
        )
        if opens_on_nothing or (text and too_vague(text) and _ASKS_SOMETHING.search(text)):
            # 'help', 'what about me', or 'how long does it take' with nothing before it: ask what
            # they need rather than chat or call it off-topic.
            dispatcher.utter_message(response="utter_ask_more", json_message=with_kind(CLARIFY_KIND))
            return []
        if text and asks_for_help_with_nothing_named(text):
            # 'I need some help with my grandson', 'we need support': about the family, so never
            # off-topic or small talk, but nothing to search on yet.
            dispatcher.utter_message(response="utter_ask_more", json_message=with_kind(CLARIFY_KIND))
            return []
        if intent in ("out_of_scope", "chitchat") and text and is_a_remark(knowledge_base(), text):
            # 'bless you, my brain is fried' or 'sorry for going on' asks for nothing unrelated: a word
            # back and what we can help with, not 'I can only help with SEND'.
            dispatcher.utter_message(response="utter_remark", json_message=with_kind(SMALL_TALK))
            return []
        off_topic = intent not in RESPONSES or intent == "out_of_scope"
        if off_topic and text and topic_of(tracker) is None and asks_too_little(knowledge_base(), text):
            # 'college?', 'Hi, I wanted to ask about my son.': about the family, too little to search on.
            dispatcher.utter_message(response="utter_ask_more", json_message=with_kind(CLARIFY_KIND))
            return []
        return _reply(dispatcher, str(intent) if intent in RESPONSES else "out_of_scope")


class ActionAfterSafety(Action):
    """After the gateway's safety response ('/safety_concern'), say the conversation can go on.

    A typed message that Rasa's classifier reads as a safety concern was judged safe by the
    gateway's detector, which owns that decision: it is answered as a question.
    """

    def name(self) -> str:
        return "action_after_safety"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        if text:
            return answer(dispatcher, tracker, text, signpost_reason_of(tracker, text))
        dispatcher.utter_message(response="utter_after_safety")
        return []
