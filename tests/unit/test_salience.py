"""The sentence salience model: what it reads, the counts it carries, and the shipped fit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from knowledge_base.boosted_trees import LEAF, BoostedTrees
from knowledge_base.model_memory import page_key, text_key
from knowledge_base.salience import (
    FEATURES,
    HELD_PRIOR,
    UNFITTED,
    Asked,
    Salience,
    SentenceFeatures,
    held_rate,
    load_salience,
    save_salience,
)

PLAIN = SentenceFeatures(
    cosine=0.5,
    passage_cosine=0.5,
    passage_rank=1.0,
    opens_section=0.0,
    place=0.5,
    length=2.5,
    has_fact=0.0,
    focus=0.0,
    shared_words=0.2,
    shared_share=0.1,
    centrality=0.6,
    list_item=0.0,
    introduces_list=0.0,
    asks=0.0,
    held=HELD_PRIOR,
    held_near=HELD_PRIOR,
)


def test_a_sentence_is_known_by_its_words_whatever_the_spacing_or_case() -> None:
    assert text_key("The council must decide  within 6 weeks.") == text_key("the council must decide within 6 weeks. ")
    assert text_key("within 6 weeks") != text_key("within 16 weeks")


def test_a_page_is_known_by_its_address_on_any_host() -> None:
    assert page_key("http://127.0.0.1:8080/kb5/gloucs/glosfamilies/advice.page?id=appeals") == "advice.page?id=appeals"
    assert page_key("https://www.glosfamiliesdirectory.org.uk/kb5/gloucs/glosfamilies/advice.page?id=appeals") == (
        "advice.page?id=appeals"
    )


def test_held_counts_are_smoothed_towards_the_prior() -> None:
    assert held_rate(0, 0) == HELD_PRIOR
    assert held_rate(3, 4) > held_rate(1, 4) > held_rate(0, 4)
    assert 0.0 < held_rate(0, 4) < HELD_PRIOR


def test_a_sentence_no_adviser_has_answered_from_gets_the_prior() -> None:
    model = Salience(
        coefficients=(0.0,) * len(FEATURES),
        intercept=0.0,
        held={"advice.page?id=appeals": (4, {text_key("You have 2 months to appeal."): 3})},
    )
    url = "http://demo/advice.page?id=appeals"
    assert model.held_for(url, "You have 2 months to appeal.") == held_rate(3, 4)
    assert model.held_for(url, "Mediation is free.") == held_rate(0, 4)
    assert model.held_for("http://demo/advice.page?id=other", "Mediation is free.") == HELD_PRIOR


def test_the_shipped_model_reads_every_feature_and_prefers_close_and_often_quoted_sentences() -> None:
    model = load_salience()
    assert model is not UNFITTED
    assert model.features == FEATURES
    assert model.held, "the shipped model carries the read sets' counts"
    assert model.asked, "and the read sets' questions, for held_near"
    assert model.score(replace(PLAIN, cosine=0.7)) > model.score(PLAIN)
    assert model.score(replace(PLAIN, held=0.8)) > model.score(PLAIN)
    assert model.score(replace(PLAIN, held_near=0.8)) > model.score(PLAIN)
    # The trees score; the logistic fit beside them is kept for comparison. (A sentence that asks a
    # question is never quoted, so the trees learn nothing for 'asks'.)
    assert model.trees is not None
    assert model.score(replace(PLAIN, asks=1.0)) <= model.score(PLAIN)


def test_trees_when_present_score_the_sentences_one_at_a_time_or_a_page_at_once() -> None:
    # One tree: a sentence closer than 0.6 to the question is worth +1 in log-odds, others -1.
    split = FEATURES.index("cosine")
    trees = BoostedTrees(
        baseline=0.0,
        roots=[0],
        feature=[split, 0, 0],
        threshold=[0.6, 0.0, 0.0],
        left=[1, LEAF, LEAF],
        right=[2, LEAF, LEAF],
        value=[0.0, -1.0, 1.0],
        depth=1,
    )
    model = Salience(coefficients=(0.0,) * len(FEATURES), intercept=5.0, trees=trees)
    close, far = replace(PLAIN, cosine=0.7), PLAIN
    assert model.score(close) == pytest.approx(1 / (1 + np.exp(-1.0)))
    assert model.score(far) == pytest.approx(1 / (1 + np.exp(1.0)))
    assert model.scores([far, close, far]) == pytest.approx([model.score(far), model.score(close), model.score(far)])
    assert model.scores([]) == []


def test_without_a_fit_only_closeness_counts() -> None:
    assert UNFITTED.score(replace(PLAIN, cosine=0.7)) > UNFITTED.score(PLAIN)
    assert UNFITTED.score(replace(PLAIN, held=0.9, has_fact=1.0)) == UNFITTED.score(PLAIN)


def _unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_held_near_leans_on_what_was_quoted_for_the_questions_most_like_this_one() -> None:
    how_long, who_can_ask = _unit(1, 0, 0), _unit(0, 1, 0)
    timescale, who = text_key("The council decides within 6 weeks."), text_key("A parent can ask.")
    model = Salience(
        coefficients=(0.0,) * len(FEATURES),
        intercept=0.0,
        asked=[
            Asked.of("advice.page?id=assessment", how_long, {timescale: 1.0}),
            Asked.of("advice.page?id=assessment", who_can_ask, {who: 0.8}),
        ],
    )
    near = model.held_near("http://demo/advice.page?id=assessment", _unit(0.9, 0.1, 0))
    assert near("The council decides within 6 weeks.") > near("A parent can ask.") > near("Mediation is free.")
    near_who = model.held_near("http://demo/advice.page?id=assessment", _unit(0.1, 0.9, 0))
    assert near_who("A parent can ask.") > near_who("The council decides within 6 weeks.")
    # A page no earlier question was answered from gives every sentence the prior.
    elsewhere = model.held_near("http://demo/advice.page?id=appeals", how_long)
    assert elsewhere("The council decides within 6 weeks.") == HELD_PRIOR


def test_earlier_questions_survive_the_round_trip_through_the_stored_file(tmp_path: Path) -> None:
    question = _unit(0.3, -0.5, 0.8)
    model = Salience(
        coefficients=(0.0,) * len(FEATURES),
        intercept=0.0,
        asked=[Asked.of("advice.page?id=appeals", question, {text_key("You have 2 months."): 0.5, "x": 0.01})],
    )
    path = tmp_path / "salience.json"
    save_salience(model, path)
    loaded = load_salience(path)
    assert loaded.asked[0].shares == {text_key("You have 2 months."): 0.5}, "shares too small to matter are dropped"
    assert loaded.held_near("advice.page?id=appeals", question)("You have 2 months.") == pytest.approx(
        model.held_near("advice.page?id=appeals", question)("You have 2 months.")
    )
    stored = np.frombuffer(loaded.asked[0].vector, dtype=np.int8).astype(np.float32) / 127
    assert float(stored @ question) == pytest.approx(1.0, abs=0.01)
