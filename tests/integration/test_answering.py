"""Answers composed from a small real build: the page's own sentences, in order, enough of them, read with the topic."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from ingestion.models import Chunk
from knowledge_base.answering import (
    MAX_WORDS,
    Topic,
    answer,
    clearly_unrelated,
    compose,
    continues_the_topic,
    could_follow_on,
    is_a_remark,
    query_vector,
    query_vectors,
    uses_only_page_words,
    wants_the_directory,
)
from knowledge_base.build import build_knowledge_base
from knowledge_base.confidence import Calibration
from knowledge_base.embedding import Embedder
from knowledge_base.gazetteer import with_page_words
from knowledge_base.search import KnowledgeBase

BASE = "http://demo/kb5/gloucs/glosfamilies/advice.page?id="
# Pages written for this test in the shape of the snapshot's: several sections each.
PAGES = {
    "ehc-needs-assessment": (
        "Asking for an EHC needs assessment",
        [
            (
                "",
                "An EHC needs assessment is a close look at a child's special educational needs. "
                "It is the first step towards an EHC plan.",
            ),
            (
                "Who can ask",
                "A parent or carer can ask the council for an assessment. A young person aged 16 to 25 can ask "
                "for themselves. You do not need the school to agree with you.",
            ),
            (
                "How to ask",
                "You ask the council in writing. A letter or an email is fine. Keep a copy and note the date.",
            ),
            (
                "What happens next",
                "Within 6 weeks of your request, the council must tell you in writing whether it will assess. "
                "The whole process should take no more than 20 weeks.",
            ),
        ],
    ),
    "school-transport": (
        "Help with travel to school",
        [
            (
                "",
                "Some children with SEND can get free travel to school. The council's policy explains who can get it.",
            ),
            ("Applying", "You apply to the council. Apply before the school year starts."),
        ],
    ),
    "annual-reviews": (
        "Annual reviews of EHC plans",
        [
            (
                "",
                "Every EHC plan must be reviewed at least once a year. The review checks whether the support "
                "is working and whether the outcomes still fit. Families often find the meeting helpful.",
            ),
            (
                "Before the meeting",
                "The school asks for reports from everyone who works with your child. Reports must be sent to "
                "you at least 2 weeks before the meeting. Read them and note anything you disagree with.",
            ),
            (
                "At the meeting",
                "You, your child, the school and the professionals talk about progress. Everyone says what is "
                "working and what is not. The meeting agrees whether to keep, change or end the plan.",
            ),
            (
                "After the meeting",
                "The school sends a report of the review to everyone within 2 weeks of the meeting. The council "
                "then has 4 weeks to tell you whether it will keep, change or end the plan. If it wants to change "
                "the plan, you have 15 days to comment on the proposed changes.",
            ),
            (
                "Getting help",
                "Many parents bring a friend or a supporter to the meeting. SENDIASS can help you prepare, and "
                "can sometimes come with you. Their advice is free and does not take sides.",
            ),
        ],
    ),
    "short-breaks": (
        "Short breaks",
        [
            ("", "Short breaks give disabled children time to have fun and give their families a rest."),
            ("Who can get them", "Short breaks are for children and young people with a disability, aged 0 to 18."),
        ],
    ),
}


def _chunks() -> list[Chunk]:
    chunks = []
    for page_id, (title, sections) in PAGES.items():
        url = f"{BASE}{page_id}"
        for section, text in sections:
            chunks.append(
                Chunk(
                    chunk_id=hashlib.sha256(f"{page_id}{section}".encode()).hexdigest()[:20],
                    doc_url=url,
                    url=url,
                    title=title,
                    section=section,
                    text=text,
                    page_type="advice",
                    last_updated="March 2026",
                    embed_text=f"{title}: {section}: {text}",
                )
            )
    return chunks


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    root: Path = tmp_path_factory.mktemp("kb")
    build_knowledge_base(_chunks(), {}, root, "demo", Embedder(), documents=len(PAGES), show_progress=False)
    opened = KnowledgeBase.load(root)
    # The real calibration is fitted on the whole snapshot; this small build is judged leniently so that
    # the tests look at composition, not at the confidence model.
    opened.calibration = Calibration(
        features=("top_cosine",), coefficients=(40.0,), intercept=-16.0, threshold=0.6, tentative_threshold=0.3
    )
    yield opened
    opened.close()


def _page_text(page_id: str) -> str:
    return " ".join(text for _, text in PAGES[page_id][1])


def test_an_answer_is_the_pages_own_sentences_in_page_order(kb: KnowledgeBase) -> None:
    found = answer(kb, "can i ask for an ehc needs assessment myself and how long does it take", "parent")
    assert found.verdict != "not_sure"
    assert found.sources[0].doc_url.endswith("ehc-needs-assessment")
    page = _page_text("ehc-needs-assessment")
    sentences = [s for s in re.split(r"(?<=[.?!])\s+|\n", found.text) if s.strip()]
    positions = [page.find(s.strip()) for s in sentences]
    assert all(p >= 0 for p in positions), found.text
    assert positions == sorted(positions), found.text
    assert len(found.text.split()) <= MAX_WORDS


def test_an_answer_gathers_the_sections_the_question_touches(kb: KnowledgeBase) -> None:
    found = answer(kb, "can a parent ask for an EHC needs assessment, and how long does it take?", "parent")
    assert "parent or carer can ask" in found.text
    assert "6 weeks" in found.text


def test_a_follow_up_is_read_with_the_last_question(kb: KnowledgeBase) -> None:
    alone = answer(kb, "how long does it take", "parent")
    followed = answer(kb, "how long does it take", "parent", Topic("how do i ask for an ehc needs assessment"))
    assert followed.followed_topic
    assert not alone.followed_topic
    assert followed.sources[0].doc_url.endswith("ehc-needs-assessment")
    assert "weeks" in followed.text


def test_a_follow_up_answer_is_never_called_certain(kb: KnowledgeBase) -> None:
    # The topic's words raise the confidence score whichever page the follow-up lands on.
    topic = Topic("how do i ask for an ehc needs assessment", "Asking for an EHC needs assessment")
    for message in ("how long does it take", "who decides", "what if they say no"):
        found = answer(kb, message, "parent", topic)
        assert found.followed_topic
        assert found.verdict == "tentative", (message, found.confidence)


def test_a_follow_up_that_would_only_repeat_what_was_said_moves_to_another_page(kb: KnowledgeBase) -> None:
    # The topic's answers have quoted the whole assessment page: the same words again would be no answer.
    topic = Topic(
        "how do i ask for an ehc needs assessment",
        "Asking for an EHC needs assessment",
        _page_text("ehc-needs-assessment"),
    )
    found = answer(kb, "how long does it take", "parent", topic)
    assert found.followed_topic
    assert found.text
    assert not found.sources[0].doc_url.endswith("ehc-needs-assessment"), found.text


def test_a_tentative_answer_shares_its_words_with_a_second_page_nearly_as_close(kb: KnowledgeBase) -> None:
    question = "how long does an assessment take and what happens at the annual review"
    vector = query_vector(kb, question)
    hits = kb.search(question, k=10).hits
    first = hits[0]
    others = [hit for hit in hits if hit.doc_url != first.doc_url]
    sure_text, sure_sources = compose(kb, vector, first, others, question)
    unsure_text, unsure_sources = compose(kb, vector, first, others, question, tentative=True)
    assert len({hit.doc_url for hit in sure_sources}) == 1, sure_text
    # Not certain of the first page: the two likeliest pages are quoted, the first one first.
    assert [hit.doc_url for hit in unsure_sources][:1] == [first.doc_url]
    assert len({hit.doc_url for hit in unsure_sources}) == 2, unsure_text
    assert len(unsure_text.split()) <= MAX_WORDS
    second_page = _page_text(unsure_sources[1].doc_url.rsplit("=", 1)[-1])
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+|\n", unsure_text) if s.strip()]
    assert any(sentence in second_page for sentence in sentences), unsure_text
    # The second page's part is led in by its title.
    lead_ins = [line for line in unsure_text.splitlines() if line.startswith("From '")]
    assert lead_ins == [f"From '{unsure_sources[1].title}':"], unsure_text


def test_a_message_nothing_in_the_pages_is_about_is_unrelated(kb: KnowledgeBase) -> None:
    found = answer(kb, "who won the football last night", "parent")
    assert not found.related


def test_every_quoted_page_is_cited_with_its_date(kb: KnowledgeBase) -> None:
    found = answer(kb, "free travel to school for my son", "parent")
    assert found.sources
    assert all(source.last_updated == "March 2026" for source in found.sources)
    assert found.sources[0].doc_url.endswith("school-transport")


def test_the_sentence_that_answers_is_quoted_whole_within_120_words(kb: KnowledgeBase) -> None:
    # 'Getting help' answers it: the sentence that says who helps is quoted, among the page's other
    # whole sentences (the salience model chooses them one by one, ADR 0021), never a cut one.
    found = answer(kb, "who can help me prepare for the annual review meeting", "parent")
    assert found.sources[0].doc_url.endswith("annual-reviews")
    assert "SENDIASS can help you prepare, and can sometimes come with you." in found.text, found.text
    page = " ".join(text for _, text in PAGES["annual-reviews"][1])
    quoted = [s.strip() for s in re.split(r"(?<=[.?!])\s+|\n", found.text) if s.strip()]
    assert all(sentence in page for sentence in quoted), found.text
    assert len(found.text.split()) <= 120


def test_a_story_ending_in_a_question_with_no_subject_is_searched_as_the_story(kb: KnowledgeBase) -> None:
    story = (
        "My son has been sent home from school three times this month because of his behaviour. They ring me "
        "at eleven and tell me to collect him. He has ADHD and an EHC plan and nobody has written anything down. "
        "Can they actually do that?"
    )
    assert np.allclose(query_vector(kb, story), kb.embed(with_page_words(story)))
    asked = story.replace(
        "Can they actually do that?", "Is a school allowed to send a child home without an exclusion?"
    )
    assert not np.allclose(query_vector(kb, asked), kb.embed(with_page_words(asked)))
    # Embedded in a batch (the benches' thousands of questions), each is the vector it gets alone.
    together = query_vectors(kb, [story, asked, "short breaks in stroud", story])
    alone = [query_vector(kb, text) for text in (story, asked, "short breaks in stroud", story)]
    assert together.shape == (4, len(alone[0]))
    assert all(np.allclose(row, vector, atol=1e-5) for row, vector in zip(together, alone, strict=True))
    assert query_vectors(kb, []).shape == (0, len(alone[0]))


@pytest.mark.parametrize("message", ["how do we apply", "im not working though", "who can ask for one then"])
def test_a_message_with_no_subject_of_its_own_can_follow_on(kb: KnowledgeBase, message: str) -> None:
    assert could_follow_on(kb, message)


@pytest.mark.parametrize(
    "message",
    [
        "tell me a joke",
        "weather tmrw gloucester",
        "how do i renew my passport",
        "",
        "how do I ask " + "the school " * 6,
    ],
)
def test_a_message_with_a_subject_no_page_has_or_a_long_one_does_not(kb: KnowledgeBase, message: str) -> None:
    assert not could_follow_on(kb, message)


@pytest.mark.parametrize(
    "message", ["when is my bin collection", "whats the weather tomorrow", "tell me a joke about penguins"]
)
def test_a_message_nearer_an_off_topic_example_than_the_pages_is_clearly_unrelated(
    kb: KnowledgeBase, message: str
) -> None:
    assert clearly_unrelated(kb, message)
    assert not continues_the_topic(kb, message)


@pytest.mark.parametrize(
    "message", ["can a young person ask the council themselves", "do we need to send a letter or is a call ok"]
)
def test_a_message_about_the_pages_carries_the_topic_on_even_with_words_they_lack(
    kb: KnowledgeBase, message: str
) -> None:
    assert not clearly_unrelated(kb, message)
    assert continues_the_topic(kb, message)
    assert not continues_the_topic(kb, message + " and" + " also this" * 8)


@pytest.mark.parametrize(
    ("message", "remark"),
    [
        # Asks nothing, and no off-topic example says the same: a remark to chat over.
        ("honestly my brain is fried today", True),
        # Asks nothing in form, but an off-topic example says it: a request for something else.
        ("football scores", False),
        ("pay my council tax", False),
        # Asks something.
        ("can a young person ask the council themselves", False),
    ],
)
def test_a_remark_is_told_from_a_request(kb: KnowledgeBase, message: str, remark: bool) -> None:
    assert is_a_remark(kb, message) is remark


@pytest.mark.parametrize(
    ("message", "foreign"),
    [
        ("can a young person ask the council by email?", False),
        ("Do I need to keep a copy of the letter", False),
        ("best pubs in the Cotswolds for sunday lunch?", True),
        # A place is where the family is, not a subject: Stonehouse and Bishop's Cleeve are on no page.
        ("can a young person in Stonehouse ask the council by email?", False),
        ("can a young person in Bishop's Cleeve ask the council by email?", False),
        ("weather tomorrow in gloucester?", True),
    ],
)
def test_a_message_that_brings_a_word_no_page_uses_is_foreign_to_the_pages(
    kb: KnowledgeBase, message: str, foreign: bool
) -> None:
    assert uses_only_page_words(kb, message) is not foreign


@pytest.mark.parametrize(
    ("message", "wanted"),
    [
        ("SEN trampolining near Stonehouse", True),
        ("any football for under 12s near Bishops Cleeve", True),
        ("Who won the Gloucester rugby match at the weekend?", False),
        ("best pubs in the Cotswolds for sunday lunch?", False),
        ("whats the best pizza place in coleford", False),
    ],
)
def test_a_request_for_an_activity_is_told_from_talk_about_one(kb: KnowledgeBase, message: str, wanted: bool) -> None:
    assert wants_the_directory(kb, message) is wanted
