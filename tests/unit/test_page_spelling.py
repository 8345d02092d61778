"""The pages' spelling of a family's misspelt words, added to what is searched (knowledge_base.spelling)."""

from __future__ import annotations

import pytest

from knowledge_base.gazetteer import family_words
from knowledge_base.spelling import PageSpelling

PAGES = [
    "Every EHC plan must be reviewed at least once a year at an annual review.",
    "You can ask the council for an EHC needs assessment. A college can ask too.",
    "The wheelchair service assesses children who need a wheelchair.",
    "The difference between SEN support and an EHC plan.",
    "A page about the paperwork you need.",
]


@pytest.fixture(scope="module")
def spelling() -> PageSpelling:
    return PageSpelling(PAGES)


@pytest.mark.parametrize(
    ("typed", "page_word"),
    [
        ("reveiw", "review"),
        ("anual", "annual"),
        ("assesment", "assessment"),
        ("whelchair", "wheelchair"),
        ("colege", "college"),
        ("difrence", "difference"),
    ],
)
def test_a_misspelt_word_gets_the_pages_spelling(spelling: PageSpelling, typed: str, page_word: str) -> None:
    assert spelling.spelling_of(typed) == page_word


@pytest.mark.parametrize("word", ["review", "bage", "moan", "holiday", "trampolining"])
def test_page_words_short_words_and_ordinary_english_are_left_alone(spelling: PageSpelling, word: str) -> None:
    # 'bage' is too short to guess ('page' or 'badge'); 'moan' and 'holiday' are English, whatever the pages say.
    assert spelling.spelling_of(word) is None


def test_the_message_is_kept_and_the_pages_words_are_added(spelling: PageSpelling) -> None:
    assert spelling.respelled("when is the anual reveiw") == "when is the anual reveiw (annual review)"
    assert spelling.respelled("when is the annual review") == "when is the annual review"


def test_a_misspelt_family_word_the_pages_never_use_gets_its_spelling() -> None:
    # No page says 'respite' (they say 'short breaks'), so only the gazetteer's words can correct 'respit'.
    pages = [*PAGES, "Short breaks give families a rest.", "Despite this, it is free."]
    spelling = PageSpelling(pages)
    assert spelling.spelling_of("respit") is None
    with_family_words = PageSpelling(pages, family_words=family_words())
    assert with_family_words.spelling_of("respit") == "respite"
    assert with_family_words.spelling_of("respite") is None  # spelt right: the gazetteer adds 'short breaks'
    assert with_family_words.spelling_of("despte") == "despite"  # a page's own word is still found


def test_family_words_are_the_single_words_the_gazetteer_maps() -> None:
    words = family_words()
    assert {"respite", "physio", "tribunal", "complaint"} <= words
    # Parts of a longer name ('speech', 'therap' from 'speech therapy') are not words families use alone.
    assert "speech" not in words
    assert "therap" not in words
