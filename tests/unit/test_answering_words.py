"""How the answer-first routing reads a message: follow-ups, vague messages, judgements, disputes, services."""

from __future__ import annotations

import pytest

from knowledge_base.answering import (
    adds_detail,
    asks_about_an_unnamed_other,
    asks_about_nothing,
    asks_about_refusal,
    asks_for_a_person,
    asks_for_an_activity,
    asks_for_help_with_nothing_named,
    asks_for_judgement,
    asks_for_one_in_a_place,
    asks_for_services,
    asks_nothing,
    continues_something,
    is_follow_up,
    names_a_person,
    only_asks_for_a_person,
    question_in,
    raises_a_dispute,
    refers_back,
    sounds_worn_down,
    speaks_of_local_offer,
    too_vague,
    without_places,
)
from knowledge_base.gazetteer import with_page_words


@pytest.mark.parametrize(
    "message",
    [
        "how long does it take",
        "what if they say no",
        "and for a 17 year old?",
        "who pays for it",
        "is there one in Stroud",
    ],
)
def test_short_messages_that_lean_on_the_last_one_are_follow_ups(message: str) -> None:
    assert is_follow_up(message)


@pytest.mark.parametrize(
    "message",
    [
        "how do i ask the council for an ehc needs assessment for my daughter who is nine",
        "what is a SENCO",
        "autism groups in Stroud",
    ],
)
def test_a_question_with_its_own_subject_is_not_a_follow_up(message: str) -> None:
    assert not is_follow_up(message)


@pytest.mark.parametrize(
    "message",
    [
        "help",
        "is it for him",
        "what about that one",
        "yes",
        "can you send me the form",
        "school problem",
        "my daughter 14",
        "i need help with my kid",
        "The letter",
        "helpp pls",
        "plz help me",
        "hi, quick q about the form",
        "Good afternoon, could you send me the form please?",
        "never mind. and the thing for him?",
    ],
)
def test_messages_with_no_subject_of_their_own_are_too_vague(message: str) -> None:
    assert too_vague(message)


@pytest.mark.parametrize(
    "message",
    [
        "I need some help with my grandson",
        "we need support",
        "is this the right place to ask?",
        "hi i need some info",
        "is ther anythin near me",
        "wots on round here for kids like mine",
        "hi, need some help with my foster son",
        "shes 4. what now",
        "What about my son? He's the one I told you about.",
        "I've got a daughter and I'm wondering what we can get for her.",
    ],
)
def test_a_request_for_help_that_names_nothing_is_recognised(message: str) -> None:
    assert asks_for_help_with_nothing_named(message)


@pytest.mark.parametrize(
    "message",
    [
        "my son needs help with his EHCP",
        "best pubs in cheltenham",
        "where do i get support for dyslexia",
        "DLA help",
        "whats 15% of 80",
        "anything on in the holidays near me",
        "can I ask for any school I like",
        "I need help with my foster carer application",
        "hes autistic what help is there",
    ],
)
def test_a_request_for_help_with_something_named_is_not(message: str) -> None:
    assert not asks_for_help_with_nothing_named(message)


@pytest.mark.parametrize(
    "message", ["short breaks", "DLA", "how do i appeal", "bus pass for college", "good morning, is portage free?"]
)
def test_a_subject_word_is_enough_to_search_on(message: str) -> None:
    assert not too_vague(message)


@pytest.mark.parametrize(
    "message",
    [
        "is the school allowed to exclude him for his autism",
        "should i appeal",
        "will my son get an ehcp",
        "can the school refuse to apply",
        "school sayin they will fine me cos my son wont go in, can they do that",
        "Was it even lawful to exclude an autistic child?",
        "she has been on half days since september, surely that is not allowed",
        "they turned her down for the job because of her autism, is that discrimination",
        "can we insist on a paper copy of the draft plan",
        "is it worth appealing the transport decision",
        "would we lose carers allowance if he goes to college full time",
        "can the nursery ask parents to pay for extra staff",
        "a family on my caseload were told no, what should I advise them",
        "the senco told us he is too young for a plan. true?",
        "no review for over a year and she is 17. allowed?",
        "the college has said no to the course. what can we actually do",
        "will he need a statement to get into the unit",
        "his dad wants to know whether she should get an assessment",
        "shd i push for a specialist school",
        "shud we wait for the review or ask now",
    ],
)
def test_judgements_on_one_case_are_recognised(message: str) -> None:
    assert asks_for_judgement(message)


