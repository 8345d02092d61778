"""The pages' example questions: how they are matched to a build, and that the file is what the read sets give."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.answer_set import BLIND_SETS, blind_turns, set_path
from bench.example_questions import examples_from_sets, normalised, render
from knowledge_base.examples import (
    EXAMPLES_FILE,
    PAGE_QUESTIONS_FILE,
    ExampleQuestions,
    PageExamples,
    load_all_examples,
    resolve,
)

URLS = [
    "http://demo/kb5/gloucs/glosfamilies/advice.page?id=appeals",
    "http://demo/kb5/gloucs/glosfamilies/advice.page?id=appeals-young-people",
    "http://demo/kb5/gloucs/glosfamilies/service.page?id=sendiass",
]


def test_a_page_is_named_by_its_address_ending_and_unknown_pages_are_dropped() -> None:
    examples = ExampleQuestions(
        pages=[
            PageExamples(page="advice.page?id=appeals", questions=["can I appeal", "can I appeal", "tribunal?"]),
            PageExamples(page="service.page?id=sendiass", questions=["who can help me"]),
            PageExamples(page="advice.page?id=gone", questions=["a page no longer on the site"]),
        ]
    )
    assert resolve(examples, URLS) == [
        ("can I appeal", URLS[0]),
        ("tribunal?", URLS[0]),
        ("who can help me", URLS[2]),
    ]


def test_an_ending_that_names_two_pages_is_left_out() -> None:
    examples = ExampleQuestions(pages=[PageExamples(page="=appeals", questions=["x"])])
    assert resolve(examples, [*URLS, "http://other/advice.page?id=appeals"]) == []


def test_the_file_is_what_the_read_sets_give() -> None:
    assert EXAMPLES_FILE.read_text(encoding="utf-8") == render(examples_from_sets()), (
        "knowledge_base/example_questions.yml is out of date: run python -m bench examples"
    )


def test_no_example_comes_from_the_blind_set() -> None:
    assert all(set_path(name).is_file() for name in BLIND_SETS)
    blind_texts = {normalised(t.text) for t in blind_turns()}
    # Every file the build embeds: the generated one and the one written from the pages.
    examples = {normalised(q) for page in load_all_examples().pages for q in page.questions}
    # The count only: printing the overlap would show blind items to whoever runs the tests.
    overlap = len(examples & blind_texts)
    assert not overlap, f"{overlap} example questions are worded like blind items: python -m bench examples"


@pytest.mark.parametrize("path", [EXAMPLES_FILE, PAGE_QUESTIONS_FILE])
def test_examples_hold_no_contact_details(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "@" not in text
    assert "07700" not in text
