"""Which messages only thank, praise or apologise (a pleasantry back) and which still ask something."""

from __future__ import annotations

import pytest

from actions.conversation import is_an_apology, is_thanks_or_acknowledgement


@pytest.mark.parametrize(
    "message",
    [
        "thanks",
        "ok rang 111 theyre arranging someone to see him tomorrow. thank u",
        "Thanks, I'll have a read of that.",
        "nice one",
        "brilliant thank you so much youve been really helpful",
        "cheers mate",
        "ok cool",
        "ok thx",
        "Great, that's all for now",
        "thats amazing, nobody at school told us any of this",
        "this is so useful ta",
        "Thank you for being so patient with me.",
        "honestly better than the phone line cheers",
        "ok. ill phone them now",
        "right, calling them back now",
        "youre a star, honestly",
        "Afternoon. Thanks for the advice on the bursary, really useful for our students.",
    ],
)
def test_thanks_and_acknowledgements_are_pleasantries(message: str) -> None:
    assert is_thanks_or_acknowledgement(message)


@pytest.mark.parametrize(
    "message",
    [
        "thanks, and what about transport",
        "thanks. how long does it take?",
        "thank you, can someone ring me",
        "great, I need help with the form",
        "my son has been refused transport",
        "is that it for appeals",
        "what about transport, thats all",
        "thats great but who do i send it to",
        "brilliant, so what happens at the meeting",
        "ill ring them tomorrow, whats the number",
        "ill try that but the school just wont listen",
        "im going to tell the school hes autistic",
        "thanks for the info. is there a form for it",
    ],
)
def test_a_message_that_still_asks_something_is_not(message: str) -> None:
    assert not is_thanks_or_acknowledgement(message)


@pytest.mark.parametrize(
    "message",
    [
        "sorry for all the questions",
        "Sorry about the rant earlier, the last few weeks have been a lot.",
        "soz for going on",
        "apologies for the long message",
        "so sorry if I'm bothering you",
    ],
)
def test_sorry_for_the_conversation_itself_is_an_apology(message: str) -> None:
    assert is_an_apology(message)


@pytest.mark.parametrize(
    "message",
    [
        "sorry for all the questions but who pays for the transport",
        "sorry for going on, can someone ring me",
        "sorry, I meant the college not the school",
        "sorry to hear that",
        "Sorry if this is a silly question but is a My Plan the same as an EHCP?",
        "sorry for asking so many questions, what does SENCO stand for?",
    ],
)
def test_sorry_with_a_question_or_about_something_else_is_not(message: str) -> None:
    assert not is_an_apology(message)