@pytest.mark.parametrize(
    "message",
    [
        "how do i ask for an ehc needs assessment",
        "what is an ehcp",
        "can parents apply for an ehcp",
        "what is disability discrimination",
        "who pays for school transport",
        "what can a parent do to help with reading at home",
    ],
)
def test_general_questions_are_not_judgements(message: str) -> None:
    assert not asks_for_judgement(message)


@pytest.mark.parametrize(
    "message",
    [
        "how do i complain to the school",
        "the decision is unfair",
        "can i challenge the plan",
        "how to appeal",
        "we are challenging the decision",
        "council turned down the assessment, what now",
        "the school have asked us to pay for her 1:1 on the trip",
        "we might take the council to tribunal over section i",
        "thinking of claiming disability discrimination against the academy",
        "how long does a discrimination claim take",
    ],
)
def test_complaints_and_disputes_are_recognised(message: str) -> None:
    assert raises_a_dispute(message)


@pytest.mark.parametrize(
    "message", ["what does a SENCO do", "what is a refusal to assess", "do i need to pay for the course"]
)
def test_a_plain_question_is_not_a_dispute(message: str) -> None:
    assert not raises_a_dispute(message)


@pytest.mark.parametrize(
    "message",
    [
        "what if they say no",
        "wat if they say no",
        "And if the LA refuses to assess?",
        "and if they turn me down?",
        "what if i get turned down",
        "what if the college says no",
        "and what if i still dont agree with the final one",
        "and if the council still says no after that?",
    ],
)
def test_a_decision_going_against_the_family_is_a_refusal(message: str) -> None:
    assert asks_about_refusal(message)


@pytest.mark.parametrize(
    "message",
    ["he refuses to go into school", "what if he says he doesn't want to go", "can I say no to the school they named"],
)
def test_a_child_or_parent_saying_no_is_not_a_refusal_of_the_request(message: str) -> None:
    assert not asks_about_refusal(message)


@pytest.mark.parametrize(
    "message",
    ["is there one in stroud", "any near Cheltenham?", "and in the forest of dean?", "what about in gloucester"],
)
def test_asking_for_the_same_thing_somewhere_named_is_one_in_a_place(message: str) -> None:
    assert asks_for_one_in_a_place(message)


@pytest.mark.parametrize(
    "message",
    [
        # A kind of service of its own: searched as itself.
        "is there a group in stroud for kids with speech delay",
        "Is Portage available in Tewkesbury?",
        # No district named, or only where the family lives.
        "is there one near me",
        "we live in stroud",
    ],
)
def test_a_request_that_names_its_own_kind_or_no_district_is_not_one_in_a_place(message: str) -> None:
    assert not asks_for_one_in_a_place(message)


def test_asking_whether_a_plan_is_good_enough_is_a_judgement() -> None:
    assert asks_for_judgement("section F just says 'access to OT'. is that specific enough?")


@pytest.mark.parametrize(
    ("message", "wanted"),
    [
        ("any holiday clubs in stroud", True),
        ("support groups for parents", True),
        ("I'm a health visitor, is there a speech drop-in for toddlers", True),
        ("how do I get OT for my son", False),
        ("how do i apply for a passport for my autistic son", False),
    ],
)
def test_a_kind_of_service_is_told_from_a_question(message: str, wanted: bool) -> None:
    assert asks_for_services(message) is wanted


def test_family_words_gain_the_pages_words() -> None:
    expanded = with_page_words("we think our son needs an EHCP but the school wont apply")
    assert "EHC plan" in expanded
    assert "ask the council for an EHC needs assessment" in expanded
    assert with_page_words("what is a SENCO").startswith("what is a SENCO")
    # A misspelling that is a real word is not the spelling pass's to fix.
    assert "short breaks" in with_page_words("are there short brakes for a 9 year old")


def test_the_question_of_a_long_story_is_found() -> None:
    story = (
        "Sorry this is long. My son is 7 and in Year 2 at a primary in Stonehouse. He has had support for a "
        "year, a TA some mornings and a speech group, but he is still way behind and very unhappy. "
        "Can we ask for an EHC needs assessment ourselves?"
    )
    assert question_in(story) == "Can we ask for an EHC needs assessment ourselves?"
    assert question_in("how do i appeal") is None


