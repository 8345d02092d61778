"""How the answer's sentences are chosen from a page: the most salient first, no fact twice, nothing left hanging."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from knowledge_base.answering import _choose, _paragraphs, _Section, _Sentence
from knowledge_base.lexical import word_sets
from knowledge_base.models import SearchHit
from knowledge_base.salience import SentenceFeatures


def _section(name: str, score: float, texts: list[str], start: int, scores: list[float] | None = None) -> _Section:
    passage = SearchHit(
        chunk_id=name,
        score=score,
        text=" ".join(texts),
        title="A page",
        url=f"http://demo/advice.page?id=a#{name}",
        doc_url="http://demo/advice.page?id=a",
        section=name,
        last_updated="March 2026",
        page_type="advice",
    )
    sentence_scores = scores or [score] * len(texts)
    sentences = [
        _Sentence(0, start + i, passage, i, text, s, terms)
        for i, (text, s, terms) in enumerate(zip(texts, sentence_scores, word_sets(texts), strict=True))
    ]
    return _Section(passage, score, sentences)


FILLER = "This sentence is here to take up room on the page and has twelve words."


def test_the_most_salient_sentences_come_first_and_the_answer_keeps_to_its_budget() -> None:
    best = _section("after", 0.7, ["The council decides within 4 weeks.", "You have 15 days to comment."], 0)
    other = _section("intro", 0.5, [FILLER] * 12, 2)
    chosen = _choose([other, best], budget=60)
    texts = [s.text for s in chosen]
    assert texts[:2] == ["The council decides within 4 weeks.", "You have 15 days to comment."]
    assert sum(s.words for s in chosen) <= 60


def test_a_fact_said_twice_gives_way_to_a_different_fact() -> None:
    page = _section(
        "deadlines",
        0.6,
        [
            "The council must decide within 6 weeks whether to assess.",
            "Within 6 weeks the council must decide whether it will assess.",
            "No diagnosis is needed to ask for an assessment.",
        ],
        0,
        scores=[0.9, 0.88, 0.8],
    )
    chosen = _choose([page], budget=20)
    assert [s.text for s in chosen] == [
        "The council must decide within 6 weeks whether to assess.",
        "No diagnosis is needed to ask for an assessment.",
    ]


def test_a_list_introduction_is_never_quoted_without_its_items() -> None:
    best = _section("who", 0.7, ["Anyone asked for advice must give it within 6 weeks of being asked."], 0)
    # Its introduction scores best, but the introduction and its item do not fit together.
    listed = _section(
        "list",
        0.6,
        ["You can ask for:", "- a meeting with the council and the school and everyone who works with your child"],
        1,
        scores=[0.9, 0.1],
    )
    last = _section("help", 0.5, ["Call SENDIASS for help."], 3)
    chosen = _choose([best, listed, last], budget=18)
    texts = [s.text for s in chosen]
    assert "You can ask for:" not in texts
    assert texts == ["Anyone asked for advice must give it within 6 weeks of being asked.", "Call SENDIASS for help."]


def test_a_list_item_comes_with_its_introduction() -> None:
    best = _section("who", 0.7, ["A parent can always ask."], 0)
    listed = _section(
        "list",
        0.6,
        ["These people can help:", "- a teacher at school", "- a doctor who knows them", FILLER, FILLER],
        1,
        scores=[0.1, 0.2, 0.9, 0.1, 0.1],
    )
    chosen = _choose([best, listed], budget=22)
    texts = [s.text for s in chosen]
    assert texts == [
        "A parent can always ask.",
        "These people can help:",
        "- a teacher at school",
        "- a doctor who knows them",
    ]


@pytest.mark.parametrize(
    ("before", "leaning", "budget"),
    [
        ("SENDIASS gives free advice to families.", "Call them free on 01632 960001.", 14),
        ("Many children in England have an EHC plan.", "Almost half of them go to mainstream schools.", 16),
    ],
)
def test_a_sentence_that_names_what_came_before_comes_with_it(before: str, leaning: str, budget: int) -> None:
    page = _section("help", 0.6, [FILLER, before, leaning, FILLER], 0, scores=[0.1, 0.3, 0.9, 0.1])
    chosen = _choose([page], budget=budget)
    assert [s.text for s in chosen] == [before, leaning]


@pytest.mark.parametrize(
    "bare", ["Call 0800 158 3603.", "Email send@example.org for more help.", "Ring us free on 01632 960001."]
)
def test_a_number_with_no_one_named_comes_with_the_sentence_that_says_whose_it_is(bare: str) -> None:
    # The sentence before is too long to be pulled in as a short sentence's neighbour.
    before = "SENDIASS Gloucestershire gives free, impartial advice to parents, carers and young people about SEND."
    page = _section("help", 0.6, [FILLER, before, bare, FILLER], 0, scores=[0.1, 0.2, 0.9, 0.1])
    assert [s.text for s in _choose([page], budget=20)] == [before, bare]
    # With no room for both, the number is left out rather than quoted alone.
    assert bare not in [s.text for s in _choose([page], budget=10)]


def test_a_contact_sentence_that_names_who_to_call_stands_alone() -> None:
    page = _section("help", 0.6, [FILLER, "Call SENDIASS on 0800 158 3603."], 0, scores=[0.1, 0.9])
    assert [s.text for s in _choose([page], budget=8)] == ["Call SENDIASS on 0800 158 3603."]


def _features(focus: float) -> SentenceFeatures:
    names = [f.name for f in fields(SentenceFeatures)]
    return SentenceFeatures(**{name: (focus if name == "focus" else 0.0) for name in names})


def test_a_follow_up_answer_does_not_repeat_what_was_just_said() -> None:
    said = "You can ask the council yourself. The council decides within 6 weeks."
    page = _section(
        "ask",
        0.6,
        ["You can ask the council yourself.", "Families who disagree can appeal to the SEND Tribunal.", FILLER],
        0,
        scores=[0.9, 0.5, 0.1],
    )
    chosen = _choose([page], budget=12, said=said)
    assert [s.text for s in chosen] == ["Families who disagree can appeal to the SEND Tribunal."]


def test_a_sentence_already_said_is_said_again_when_it_holds_what_the_follow_up_asks() -> None:
    said = "You can ask the council yourself. The council decides within 6 weeks."
    page = _section("ask", 0.6, ["The council decides within 6 weeks.", FILLER], 0, scores=[0.9, 0.1])
    timed = replace(page.sentences[0], features=_features(focus=1.0))
    page = _Section(page.passage, page.score, [timed, page.sentences[1]])
    chosen = _choose([page], budget=8, said=said)
    assert [s.text for s in chosen] == ["The council decides within 6 weeks."]


def test_a_list_item_quoted_with_nothing_of_its_section_before_it_is_led_in_by_the_heading() -> None:
    intro = _section("What it is", 0.6, ["A supported internship is a study programme."], 0)
    benefits = _section(
        "Benefits of a supported internship",
        0.5,
        ["- learning by doing, in a real job", "- building confidence and independence"],
        1,
    )
    chosen = [*intro.sentences, benefits.sentences[1]]
    assert _paragraphs(chosen).splitlines() == [
        "A supported internship is a study programme.",
        "Benefits of a supported internship:",
        "- building confidence and independence",
    ]
    # With a sentence of its own section before it, the item needs no heading.
    listed = _section("How it works", 0.5, ["It has three parts:", "- a job", "- a coach"], 0)
    assert _paragraphs(listed.sentences).splitlines() == ["It has three parts:", "- a job", "- a coach"]


def test_a_sentence_after_a_list_starts_a_line_of_its_own() -> None:
    # The page's list is inside one sentence; the sentence after it used to run on after its last item.
    who = _section(
        "Who can ask",
        0.6,
        [
            "Several people can ask: - a parent or carer - a young person aged 16 to 25"
            " - a school (they should talk to you first)",
            "You do not need the school to agree.",
            "The council must reply within 6 weeks.",
        ],
        0,
    )
    assert _paragraphs(who.sentences).splitlines() == [
        "Several people can ask:",
        "- a parent or carer",
        "- a young person aged 16 to 25",
        "- a school (they should talk to you first)",
        "You do not need the school to agree. The council must reply within 6 weeks.",
    ]


def test_a_list_its_introduction_counts_is_quoted_whole_or_not_at_all() -> None:
    # One of 'these two dates' alone would give a family the wrong deadline.
    deadlines = _section(
        "deadlines",
        0.7,
        [
            "You must appeal by the later of these two dates:",
            "- 2 months from the date of the decision letter",
            "- 1 month from the date of your mediation certificate",
        ],
        0,
        scores=[0.2, 0.9, 0.1],
    )
    chosen = [s.text for s in _choose([deadlines], budget=30)]
    assert chosen == [s.text for s in deadlines.sentences]
    # Without room for the whole list, none of it: not the first date alone.
    short = _section("other", 0.5, ["Call SENDIASS for help."], 3, scores=[0.3])
    assert [s.text for s in _choose([deadlines, short], budget=18)] == ["Call SENDIASS for help."]


def test_a_list_item_that_stands_for_the_items_before_it_comes_with_them() -> None:
    managed = _section(
        "How the money is managed",
        0.6,
        ["- the council holds it", "- you get it as a direct payment", "- a mix of these"],
        0,
        scores=[0.1, 0.1, 0.9],
    )
    chosen = [s.text for s in _choose([managed], budget=20)]
    assert chosen == ["- the council holds it", "- you get it as a direct payment", "- a mix of these"]


def test_a_sentence_that_opens_its_section_leaning_on_the_heading_is_led_in_by_it() -> None:
    said_no = _section("If the council says no", 0.6, ["The council must explain why.", "You can ask again."], 0)
    universal = _section("Universal activities", 0.5, ["These are clubs open to all children."], 2)
    plain = _section("What it is", 0.5, ["A short break gives carers time off."], 3)
    chosen = [said_no.sentences[0], universal.sentences[0], plain.sentences[0]]
    assert _paragraphs(chosen).splitlines() == [
        "If the council says no: The council must explain why.",
        "Universal activities: These are clubs open to all children.",
        "A short break gives carers time off.",
    ]
