"""What does a word mean: one or two plain sentences from the glossary, then what its page says.

The definition alone (about 25 words) is too thin for 'whats a supported internship' or 'portage
what ages?': families want who it is for, how long and how to get it. So the term's page follows
it, in the page's own words, up to the length of an answer.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer import answer
from actions.conversation import asker_of, question_of
from actions.messages import ANSWER, DEFINITION, HELPED_BUTTONS, with_kind
from actions.startup import knowledge_base, server_settings
from glossary import Glossary, GlossaryEntry, load_glossary
from knowledge_base.answering import MAX_WORDS, from_page
from knowledge_base.search import KnowledgeBaseError
from knowledge_base.store import current_page_urls

log = logging.getLogger(__name__)


@cache
def glossary() -> Glossary:
    """The glossary, loaded once per process (mostly its English word list).

    A term whose page the current knowledge-base build lacks still gets its definition, with no
    link (see :func:`define`); the log names those terms so that editors can fix terms.yml.
    """
    settings = server_settings()
    loaded = load_glossary(contacts=settings.contact_numbers())
    page_urls = current_page_urls(settings.kb_dir)
    unlinked = loaded.unlinked(page_urls) if page_urls is not None else []
    if unlinked:
        log.warning(
            "%d glossary terms link to pages not in the current knowledge base: %s",
            len(unlinked),
            ", ".join(f"{entry.term} -> {entry.see_page}" for entry in unlinked),
        )
    return loaded


class ActionDefineTerm(Action):
    def name(self) -> str:
        return "action_define_term"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        question = question_of(tracker)
        entry = glossary().find(question) if question else None
        if entry is None:
            # Not a term we know: the pages may still explain it.
            return answer(dispatcher, tracker, question)
        return define(dispatcher, tracker, question, entry)


def define(
    dispatcher: CollectingDispatcher, tracker: Tracker, question: str, entry: GlossaryEntry
) -> list[dict[str, Any]]:
    """Say what the term means, in the young person's version when there is one, linked to its page."""
    text = entry.text_for(asker_of(tracker) == "young_person")
    try:
        kb = knowledge_base()
        page = kb.page(entry.see_page)
        quote = from_page(kb, question, page, MAX_WORDS - len(text.split()))
    except KnowledgeBaseError:
        log.exception("knowledge base unavailable: the definition goes alone")
        dispatcher.utter_message(text=text, json_message={"kind": DEFINITION, "sources": []})
        return [SlotSet("last_kind", "term"), SlotSet("last_query", question), SlotSet("handoff_offered", False)]
    sources = [{"title": page.title, "url": page.url, "last_updated": page.last_updated}] if page else []
    dispatcher.utter_message(text=text, json_message={"kind": DEFINITION, "sources": sources})
    events = [SlotSet("last_query", question), SlotSet("handoff_offered", False)]
    if page is None:
        return [*events, SlotSet("last_kind", "term")]
    events.append(SlotSet("last_page_url", page.doc_url))
    if not quote.text:
        # 'Tell me more' then reads on from the page that explains the term.
        return [*events, SlotSet("last_kind", "term")]
    dispatcher.utter_message(
        text=quote.text, buttons=HELPED_BUTTONS, json_message=with_kind(ANSWER, list(quote.sources))
    )
    # As after an answer: a follow-up reads on from this page and does not repeat what was quoted.
    return [
        *events,
        SlotSet("last_kind", "answer"),
        SlotSet("last_page_title", page.title),
        SlotSet("last_quoted", quote.text),
        SlotSet("services_offset", 0.0),
    ]