@pytest.mark.parametrize(
    ("message", "wanted"),
    [
        ("is it free?", True),
        ("how long does it take", True),
        ("what about the other one", True),
        ("when are the bins collected in stroud", False),
        ("how long is the wait for an autism assessment", False),
    ],
)
def test_a_message_that_points_back_is_told_from_one_that_stands_alone(message: str, wanted: bool) -> None:
    assert refers_back(message) is wanted


@pytest.mark.parametrize(
    "message",
    [
        "The school want to cut his day to mornings only. Do I have to agree to that?",
        "Does the council have to accept a private diagnosis?",
        "do i have the right to choose the college",
        "they said she needs two terms of support first, is that a legal requirement?",
        "A parent wants a special school the council says costs too much. What is the legal position?",
        "the school say its the NHS's job, the NHS say its the council's. who is actually responsible",
        "he's been suspended three times, can they keep doing this?",
        "is a school allowed to refuse him",
        "do you think they would agree to a special school",
        # Text-speak, 'reckon', a rule or an obligation checked.
        "shes 6 with downs syndrome, wud she qualify for transport?",
        "do u reckon the panel will say yes",
        "my mate said you need a diagnosis first, is that even a rule",
        "the nursery want us to pay for the 1:1 ourselves. are we legally obliged?",
    ],
)
def test_more_ways_of_asking_about_one_case_are_recognised(message: str) -> None:
    assert asks_for_judgement(message)


@pytest.mark.parametrize(
    "message",
    [
        "the draft plan leaves out his OT, what can i do",
        "how do i escalate this",
        "can we fight it",
        "and what if i still dont agree with the final one",
        "I'm not happy with section I of the plan",
    ],
)
def test_asking_what_to_do_about_a_decision_is_a_dispute(message: str) -> None:
    assert raises_a_dispute(message)


@pytest.mark.parametrize(
    "message",
    [
        "who decides if my child gets an ehcp",
        "what does a SENCO do",
        "do I have to pay for short breaks",
        "what is a personal budget",
    ],
)
def test_general_questions_are_still_not_judgements_or_disputes(message: str) -> None:
    assert not asks_for_judgement(message)
    assert not raises_a_dispute(message)


@pytest.mark.parametrize(
    "message",
    [
        "call me",
        "can someone ring me back tomorrow",
        "could you look over my draft plan before friday",
        "can i upload his ehcp for you to check",
        "I need someone to come with me to the annual review",
        "is there anyone who can represent me at the hearing",
        "I need an advocate for the tribunal hearing in March",
        "could you write to the school on my behalf",
        "the LA have been awful and I want someone to take this on for us",
        "need help with my case",
        "can u ring my mum shes got questions about my plan",
        "can someone just ring me about it im rubbish with forms",
        "could someone from SENDIASS come with me? i'd be terrified going on my own",
        "can you refer us",
        "is there someone i can talk to just me not my mum",
        "can u tell the council im appealing there decision",
        "Could you book an educational psychologist assessment for a Year 3 pupil",
        "Can you review my tribunal bundle before Friday? It's about 200 pages.",
        "would a sendiass worker be able to come to the review with us",
        "I'd like an advocate with me at my college meeting",
    ],
)
def test_a_request_for_someone_to_act_is_a_request_for_a_person(message: str) -> None:
    assert asks_for_a_person(message)


@pytest.mark.parametrize(
    "message",
    [
        "who do i call about school transport",
        "what should a draft plan have in it",
        "how do i check my dla claim",
        "what does an advocate do at a tribunal",
        "can a parent carer's assessment be done on the phone with my husband",
        "can you tell me who to talk to about transport",
        "who can refer us for an autism assessment",
    ],
)
def test_a_question_about_how_things_work_is_not(message: str) -> None:
    assert not asks_for_a_person(message)


@pytest.mark.parametrize(
    "message",
    [
        "My son has just been permanently excluded. I'm in bits. What happens now?",
        "evidence deadline is friday and im panicking",
        "i could scream honestly. 2 years of this",
        "I'm drowning in paperwork",
        "we dont know where to turn",
    ],
)
def test_a_family_worn_down_by_the_process_is_heard(message: str) -> None:
    assert sounds_worn_down(message)


@pytest.mark.parametrize(
    "message", ["what is a SENCO", "how long does an assessment take", "is there a swimming club in stroud"]
)
def test_a_plain_question_is_not_worn_down(message: str) -> None:
    assert not sounds_worn_down(message)


