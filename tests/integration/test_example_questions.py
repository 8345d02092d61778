"""Example questions in a real build: a family's wording finds the page another family's question did."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingestion.models import Chunk
from knowledge_base.build import build_knowledge_base, is_current
from knowledge_base.embedding import Embedder
from knowledge_base.examples import ExampleQuestions, PageExamples
from knowledge_base.reranking import FEATURES, AskedBefore, Reranker
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import current_manifest

BASE = "http://demo/kb5/gloucs/glosfamilies/advice.page?id="
PAGES = {
    "part-time-timetables": (
        "Reduced timetables",
        "A school can only reduce the hours a pupil attends for a short time, to meet their needs. "
        "It needs the parent's agreement and a plan to return to full days.",
    ),
    "exclusions": (
        "Exclusions",
        "Only the head teacher can exclude a pupil, for a fixed period or permanently. "
        "The school must tell you in writing and explain the reason.",
    ),
    "short-breaks": (
        "Short breaks",
        "Short breaks give disabled children time to have fun and give their families a rest.",
    ),
}
QUESTION = "they sent him home after a fight and told me not to bring him back till monday"
EXAMPLES = ExampleQuestions(
    pages=[
        PageExamples(
            page="advice.page?id=exclusions",
            questions=["school sent my son home after a scuffle and said keep him off until next week"],
        ),
        PageExamples(page="advice.page?id=page-not-in-the-build", questions=["a question for a page that has gone"]),
    ]
)


def _chunks() -> list[Chunk]:
    return [
        Chunk(
            chunk_id=hashlib.sha256(page_id.encode()).hexdigest()[:20],
            doc_url=f"{BASE}{page_id}",
            url=f"{BASE}{page_id}",
            title=title,
            section="",
            text=text,
            page_type="advice",
            last_updated="March 2026",
            embed_text=f"{title}: {text}",
        )
        for page_id, (title, text) in PAGES.items()
    ]


def _build(root: Path, examples: ExampleQuestions | None) -> KnowledgeBase:
    build_knowledge_base(_chunks(), {}, root, "demo", Embedder(), len(PAGES), show_progress=False, examples=examples)
    kb = KnowledgeBase.load(root)
    if kb.reranker is not None:
        # The shipped re-ranker also remembers the read sets' questions (asked_votes) and has learnt
        # pages from them (its page classifier), some of them about exclusions: these builds show what
        # the example questions alone do.
        kb.reranker = kb.reranker.model_copy(update={"asked": [], "classifier": None})
    return kb


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[KnowledgeBase, KnowledgeBase]]:
    without = _build(tmp_path_factory.mktemp("without"), None)
    with_examples = _build(tmp_path_factory.mktemp("with"), EXAMPLES)
    yield without, with_examples
    without.close()
    with_examples.close()


def _first_page(kb: KnowledgeBase, query: str) -> str:
    return kb.search(query, k=3).hits[0].doc_url.rsplit("=", 1)[1]


def test_the_page_an_example_question_names_comes_first(builds: tuple[KnowledgeBase, KnowledgeBase]) -> None:
    without, with_examples = builds
    # Without the example the passages' words decide, and 'sent home' reads like a shorter school day.
    assert _first_page(without, QUESTION) != "exclusions"
    assert _first_page(with_examples, QUESTION) == "exclusions"
    assert with_examples.search(QUESTION).features.example > 0.5  # type: ignore[union-attr]


def test_an_example_does_not_pull_questions_about_other_pages(builds: tuple[KnowledgeBase, KnowledgeBase]) -> None:
    _, with_examples = builds
    assert _first_page(with_examples, "what are short breaks for disabled children") == "short-breaks"
    assert _first_page(with_examples, "can school cut his hours to mornings only for a few weeks") == (
        "part-time-timetables"
    )


def test_examples_for_pages_not_in_the_build_are_left_out_and_a_change_means_a_rebuild(
    builds: tuple[KnowledgeBase, KnowledgeBase],
) -> None:
    _, with_examples = builds
    assert with_examples.manifest.examples == 1
    manifest = current_manifest(with_examples.build_dir.parent.parent)
    assert is_current(manifest, _chunks(), {}, "demo", EXAMPLES)
    changed = ExampleQuestions(
        pages=[PageExamples(page="advice.page?id=exclusions", questions=["sent home for the afternoon again"])]
    )
    assert not is_current(manifest, _chunks(), {}, "demo", changed)


def test_leaving_a_set_s_examples_out_ranks_as_if_they_had_never_been_added(
    builds: tuple[KnowledgeBase, KnowledgeBase],
) -> None:
    without, with_examples = builds
    asked = EXAMPLES.pages[0].questions
    left_out = with_examples.leaving_out_examples(asked)
    assert _first_page(left_out, QUESTION) == _first_page(without, QUESTION) != "exclusions"
    assert left_out.search(QUESTION).features.example == 0.0  # type: ignore[union-attr]
    # The build itself is untouched: the example still lifts its page there.
    assert _first_page(with_examples, QUESTION) == "exclusions"
    assert _first_page(with_examples.leaving_out_examples(["some other question"]), QUESTION) == "exclusions"


def test_the_re_ranker_s_remembered_questions_vote_and_are_left_out_with_the_set(
    builds: tuple[KnowledgeBase, KnowledgeBase],
) -> None:
    without, _ = builds
    kb = copy.copy(without)
    remembered = AskedBefore.of(QUESTION, kb.embed(QUESTION), ["advice.page?id=exclusions"], young_person=False)
    kb.reranker = Reranker(features=FEATURES, coefficients=(0.0,) * len(FEATURES), intercept=0.0, asked=[remembered])
    votes = {url.rsplit("/", 1)[-1]: c.asked_votes for url, c in kb.page_candidates(QUESTION, kb.embed(QUESTION))}
    assert votes["advice.page?id=exclusions"] == pytest.approx(1.0)
    assert sum(votes.values()) == pytest.approx(1.0)
    # Judging the set the question came from, the re-ranker forgets it as the examples are forgotten.
    left_out = kb.leaving_out_examples([QUESTION])
    assert left_out.reranker is not None
    assert left_out.reranker.asked == []
    assert all(c.asked_votes == 0.0 for _, c in left_out.page_candidates(QUESTION, kb.embed(QUESTION)))
    assert kb.reranker.asked == [remembered]
