"""Every dialogue journey through the running stack: gateway -> Rasa -> actions -> knowledge base.

The app database and Rasa's tracker store are the stack's own SQLite files, read back to check what
was (and was not) stored.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from typing import Any

import httpx
import pytest

from actions.fallback import close_intents
from actions.messages import INTENT_TITLES, SOMETHING_ELSE
from app_store import AppStore
from glossary import load_glossary
from knowledge_base.answering import MAX_WORDS
from tests.conftest import LiveStack

pytestmark = pytest.mark.e2e


AGE_RANGE = re.compile(r"Ages: (\d+)\s*(?:-|to)\s*(\d+)")


class Conversation:
    """One browser tab talking to the gateway."""

    def __init__(self, stack: LiveStack, audience: str = "parent") -> None:
        self.stack = stack
        self.sender = uuid.uuid4().hex
        self.audience = audience

    def say(self, message: str) -> list[dict[str, Any]]:
        response = httpx.post(
            f"{self.stack.gateway_url}/api/chat",
            json={"sender_id": self.sender, "message": message, "audience": self.audience},
            timeout=90,
        )
        assert response.status_code == 200, response.text
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m["text"] for m in messages)


def buttons_of(messages: list[dict[str, Any]]) -> list[str]:
    return [b["title"] for m in messages for b in m["buttons"]]


def sources_of(messages: list[dict[str, Any]]) -> list[str]:
    return [s["url"] for m in messages for s in m["sources"]]


def buttons_with_payloads(messages: list[dict[str, Any]]) -> dict[str, str]:
    return {b["title"]: b["payload"] for m in messages for b in m["buttons"]}


def latest_parse(stack: LiveStack, conversation: Conversation) -> dict[str, Any]:
    """What Rasa's NLU made of the conversation's latest message, read from its tracker store."""
    db = sqlite3.connect(stack.settings.var_dir / "rasa" / "tracker.sqlite")
    try:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id DESC LIMIT 1",
            (conversation.sender,),
        ).fetchall()
    finally:
        db.close()
    assert rows, "Rasa stored no user message for this conversation"
    parse: dict[str, Any] = json.loads(rows[0][0])["parse_data"]
    return parse


def escalations(stack: LiveStack, conversation: Conversation) -> list[Any]:
    store = AppStore(stack.settings.app_db_url)
    try:
        return [e for e in store.list_escalations() if e.conversation_id == conversation.sender]
    finally:
        store.close()


def kinds_of(messages: list[dict[str, Any]]) -> list[str]:
    return [m["kind"] for m in messages if m.get("kind")]


def test_a_service_question_gets_services_at_once_then_narrows_and_follows_up(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    first = chat.say("are there any autism groups for my 7 year old")
    # Need and age were given, the area was not: services at once, with the offer to choose an area.
    assert any("service.page?id=" in url for url in sources_of(first)), first
    assert "Choose an area" in buttons_of(first)
    assert "What kind of need" not in text_of(first)
    assert "How old" not in text_of(first)
    cards = chat.say("Stroud")
    assert any("service.page?id=" in url for url in sources_of(cards)), cards
    assert "Change area" in buttons_of(cards)
    assert "Ages:" in text_of(cards)
    follow_up = chat.say("and in Cheltenham?")
    urls = sources_of(follow_up)
    assert urls, follow_up
    assert any("cheltenham" in url or "countywide" in url for url in urls), urls
    older = chat.say("what about for a 17 year old?")
    ranges = [(int(low), int(high)) for low, high in AGE_RANGE.findall(text_of(older))]
    assert ranges, older
    assert all(low <= 17 <= high for low, high in ranges), ranges
    moved = chat.say("change area")
    assert "Tewkesbury" in buttons_of(moved), moved


@pytest.mark.parametrize(
    "message",
    [
        "any holiday clubs in stroud that take children with additional needs",
        "I'm a health visitor. Is there a speech and language drop-in for toddlers in Tewkesbury?",
        "support groups for parents",
    ],
)
def test_a_question_about_a_kind_of_service_is_met_with_services_not_a_form(
    live_stack: LiveStack, message: str
) -> None:
    reply = Conversation(live_stack).say(message)
    assert "services" in kinds_of(reply), reply
    assert any("service.page?id=" in url for url in sources_of(reply)), reply
    assert "clarify" not in kinds_of(reply), reply


@pytest.mark.parametrize("message", ["is there anything round here for my daughter?", "anything local for her"])
def test_a_request_for_services_that_names_nothing_is_asked_about_first(live_stack: LiveStack, message: str) -> None:
    # No kind of service, need, age or area: any three cards would be a guess.
    reply = Conversation(live_stack).say(message)
    assert kinds_of(reply) == ["clarify"], reply


def test_a_service_the_area_does_not_have_is_shown_from_elsewhere_first(live_stack: LiveStack) -> None:
    reply = Conversation(live_stack).say("any sports clubs round tewkesbury that do wheelchair basketball")
    assert "closest match is elsewhere in Gloucestershire" in text_of(reply), reply
    urls = [url for url in sources_of(reply) if "service.page?id=" in url]
    assert "wheelchair" in urls[0], urls
    assert any("tewkesbury" in url for url in urls[1:]), urls  # the area's own services still follow
    # Where the area has what was asked for, its services come first and nothing is fetched from elsewhere.
    near = Conversation(live_stack).say("is there a deaf youth club in gloucester")
    assert "elsewhere" not in text_of(near), near
    # Nothing elsewhere has what was asked for either: the area's services, not a stranger from elsewhere.
    lego = Conversation(live_stack).say(
        "my 10 yo is autistic and would literally die for a lego club lol. anything like that in cheltenham"
    )
    assert "elsewhere" not in text_of(lego), lego


def test_one_in_a_place_after_a_kind_the_area_lacks_shows_that_kind_elsewhere_first(live_stack: LiveStack) -> None:
    # 'any in stroud?' after supported internships: Stroud has none, so the county's supported
    # internship leads, not Stroud's youth club; Stroud's own services still follow.
    conversation = Conversation(live_stack, audience="young_person")
    conversation.say("what is a supported internship")
    reply = conversation.say("any in stroud?")
    assert "closest match is elsewhere in Gloucestershire" in text_of(reply), reply
    urls = [url for url in sources_of(reply) if "service.page?id=" in url]
    assert "supported-internship" in urls[0], urls
    assert any("stroud" in url for url in urls[1:]), urls


def test_a_follow_up_that_sounds_like_a_change_of_area_is_answered_not_met_with_a_form(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    first = chat.say("is there help paying for a downstairs toilet for my son, he is 9 and cant do stairs")
    assert {"answer", "tentative"} & set(kinds_of(first)), first
    # 'change' and 'house' read as a new area: with no search shown, it is a question about the answer.
    reply = chat.say("we rent from a housing association, does that change it")
    assert {"answer", "tentative", "not_sure"} & set(kinds_of(reply)), reply
    assert "Autism" not in buttons_of(reply), reply
    thanks = chat.say("ok, thanks for that")
    assert "clarify" not in kinds_of(thanks), thanks


def test_glos_is_checked_not_guessed(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("i need help finding a dyslexia group for my 9 year old")
    reply = chat.say("glos")
    assert "Gloucester" in text_of(reply)
    assert "Anywhere in Gloucestershire" in buttons_of(reply)


def test_the_area_buttons_and_glos_typed_for_the_area_fill_the_area(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("are there any autism groups for my 7 year old")
    asked = chat.say("change area")
    assert "Forest of Dean" in buttons_of(asked), asked
    # 'glos' typed for the area: asked about, and the area asked again, never guessed.
    unsure = chat.say("glos")
    assert "Do you mean Gloucester" in text_of(unsure), unsure
    assert "Anywhere in Gloucestershire" in buttons_of(unsure)
    # A button's payload carries its value: the form takes it, and the search runs with it.
    cards = chat.say('/inform{"district":"Forest of Dean"}')
    assert "in or near Forest of Dean" in text_of(cards), cards
    assert any("service.page?id=" in url for url in sources_of(cards)), cards
    # The need buttons outside the form narrow the same search, keeping the area.
    narrowed = chat.say('/inform{"need":"adhd"}')
    assert "in or near Forest of Dean" in text_of(narrowed), narrowed


def test_a_glossary_question_gets_a_short_definition_then_what_its_page_says(live_stack: LiveStack) -> None:
    reply = Conversation(live_stack).say("what does SENCO mean")
    definition, *rest = reply
    assert definition["kind"] == "definition", reply
    assert "SENCO" in definition["text"] or "special educational needs co" in definition["text"].lower()
    assert len(definition["text"].split()) <= 60
    # Then the page's own words, so the family learns more than a word's meaning; an answer's length in
    # all (a section heading that leads in a list item may add a few words).
    assert "answer" in kinds_of(rest), reply
    assert len(text_of(reply).split()) <= MAX_WORDS + 10
    assert sources_of(reply)


def test_handoff_with_consent_writes_an_escalation_without_identifiers(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("How do I ask for an EHC needs assessment?")
    offered = chat.say("my son Jack's school won't follow his EHCP, call me on 07700 900123, what do I do?")
    text = text_of(offered)
    assert live_stack.settings.sendiass_phone in text  # contacts at once, before any consent
    assert "pass this conversation" in text
    assert "confidential" not in text.lower()
    assert "07700 900123" not in text
    assert "Jack" not in text
    asked = chat.say("yes")
    assert {"Phone", "Email"} <= set(buttons_of(asked)) or "phone" in text_of(asked).lower()
    chat.say("phone")
    done = chat.say("morning")
    assert "SEND-" in text_of(done)
    rows = escalations(live_stack, chat)
    assert len(rows) == 1
    row = rows[0]
    assert row.reason == "personal_case"
    assert not row.urgent
    assert row.contact_method == "phone"
    said = " ".join(turn.text for turn in row.transcript)
    assert "[phone number]" in said
    assert "07700" not in said
    assert "Jack" not in said
    assert any("ehc-needs-assessment" in link.url for link in row.links_given)
    # The conversation goes on after the handoff.
    after = chat.say("what is an annual review")
    assert sources_of(after)


def test_a_question_about_a_person_is_answered_and_only_a_request_for_one_gets_the_handoff(
    live_stack: LiveStack,
) -> None:
    # 'someone': Rasa may read this as wanting a person; the words ask a question the pages answer.
    chat = Conversation(live_stack)
    chat.say("how do i get ready for my son's annual review meeting")
    bring = chat.say("can i bring someone with me")
    assert {"answer", "tentative"} & set(kinds_of(bring)), bring
    assert sources_of(bring), bring
    # Asked for in so many words, a person is offered at once.
    person = Conversation(live_stack).say("can i talk to someone")
    assert "handoff" in kinds_of(person), person
    assert live_stack.settings.sendiass_phone in text_of(person)


def test_a_question_that_starts_with_ok_is_answered_not_taken_as_consent(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    offered = chat.say("can i speak to a real person")
    assert "pass this conversation" in text_of(offered)
    # Rasa reads this as 'affirm'; it asks about something else, so it is no consent.
    reply = chat.say("ok, and what about help with transport to school?")
    assert {"answer", "tentative"} & set(kinds_of(reply)), reply
    assert any("transport" in url for url in sources_of(reply)), reply
    assert not {"Phone", "Email"} & set(buttons_of(reply))
    assert escalations(live_stack, chat) == []
    # The offer was left unanswered, so a later plain 'yes' passes nothing on either.
    chat.say("yes")
    assert escalations(live_stack, chat) == []


def test_a_request_for_someone_to_act_gets_sendiass_offered(live_stack: LiveStack) -> None:
    # Whatever intent Rasa gives these, only a person can do what they ask.
    for message in ("call me", "could you look over my draft plan before friday", "can you refer us"):
        reply = Conversation(live_stack).say(message)
        assert "consent" in kinds_of(reply), (message, reply)
        assert live_stack.settings.sendiass_phone in text_of(reply), (message, reply)


def test_a_question_inside_the_contact_form_is_answered_and_the_form_goes_on(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("How do I ask the council for an EHC needs assessment? the school wont do it, is that allowed?")
    form = chat.say("yes please put me in touch with them")
    assert kinds_of(form) == ["handoff"], form
    # 'gathering' once read as 'ring' and chose the phone for the family, swallowing the question.
    question = chat.say("while I wait, what evidence should I be gathering")
    assert {"answer", "tentative"} & set(kinds_of(question)), question
    assert "How would you rather talk to SENDIASS?" in text_of(question), question
    chat.say("phone")
    done = chat.say("morning")
    assert "passed this conversation to SENDIASS" in text_of(done), done
    [escalation] = escalations(live_stack, chat)
    assert (escalation.contact_method, escalation.contact_time) == ("phone", "morning")


def test_a_family_worn_down_by_the_process_is_offered_sendiass_not_called_off_topic(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("how long does an EHC needs assessment take")
    reply = chat.say("evidence deadline is friday and im panicking")
    assert "out_of_scope" not in kinds_of(reply), reply
    assert "consent" in kinds_of(reply), reply
    assert live_stack.settings.sendiass_phone in text_of(reply)


def test_news_that_ends_in_thanks_gets_thanks(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("who do i ask about an autism assessment")
    for message in ("ok rang the gp, theyre seeing him tomorrow. thank u", "Thanks, I'll have a read of that."):
        reply = chat.say(message)
        assert kinds_of(reply) == ["small_talk"], (message, reply)


def test_saying_no_to_the_handoff_passes_nothing_on(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("can i speak to a real person")
    reply = chat.say("no")
    assert "not passed anything on" in text_of(reply)
    assert live_stack.settings.sendiass_phone in text_of(reply)
    assert escalations(live_stack, chat) == []


def test_two_answers_that_did_not_help_lead_to_sendiass(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("how does school transport work")
    first = chat.say("that didn't help")
    assert "Talk to SENDIASS" in buttons_of(first)
    second = chat.say("that didn't help")
    assert "pass this conversation" in text_of(second)


def test_two_questions_the_pages_cannot_answer_lead_to_sendiass(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    first = chat.say("how do i apply for a passport for my autistic son")
    assert "not sure" in text_of(first)
    # (Learning to drive was the second question until the snapshot gained a page on driving; a
    # weighted blanket until a follow-up's page came from its own search too (ADR 0023), which finds
    # the home adaptations page, where an occupational therapist's assessment comes first.)
    second = chat.say("is there a quiet queue at the passport office")
    assert "pass this conversation" in text_of(second) or "SENDIASS" in text_of(second)


def test_a_message_about_risk_gets_the_safety_response_first_and_an_urgent_escalation(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    reply = chat.say("my daughter told me she wants to kill herself")
    first = reply[0]["text"]
    assert "999" in first
    assert live_stack.settings.front_door_phone in first
    assert "confidential" not in text_of(reply).lower()
    rows = escalations(live_stack, chat)
    assert len(rows) == 1
    assert rows[0].urgent
    assert rows[0].reason == "safety"


def test_a_message_in_polish_gets_a_notice_in_polish_first(live_stack: LiveStack) -> None:
    reply = Conversation(live_stack).say("Dzień dobry, mój syn ma autyzm i potrzebuję pomocy w szkole")
    assert live_stack.settings.sendiass_phone in reply[0]["text"]
    assert "SENDIASS" in reply[0]["text"]
    assert "English" in text_of(reply)


def test_identifiers_never_reach_rasas_tracker_store(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("my email is jo.bloggs@example.com and my son was born on 03/04/2015, what is SEN support")
    db = sqlite3.connect(live_stack.settings.var_dir / "rasa" / "tracker.sqlite")
    try:
        stored = " ".join(
            row[0]
            for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (chat.sender,))
            if row[0] is not None
        )
    finally:
        db.close()
    assert stored
    assert "jo.bloggs" not in stored
    assert "03/04/2015" not in stored


def test_young_people_are_answered_from_future_me_pages(live_stack: LiveStack) -> None:
    reply = Conversation(live_stack, audience="young_person").say("can i go to college after year 11")
    assert any("future-me" in url for url in sources_of(reply)), reply


def test_show_more_and_tell_me_more(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("any groups for children with speech and language needs, my son is 6")
    first = chat.say("anywhere")
    more = chat.say("show more")
    assert sources_of(more), more
    assert set(sources_of(more)).isdisjoint(sources_of(first))
    answered = Conversation(live_stack)
    first_answer = answered.say("How do I ask for an EHC needs assessment?")
    further = answered.say("tell me more")
    assert sources_of(further)
    assert text_of(further) != text_of(first_answer)


def test_feedback_is_kept_without_identifiers(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    reply = chat.say("i want to leave feedback: this chatbot was really useful, thanks from sarah on 07700 900456")
    assert "feedback" in text_of(reply).lower() or "thank" in text_of(reply).lower()
    store = AppStore(live_stack.settings.app_db_url)
    try:
        kept = [f for f in store.list_feedback() if f.conversation_id == chat.sender]
    finally:
        store.close()
    assert kept, "no feedback row"
    assert "07700" not in kept[0].text


def test_a_complaint_is_handed_to_sendiass_with_consent(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    offered = chat.say("i want to make a complaint about my daughter's school")
    assert live_stack.settings.sendiass_phone in text_of(offered)
    assert "complain" in text_of(offered).lower()
    assert "pass this conversation" in text_of(offered)
    chat.say("yes")
    chat.say("no thanks")
    rows = escalations(live_stack, chat)
    assert [row.reason for row in rows] == ["complaint"]


# Messages from the retrieval evaluation set that the trained model ranks close between two
# things a person comes to do (found by parsing bench/eval/questions.yml with the model). A test
# reads the model's ranking back from the tracker store rather than trusting this list, so
# retraining cannot make it pass or fail by accident; it fails if none of them is still close.
# Which rankings count as close is close_intents' rule, tested on its own in
# tests/unit/test_fallback_choices.py; here the running stack must follow it.
CLOSE_CALLS = [
    "what does a senco actually do",
    "i want to talk about my daughter and her school",
    "something about my son",
    "free benefits advice for send families cheltenham",
    "my daughter hasnt got a diagnosis yet can we still go for an ehc assessment",
    "examples of reasonable adjustments a school should make",
]


def test_close_intents_are_answered_from_the_pages_first_or_offered_as_choices(live_stack: LiveStack) -> None:
    """No intent stands between a family and an answer: a close call the pages answer is answered."""
    close = 0
    for words in CLOSE_CALLS:
        chat = Conversation(live_stack)
        reply = chat.say(words)
        parse = latest_parse(live_stack, chat)
        goals = close_intents(parse["intent_ranking"])
        if not goals:
            continue
        close += 1
        assert parse["intent"]["name"] == "nlu_fallback", parse["intent"]
        if {"answer", "tentative", "definition"} & set(kinds_of(reply)):
            assert sources_of(reply), (words, reply)
            assert "not sure what you mean" not in text_of(reply)
            continue
        assert "not sure what you mean" in text_of(reply)
        assert buttons_of(reply) == [INTENT_TITLES[goals[0]], INTENT_TITLES[goals[1]], "Something else"], (words, reply)
        # Pressing the first choice acts on what was typed, not on the button's label.
        chosen = chat.say(buttons_with_payloads(reply)[INTENT_TITLES[goals[0]]])
        assert latest_parse(live_stack, chat)["intent"]["name"] == goals[0]
        assert "not sure what you mean" not in text_of(chosen)
    assert close, "no message in CLOSE_CALLS is a close call for this model: add one that is"


def test_something_else_asks_for_other_words_and_the_next_message_is_read_afresh(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("something about my son")
    # What the fallback's 'Something else' button sends (the choices themselves depend on the model).
    again = chat.say(SOMETHING_ELSE["payload"])
    assert "different way" in text_of(again)
    assert "Talk to SENDIASS" in buttons_of(again)
    answered = chat.say("how do i ask the council for an ehc needs assessment")
    assert any("ehc-needs-assessment" in url for url in sources_of(answered)), answered


# Short messages the model is unsure of: no intent reaches the fallback threshold.
UNCLEAR = ["therapy", "what help is there", "time limit for going to the local government ombudsman"]


def test_an_unclear_message_is_tried_on_the_pages_with_sendiass_offered_when_unsure(live_stack: LiveStack) -> None:
    tried = 0
    for words in UNCLEAR:
        chat = Conversation(live_stack)
        reply = chat.say(words)
        parse = latest_parse(live_stack, chat)
        if parse["intent"]["name"] != "nlu_fallback" or close_intents(parse["intent_ranking"]):
            continue
        tried += 1
        kinds = set(kinds_of(reply))
        # A quoted answer with its source, an honest 'not sure' with the closest pages, or a question back.
        assert kinds & {"answer", "tentative", "not_sure", "clarify", "definition"}, (words, reply)
        if "not_sure" in kinds:
            assert sources_of(reply)
            assert "Talk to SENDIASS" in buttons_of(reply)
        elif kinds & {"answer", "tentative"}:
            assert sources_of(reply)
            assert "That helped" in buttons_of(reply)
    assert tried, "no message in UNCLEAR falls below the fallback threshold for this model: add one"


# SEND words typed on their own that the model cannot place (found with the model and the glossary).
BARE_WORDS = ["DLA", "Paediatrician", "Co-production", "Appointee", "Portage"]


def test_a_send_word_typed_alone_that_the_model_cannot_place_gets_its_definition(live_stack: LiveStack) -> None:
    words = load_glossary()
    defined = 0
    for word in BARE_WORDS:
        chat = Conversation(live_stack)
        reply = chat.say(word)
        if latest_parse(live_stack, chat)["intent"]["name"] != "nlu_fallback":
            continue
        entry = words.named(word)
        assert entry is not None
        defined += 1
        assert entry.definition in text_of(reply), (word, reply)
        assert sources_of(reply), reply
    assert defined, "no word in BARE_WORDS falls back with this model: add one that does"


# Issue 10: answer first, keep the thread, say enough.

REFUSAL = "can't give advice"


def test_a_first_person_question_is_answered_not_refused(live_stack: LiveStack) -> None:
    reply = Conversation(live_stack).say(
        "we think our 12 year old needs an EHCP but the school wont apply, can parents do it"
    )
    assert REFUSAL not in text_of(reply).lower()
    assert {"answer", "tentative"} & set(kinds_of(reply)), reply
    assert any("ehc-needs-assessment" in url for url in sources_of(reply)), reply
    answer = next(m for m in reply if m.get("kind") in ("answer", "tentative") and m["sources"])
    # Enough to act on: more than a sentence or two, and each source has its date.
    assert len(answer["text"].split()) >= 40, answer
    assert all(source["last_updated"] for source in answer["sources"])


def test_a_judgement_on_one_case_gets_the_general_rule_and_sendiass_in_the_same_reply(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    reply = chat.say("is the school allowed to exclude my son because of his autism?")
    kinds = kinds_of(reply)
    assert {"answer", "tentative"} & set(kinds), reply
    assert "consent" in kinds, reply
    # The general rule first, then the offer for their own situation.
    assert kinds.index("consent") > max(kinds.index(k) for k in ("answer", "tentative") if k in kinds)
    assert live_stack.settings.sendiass_phone in text_of(reply)
    assert "Yes, pass it on" in buttons_of(reply)
    # The offer is real: saying yes starts the consent flow.
    asked = chat.say("yes")
    assert "phone" in text_of(asked).lower() or {"Phone", "Email"} <= set(buttons_of(asked))


def test_a_complaint_gets_the_route_from_the_pages_then_sendiass(live_stack: LiveStack) -> None:
    reply = Conversation(live_stack).say("how do i complain about my daughter's school not following her plan")
    assert {"answer", "tentative"} & set(kinds_of(reply)), reply
    assert any("complain" in url or "disagreement" in url for url in sources_of(reply)), reply
    assert "consent" in kinds_of(reply)


def test_a_three_turn_conversation_keeps_its_thread(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    first = chat.say("How do I ask for an EHC needs assessment?")
    assert any("ehc-needs-assessment" in url for url in sources_of(first)), first
    second = chat.say("how long does it take")
    # Read as 'how long does an EHC needs assessment take', not as small talk or off-topic.
    assert {"answer", "tentative"} & set(kinds_of(second)), second
    assert "out_of_scope" not in kinds_of(second)
    assert re.search(r"\b\d+ weeks\b", text_of(second)), second
    assert any("ehc" in url or "assessment" in url for url in sources_of(second)), second
    third = chat.say("what if they say no")
    assert {"answer", "tentative"} & set(kinds_of(third)), third
    # The refusal route for the assessment, first: not the page that explained how to ask.
    assert "refused-assessment" in sources_of(third)[0], third


def test_is_there_one_in_a_place_after_an_answer_gets_that_kind_of_service_there(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    first = chat.say("what are short breaks")
    assert any("short-breaks" in url for url in sources_of(first)), first
    there = chat.say("is there one in stroud")
    # Cards of the kind the conversation is about, in the area named; not the page just given again.
    assert "services" in kinds_of(there), there
    assert not any("short-breaks" in url for url in sources_of(there)), there
    assert any("stroud-send-holiday-farm" in url for url in sources_of(there)), there
    assert "in or near Stroud" in text_of(there), there


def quoted_sentences(messages: list[dict[str, Any]]) -> set[str]:
    """The sentences the reply quotes from the pages (its messages with sources), not the bot's own."""
    quoted = " ".join(m["text"] for m in messages if m["sources"])
    return {sentence for sentence in re.split(r"(?<=[.!?])\s+|\n", quoted) if sentence.strip()}