@pytest.mark.parametrize(
    "message",
    ["is it free?", "how long does it take", "what about that one", "who pays for it", "is that full time"],
)
def test_a_short_question_with_no_subject_of_its_own_refers_back(message: str) -> None:
    assert refers_back(message)


@pytest.mark.parametrize(
    "message", ["Who writes the EHC plan - is it the school?", "post 16 transport for send how does it work"]
)
def test_a_short_question_that_names_its_subject_does_not_refer_back(message: str) -> None:
    assert not refers_back(message)


@pytest.mark.parametrize(
    "message",
    [
        "and if they refuse?",
        "speech therapy in section F hasnt happened for 6 months",
        "It says 'access to small group support'. Is that actually okay??",
        "will the council and school accept a private diagnosis?",
    ],
)
def test_a_refusal_missing_provision_or_a_doubt_about_the_plan_gets_sendiass_too(message: str) -> None:
    assert asks_for_judgement(message) or raises_a_dispute(message)


@pytest.mark.parametrize(
    "message",
    [
        "can i talk to someone",
        "I want to speak to a real person",
        "can someone check the DLA form I've filled in before I post it?",
        "Is there someone who could sit down with me and help fill in the request?",
        "please could a SENDIASS officer contact her, she's given consent",
        "Can I book an appointment with SENDIASS through this chat?",
        "can you write my appeal for me",
        "Need SENDIASS callback",
    ],
)
def test_a_request_for_a_person_in_so_many_words(message: str) -> None:
    assert names_a_person(message)


@pytest.mark.parametrize(
    "message",
    [
        "can i bring someone with me",
        "who pays for it",
        "What does SENDIASS actually do? A friend told me to ring them.",
        "do i need some kind of assessment",
        "she says school doesn't feel safe because of the noise in the corridors. is there any help with that",
    ],
)
def test_a_question_rasa_may_read_as_wanting_a_person_names_none(message: str) -> None:
    assert not names_a_person(message)


@pytest.mark.parametrize(
    "message",
    [
        "do i have to tell my uni im autistic?",
        "SEN trampolining near Stonehouse",
        "any disabilty football teams for under 12s",
        "im dyslexic and doing my gcses next year",
        "is there a grant for a downstairs bathroom",
    ],
)
def test_a_message_about_school_disability_or_care_speaks_of_the_local_offer(message: str) -> None:
    assert speaks_of_local_offer(message)


@pytest.mark.parametrize(
    "message",
    [
        "what council tax band am i",
        "tell me a joke",
        "best pubs in the cotswolds",
        "is my uniform allowance taxed",
        "I take it for granted",
        "I know this is a SEND site but how do I register for council tax?",
        "who won the football last night",
        "Teacher here. Could you write me a Year 4 lesson plan on fractions?",
        "my car failed its MOT and I need it for the school run",
    ],
)
def test_a_clearly_unrelated_message_does_not(message: str) -> None:
    assert not speaks_of_local_offer(message)


@pytest.mark.parametrize(
    ("message", "wanted"),
    [
        ("SEN trampolining near Stonehouse", True),
        ("disability football teams for under 12s", True),
        ("is there a Brownies group that takes autistic girls", True),
        ("how long does an EHC assessment take", False),
        ("my son hates dancing in PE", True),
    ],
)
def test_a_leisure_activity_is_recognised(message: str, wanted: bool) -> None:
    assert asks_for_an_activity(message) is wanted


@pytest.mark.parametrize(
    ("message", "wanted"),
    [
        ("and for college?", True),
        ("what about in the holidays", True),
        ("quick q about the thing we talked about before", True),
        ("like you said, who do i ring", True),
        ("ok but what about him, hes older", True),
        ("right, wat about for me", True),
        ("ok but how do I ask the council for an EHC needs assessment myself", False),
        ("also my son is autistic and starting secondary, what help is there", False),
        ("how do I ask for an EHC needs assessment", False),
        ("what about a personal budget for short breaks", False),
    ],
)
def test_a_message_that_carries_on_from_an_earlier_one_is_recognised(message: str, wanted: bool) -> None:
    assert continues_something(message) is wanted


