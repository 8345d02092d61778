"""The retrieval evaluation set: it loads, its labels point at real pages, and it covers the snapshot."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.eval_set import (
    COPY_OF,
    TROUBLE_PAGES,
    UNANSWERABLE_TOPIC,
    EvalSet,
    EvalSetError,
    load_eval_set,
    page_ref_to_url_suffix,
)
from settings import REPO_ROOT

PAGES_DIR = REPO_ROOT / "demo_site" / "pages"


@pytest.fixture(scope="module")
def eval_set() -> EvalSet:
    return load_eval_set()


def _page_file(ref: str) -> Path:
    return PAGES_DIR / f"{ref}.html"


def test_the_set_loads_with_enough_questions(eval_set: EvalSet) -> None:
    assert len(eval_set.answerable) >= 250
    assert len(eval_set.unanswerable) >= 30
    assert len(eval_set.answerable) + len(eval_set.unanswerable) == len(eval_set.questions)


def test_every_label_is_a_page_in_the_snapshot(eval_set: EvalSet) -> None:
    missing = sorted(ref for ref in eval_set.page_refs() if not _page_file(ref).is_file())
    assert missing == []


def test_no_trouble_page_or_listing_page_is_a_label(eval_set: EvalSet) -> None:
    assert eval_set.page_refs() & TROUBLE_PAGES == set()
    assert all(ref.startswith(("advice/", "service/")) for ref in eval_set.page_refs())
    # The copy really is a byte copy, so treating it as its original is fair.
    for copy, original in COPY_OF.items():
        assert _page_file(copy).read_bytes() == _page_file(original).read_bytes()


def test_no_question_is_asked_twice(eval_set: EvalSet) -> None:
    texts = Counter(" ".join(question.q.casefold().split()) for question in eval_set.questions)
    assert [text for text, count in texts.items() if count > 1] == []


def test_every_advice_page_answers_at_least_two_questions(eval_set: EvalSet) -> None:
    counts = Counter(ref for question in eval_set.questions for ref in question.answers)
    advice_pages = {f"advice/{path.stem}" for path in (PAGES_DIR / "advice").glob("*.html")}
    assert len(advice_pages) > 60, "the snapshot's advice pages were not found"
    thin = sorted(ref for ref in advice_pages - TROUBLE_PAGES if counts[ref] < 2)
    assert thin == []


def test_services_and_young_people_are_well_represented(eval_set: EvalSet) -> None:
    service_questions = [q for q in eval_set.questions if any(ref.startswith("service/") for ref in q.answers)]
    young_people = [q for q in eval_set.questions if q.audience == "young_person"]
    assert len(service_questions) >= 50
    assert len(young_people) >= 30
    assert any(ref.startswith("advice/future-me") for q in young_people for ref in q.answers)


def test_topics_are_a_fixed_list_and_every_topic_is_used(eval_set: EvalSet) -> None:
    used = {question.topic for question in eval_set.questions}
    assert used == set(eval_set.topics)
    assert all(q.topic == UNANSWERABLE_TOPIC for q in eval_set.unanswerable)
    assert all(q.topic != UNANSWERABLE_TOPIC for q in eval_set.answerable)


@pytest.mark.parametrize(
    ("ref", "suffix"),
    [
        ("advice/ehc-needs-assessment", "advice.page?id=ehc-needs-assessment"),
        ("service/little-voices-stroud", "service.page?id=little-voices-stroud"),
    ],
)
def test_page_ref_to_url_suffix(ref: str, suffix: str) -> None:
    assert page_ref_to_url_suffix(ref) == suffix
    url = f"http://127.0.0.1:8080/kb5/gloucs/glosfamilies/{suffix}"
    assert url.endswith(page_ref_to_url_suffix(ref))


@pytest.mark.parametrize("ref", ["localoffer/0", "advice/", "advice/EHC plans", "ehc-plans", "advice/a/b"])
def test_page_ref_to_url_suffix_rejects_malformed_refs(ref: str) -> None:
    with pytest.raises(ValueError, match="malformed page reference"):
        page_ref_to_url_suffix(ref)


VALID_QUESTION = """
  - q: "how do i ask for an ehcp"
    topic: ehc-assessment
    audience: parent
    answers: [advice/ehc-needs-assessment]
"""


def _write(tmp_path: Path, questions: str, topics: str = "[ehc-assessment, unanswerable]") -> Path:
    path = tmp_path / "questions.yml"
    path.write_text(f"topics: {topics}\nquestions:\n{questions}", encoding="utf-8")
    return path


def test_loader_accepts_a_small_valid_file(tmp_path: Path) -> None:
    unanswerable = '  - {q: "bin day", topic: unanswerable, audience: parent, answers: []}\n'
    loaded = load_eval_set(_write(tmp_path, VALID_QUESTION + unanswerable))
    assert [q.q for q in loaded.answerable] == ["how do i ask for an ehcp"]
    assert [q.q for q in loaded.unanswerable] == ["bin day"]
    assert loaded.answerable[0].answers == ("advice/ehc-needs-assessment",)


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        (VALID_QUESTION.replace("ehc-assessment", "ehcp-stuff"), "unknown topic 'ehcp-stuff'"),
        (VALID_QUESTION.replace("advice/ehc-needs", "advice/EHC_needs"), "malformed page reference"),
        (VALID_QUESTION.replace("advice/ehc-needs", "localoffer/ehc-needs"), "malformed page reference"),
        (VALID_QUESTION + VALID_QUESTION.replace("how do i", "How  do I"), "duplicate question text"),
        (VALID_QUESTION.replace("parent", "teacher"), "audience"),
        (VALID_QUESTION.replace("[advice/ehc-needs-assessment]", "[]"), "only for, questions with no answers"),
        (VALID_QUESTION.replace("topic: ehc-assessment", "topic: unanswerable"), "only for, questions with no"),
        (VALID_QUESTION.replace("]", ", advice/ehc-needs-assessment]"), "listed twice"),
        (VALID_QUESTION.replace("how do i ask for an ehcp", "  "), "question text is empty"),
        (VALID_QUESTION + "    colour: blue\n", "colour"),
    ],
)
def test_loader_rejects_bad_questions(tmp_path: Path, questions: str, message: str) -> None:
    with pytest.raises(EvalSetError, match=message):
        load_eval_set(_write(tmp_path, questions))


def test_loader_rejects_a_topic_listed_twice(tmp_path: Path) -> None:
    with pytest.raises(EvalSetError, match="listed twice in 'topics'"):
        load_eval_set(_write(tmp_path, VALID_QUESTION, topics="[ehc-assessment, ehc-assessment]"))


@pytest.mark.parametrize(
    ("text", "message"),
    [("topics: [a\nquestions: [", "not valid YAML"), ("- just a list\n", "expected a mapping")],
)
def test_loader_rejects_files_that_are_not_a_set(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "questions.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvalSetError, match=message):
        load_eval_set(path)


def test_loader_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvalSetError, match="cannot read"):
        load_eval_set(tmp_path / "nope.yml")