def test_a_follow_up_answer_says_something_new(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    first = chat.say("my son is 9, school say he doesnt need an ehcp. can i apply myself?")
    assert {"answer", "tentative"} & set(kinds_of(first)), first
    said = quoted_sentences(first)
    assert said, first
    for follow_up in ("how long does it take", "what if they say no"):
        reply = chat.say(follow_up)
        assert {"answer", "tentative"} & set(kinds_of(reply)), (follow_up, reply)
        again = quoted_sentences(reply) & said
        # Only a sentence holding the time asked for may be said twice.
        assert all(re.search(r"\d", sentence) for sentence in again), (follow_up, again)
        said |= quoted_sentences(reply)


def test_a_request_for_someone_to_act_mid_conversation_keeps_the_thread(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    first = chat.say("The draft plan arrived and section F is just vague waffle. Is that acceptable??")
    assert {"answer", "tentative"} & set(kinds_of(first)), first
    person = chat.say("can someone go through it with me before I send my reply")
    # Only a person can do that: SENDIASS, not a guess at a page.
    assert "handoff" in kinds_of(person), person
    assert not {"answer", "tentative"} & set(kinds_of(person)), person
    chat.say("no thanks")
    deadline = chat.say("whats the deadline for that again")
    assert {"answer", "tentative"} & set(kinds_of(deadline)), deadline
    assert re.search(r"\b15 days\b", text_of(deadline)), deadline


def test_that_helped_is_thanked(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("how do annual reviews work")
    for message in ("/answer_helped", "that really helped, thank you"):
        assert kinds_of(chat.say(message)) == ["small_talk"], message


@pytest.mark.parametrize(
    ("opening", "first_page", "follow_up", "page"),
    [
        (
            "The council wants to stop my son's EHC plan",
            "ceasing-a-plan",
            "what happens at the annual review",
            "annual-reviews",
        ),
        (
            "the council says they will cease my daughters ehcp",
            "ceasing-a-plan",
            "and what about the annual review",
            "annual-reviews",
        ),
    ],
)
def test_a_short_follow_up_that_names_a_new_subject_is_answered_from_its_page(
    live_stack: LiveStack, opening: str, first_page: str, follow_up: str, page: str
) -> None:
    # Searched with the topic alone, both stayed on the page just given (ADR 0023).
    chat = Conversation(live_stack)
    first = chat.say(opening)
    assert any(first_page in url for url in sources_of(first)), first
    second = chat.say(follow_up)
    assert {"answer", "tentative"} & set(kinds_of(second)), second
    assert sources_of(second)[0].split("#")[0].endswith(page), sources_of(second)


@pytest.mark.parametrize(
    ("message", "audience", "page"),
    [
        ("any holiday clubs in stroud that take children with additional needs", "parent", "leisure"),
        # Rasa reads it as a service request; no passage is near, but every word is the pages'.
        ("portage service cinderford?", "parent", "early-support-home-visiting"),
        # Rasa reads it as off-topic; the directory has no job coach, Future Me's page on jobs does.
        (
            "can i get a job coach if i get a part time job? im 20 and autistic, "
            "got a maybe offer at a garden centre near stroud",
            "young_person",
            "future-me-jobs",
        ),
    ],
)
def test_a_kind_of_service_a_page_explains_gets_that_page_first_then_the_cards(
    live_stack: LiveStack, message: str, audience: str, page: str
) -> None:
    reply = Conversation(live_stack, audience).say(message)
    kinds = kinds_of(reply)
    # What the page says about it, then the directory's cards.
    assert kinds[0] in ("answer", "tentative"), reply
    assert page in sources_of(reply)[0], reply
    assert "services" in kinds, reply
    assert any("service.page?id=" in url for url in sources_of(reply)), reply
    assert kinds.index("services") > kinds.index(kinds[0])


def test_the_service_the_request_itself_finds_leads_the_cards_and_show_more_keeps_the_order(
    live_stack: LiveStack,
) -> None:
    chat = Conversation(live_stack)
    reply = chat.say("respit for disabeld kids whats avalable in stroud?")
    cards = [url for url in sources_of(reply) if "service.page?id=" in url]
    # The holiday activity days, which a search for the message alone puts first, not a group for
    # autistic girls that the cards' wider search ranks above it.
    assert "stroud-send-holiday-farm" in cards[0], cards
    more = [url for url in sources_of(chat.say("show more")) if "service.page?id=" in url]
    assert more, more
    assert not set(more) & set(cards), (cards, more)


def test_a_follow_up_after_a_service_search_stays_on_services(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    chat.say("autism groups in gloucester")
    follow_up = chat.say("what about for a 15 year old?")
    assert "services" in kinds_of(follow_up) or "not_sure" in kinds_of(follow_up), follow_up
    assert "out_of_scope" not in kinds_of(follow_up)


@pytest.mark.parametrize(
    ("message", "page"),
    [
        ("what does the family information service do", ("family-information-service",)),
        # Two pages are about getting ready for a meeting ('Getting ready for a meeting at school' is
        # the one the crawler's flaky-fetch test uses); either answers it.
        ("how do i get ready for my son's annual review meeting", ("meeting", "flaky-page-example")),
        ("what is the local offer", ("local-offer",)),
    ],
)
def test_questions_about_the_local_offer_itself_are_in_scope(
    live_stack: LiveStack, message: str, page: tuple[str, ...]
) -> None:
    reply = Conversation(live_stack).say(message)
    assert "out_of_scope" not in kinds_of(reply), reply
    assert any(p in url for url in sources_of(reply) for p in page), reply


def test_a_pleasantry_that_also_asks_something_is_answered(live_stack: LiveStack) -> None:
    # Rasa reads both of these as bot_challenge; only the second asks anything of the pages.
    chat = Conversation(live_stack)
    assert kinds_of(chat.say("are you a bot")) == ["small_talk"]
    reply = chat.say("are you a real person? I need to know about appeals deadlines")
    assert {"answer", "tentative"} & set(kinds_of(reply)), reply
    assert any("appeals" in url for url in sources_of(reply)), reply
    # After an answer, a short thanks is thanks, not a follow-up question about the page.
    assert kinds_of(chat.say("ok thanks")) == ["small_talk"]


def test_a_question_rasa_reads_as_off_topic_is_answered_when_a_page_is_clearly_about_it(live_stack: LiveStack) -> None:
    # Rasa's intent classifier calls this out_of_scope; a passage on the early-years page is about it
    # (cosine above ON_TOPIC_COSINE), so the page is quoted, tentatively.
    reply = Conversation(live_stack).say("when is the 2 year check")
    assert "out_of_scope" not in kinds_of(reply), reply
    assert {"answer", "tentative"} & set(kinds_of(reply)), reply
    assert any("early-years-needs" in url for url in sources_of(reply)), reply


@pytest.mark.parametrize(
    ("message", "page"),
    [
        ("Health visitor here. What is portage and who is it for?", ("early-support-home-visiting",)),
        # The home adaptations page (the Disabled Facilities Grant) answers it since the snapshot gained it.
        ("We need a ramp and a wet room for our son. Is there a grant?", ("home-adaptations", "wheelchair-service")),
    ],
)
def test_a_question_near_the_pages_with_nothing_foreign_to_them_is_never_off_topic(
    live_stack: LiveStack, message: str, page: tuple[str, ...]
) -> None:
    # Rasa reads both as out_of_scope and no page answers them with confidence; but the pages are
    # near and every word is one they use, so the family gets the closest pages, not 'off-topic'.
    reply = Conversation(live_stack).say(message)
    assert "out_of_scope" not in kinds_of(reply), reply
    assert {"answer", "tentative", "not_sure"} & set(kinds_of(reply)), reply
    assert any(p in url for url in sources_of(reply) for p in page), reply


@pytest.mark.parametrize(
    "message",
    [
        "when are the bins collected in stroud",
        "tell me a joke about cats",
        "whats the best pizza place in coleford",
        "who won the football last night",
    ],
)
def test_clearly_unrelated_messages_are_out_of_scope(live_stack: LiveStack, message: str) -> None:
    reply = Conversation(live_stack).say(message)
    assert kinds_of(reply) == ["out_of_scope"], reply
    assert not sources_of(reply)


def test_a_question_the_family_calls_unrelated_is_off_topic_and_the_thread_is_kept(live_stack: LiveStack) -> None:
    # 'school' and 'council' are Local Offer words, and Rasa may read the message as a question
    # about their case; but they said it is unrelated, and no page answers it.
    chat = Conversation(live_stack)
    first = chat.say("how do i ask for an ehc needs assessment")
    assert "ehc-needs-assessment" in " ".join(sources_of(first)), first
    for aside in (
        "unrelated but does the council grit the road up to our school when it snows",
        "random q but whats a good cheap tablet for a 10 year old",
    ):
        reply = chat.say(aside)
        assert kinds_of(reply) == ["out_of_scope"], (aside, reply)
    # The topic is still the assessment, for the next follow-up.
    follow_up = chat.say("how long does it take")
    assert "out_of_scope" not in kinds_of(follow_up), follow_up
    assert any("ehc" in url for url in sources_of(follow_up)), follow_up
    # An aside the pages clearly answer is answered.
    answered = Conversation(live_stack).say("random question but how do short breaks work for disabled children")
    assert "short-breaks" in " ".join(sources_of(answered)), answered


@pytest.mark.parametrize(
    "message", ["sorry for all the questions", "apologies for the rant earlier, its been a long week"]
)
def test_sorry_for_asking_gets_a_kind_word_not_the_off_topic_reply(live_stack: LiveStack, message: str) -> None:
    chat = Conversation(live_stack)
    chat.say("how do i ask for an ehc needs assessment")
    reply = chat.say(message)
    assert kinds_of(reply) == ["small_talk"], reply
    assert "sorry" in text_of(reply).lower(), reply


@pytest.mark.parametrize("message", ["honestly my brain is fried today", "sorry for rambling, long week", "bless you"])
def test_a_remark_that_asks_for_nothing_gets_small_talk_not_the_off_topic_reply(
    live_stack: LiveStack, message: str
) -> None:
    chat = Conversation(live_stack)
    chat.say("how do i ask for an ehc needs assessment")
    reply = chat.say(message)
    assert kinds_of(reply) == ["small_talk"], reply


@pytest.mark.parametrize(
    "message", ["SEN trampolining near Stonehouse", "any disabilty football teams for under 12s near bishops cleeve"]
)
def test_a_leisure_activity_for_a_child_gets_services_whatever_rasa_reads(live_stack: LiveStack, message: str) -> None:
    # Rasa reads these as out_of_scope, and no advice page is near; they ask the directory for a
    # kind of activity, so the family gets its cards, narrowed by the place.
    reply = Conversation(live_stack).say(message)
    assert "services" in kinds_of(reply), reply
    assert "out_of_scope" not in kinds_of(reply), reply


@pytest.mark.parametrize(
    "message", ["do i have to tell my uni im autistic?", "im dyslexic and doing gcses next year, can i get extra time"]
)
def test_a_question_about_send_that_no_page_answers_is_never_off_topic(live_stack: LiveStack, message: str) -> None:
    # No passage is near (cosine under RELATED_MIN_COSINE), but the words are the Local Offer's
    # world: the closest pages and SENDIASS, not 'I can only help with SEND'.
    reply = Conversation(live_stack).say(message)
    assert "out_of_scope" not in kinds_of(reply), reply
    assert any("SENDIASS" in (m.get("text") or "") or m.get("buttons") for m in reply), reply


@pytest.mark.parametrize(
    "message",
    [
        "help",
        "is it for him",
        "my son",
        "idk what to do",
        "how long does it take",
        "is it free?",
        "school problem",
        # Each carries on from something this conversation has not said.
        "and for college?",
        "quick q about the thing we talked about before",
        # Asking words alone, and 'that' with no answer before it to be about.
        "how much",
        "does that count",
        # Read by Rasa as a 'no', but it asks what to do next about something not yet said.
        "they said no. now what",
        # About the family, so never off-topic or small talk, but nothing named to search on.
        "I need some help with my grandson",
        "we need support",
        # A Local Offer subject alone, or the family and nothing else: too little to search on.
        "money?",
        "Hello, I have a question about my daughter.",
        # Which plan, which meeting: the family's own, with nothing to say what kind.
        "can you tell me about my plan",
        "I need to ask about the meeting",
    ],
)
def test_a_message_too_vague_to_act_on_gets_a_question_back(live_stack: LiveStack, message: str) -> None:
    reply = Conversation(live_stack).say(message)
    assert "clarify" in kinds_of(reply), reply


def test_a_no_that_asks_something_continues_the_topic_and_a_bare_no_is_let_be(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack)
    first = chat.say("can i ask the council for an ehc needs assessment myself")
    assert {"answer", "tentative"} & set(kinds_of(first)), first
    reply = chat.say("they said no. now what")
    assert {"answer", "tentative"} & set(kinds_of(reply)), reply
    assert "small_talk" not in kinds_of(reply), reply
    bare = Conversation(live_stack).say("no")
    assert kinds_of(bare) == ["small_talk"], bare


def test_a_follow_up_with_no_marker_word_continues_the_topic(live_stack: LiveStack) -> None:
    # Neither message says 'and' or 'what about', and alone neither finds a page; both bring no
    # subject of their own, so each is read with the conversation's topic.
    chat = Conversation(live_stack)
    first = chat.say("how many free childcare hours can we get for a 2 year old")
    assert {"answer", "tentative"} & set(kinds_of(first)), first
    for follow_up in ("im not working though", "how do we apply"):
        reply = chat.say(follow_up)
        assert {"answer", "tentative"} & set(kinds_of(reply)), (follow_up, reply)
        assert "out_of_scope" not in kinds_of(reply)
    # A message with a subject no page has stays off-topic inside a conversation too.
    joke = chat.say("tell me a joke about penguins")
    assert not sources_of(joke), joke


def test_a_follow_up_with_a_word_of_its_own_stays_in_the_conversation(live_stack: LiveStack) -> None:
    # 'barrister', 'grandad', 'zoom' are words no page uses, so the follow-up test by words alone
    # called these off-topic; no off-topic example is nearer them than the Local Offer, so in a
    # conversation about an appeal they are read with its topic.
    chat = Conversation(live_stack)
    first = chat.say("how do i appeal to the tribunal about my sons ehcp")
    assert "appeals" in " ".join(sources_of(first)), first
    for follow_up in (
        "do we need a barrister",
        "can grandad come along to the hearing",
        "my partner works nights, can it be on a zoom call",
    ):
        reply = chat.say(follow_up)
        assert "out_of_scope" not in kinds_of(reply), (follow_up, reply)
        assert {"answer", "tentative"} & set(kinds_of(reply)), (follow_up, reply)
    # Something clearly unrelated is still off-topic in the same conversation.
    weather = chat.say("whats the weather like in cheltenham tomorrow")
    assert kinds_of(weather) == ["out_of_scope"], weather


def test_ordinary_follow_ups_never_get_the_safety_response(live_stack: LiveStack) -> None:
    chat = Conversation(live_stack, audience="young_person")
    replies = [chat.say(words) for words in ("what jobs can i do with an ehcp", "i cant find a job", "how long")]
    for reply in replies:
        assert "safety" not in kinds_of(reply), reply
        assert live_stack.settings.front_door_phone not in text_of(reply)


def test_the_safety_response_still_comes_first_inside_an_ordinary_question(live_stack: LiveStack) -> None:
    reply = Conversation(live_stack).say("my son said tonight he wants to kill himself, how do we get help from CAMHS")
    assert reply[0].get("kind") == "safety"
    assert "999" in reply[0]["text"]