@pytest.mark.parametrize(
    ("message", "wanted"),
    [
        ("bless you, my brain is fried", True),
        ("Sorry for going on. It has been a long day.", True),
        ("my sister keeps singing in the kitchen lol", True),
        ("is there a club for him", False),
        ("he is 9. what help is there", False),
        ("can you find me a plumber", False),
        ("i need a recipe for flapjacks", False),
        ("recipe for flapjacks pls", False),
        ("best takeaway in tewkesbury", False),
        ("wen does the library open", False),
    ],
)
def test_a_message_that_asks_for_nothing_is_recognised(message: str, wanted: bool) -> None:
    assert asks_nothing(message) is wanted


@pytest.mark.parametrize("message", ["how much", "how long?", "how much is it", "is it free?", "how do i apply"])
def test_a_question_of_asking_words_alone_asks_about_nothing(message: str) -> None:
    assert asks_about_nothing(message)


@pytest.mark.parametrize(
    "message",
    ["how are you", "who are you", "ok", "what", "who pays for a solicitor", "how long does an EHC plan last"],
)
def test_a_pleasantry_or_a_question_with_a_subject_does_not(message: str) -> None:
    assert not asks_about_nothing(message)


@pytest.mark.parametrize(
    "message", ["she has an ehcp", "hes 15 btw", "the gp wrote a letter for us if that helps", "yes he is in year 9"]
)
def test_a_short_message_that_asks_nothing_adds_detail(message: str) -> None:
    assert adds_detail(message)


@pytest.mark.parametrize(
    "message",
    [
        "does that change anything?",
        "how long does it take",
        "can you tell me more about mediation",
        # A long story with no question mark is a new message, not a detail for the last one.
        "we moved here in the summer and the new school has not looked at his plan at all and the old "
        "school never sent his file over so nobody knows what he needs",
    ],
)
def test_a_question_or_a_long_story_is_not_just_a_detail(message: str) -> None:
    assert not adds_detail(message)


@pytest.mark.parametrize(
    ("message", "only"),
    [
        ("can someone go through it with me before I send my reply", True),
        ("i need someone to come with me to the annual review", True),
        ("school won't follow his plan, call me on 01632 960123, what do I do?", False),
        ("could someone ring me back please, how long is the wait for an assessment?", False),
        ("how long is the wait for an assessment", False),
    ],
)
def test_a_request_for_a_person_and_nothing_else_is_told_from_one_with_a_question(message: str, only: bool) -> None:
    assert only_asks_for_a_person(message) is only


@pytest.mark.parametrize(
    "message",
    [
        "and the other thing?",
        "what about the second one",
        "ok and the thing for her brother?",
        "never mind that. what about the other thing you mentioned",
        "and what about her brother",
        "ok what about my other one?",
    ],
)
def test_the_other_thing_names_nothing_a_page_can_be_chosen_for(message: str) -> None:
    assert asks_about_an_unnamed_other(message)


@pytest.mark.parametrize(
    "message",
    [
        "and the other form for transport?",
        "whats the other one called, the tribunal?",
        "what other support is there",
        "what about his sister, she is 17 and wants to go to college",
    ],
)
def test_another_thing_that_is_named_is_searchable(message: str) -> None:
    assert not asks_about_an_unnamed_other(message)


@pytest.mark.parametrize(
    "message", ["does that still apply once she turns 18?", "is it for 16 year olds too", "can he get it at age 19"]
)
def test_an_age_is_who_it_is_for_not_what_it_is_about(message: str) -> None:
    assert refers_back(message)


@pytest.mark.parametrize(
    "message",
    [
        "can u help me with stuff for my future",
        "I wanted to ask about the meeting",
        "what about our plan",
        "could you tell me about my son's options please",
    ],
)
def test_a_plan_or_meeting_of_the_familys_names_nothing_to_search_on(message: str) -> None:
    assert asks_for_help_with_nothing_named(message)


@pytest.mark.parametrize(
    "message", ["what is a child in need plan", "what happens at the annual review meeting", "tell me about EHC plans"]
)
def test_a_named_kind_of_plan_or_meeting_is_searchable(message: str) -> None:
    assert not asks_for_help_with_nothing_named(message)


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("portage forest of dean", "portage"),
        ("portage near cirencester", "portage"),
        ("is there a holiday club in stroud for autistic kids", "is there a holiday club for autistic kids"),
        ("what is portage", "what is portage"),
    ],
)
def test_without_places_keeps_what_a_message_is_about(message: str, subject: str) -> None:
    assert without_places(message) == subject
