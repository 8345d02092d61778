"""The sentence salience model: what it reads, the counts it carries, and the shipped fit."""

from __future__ import annotations

from dataclasses import replace

from knowledge_base.salience import (
    FEATURES,
    HELD_PRIOR,
    UNFITTED,
    Salience,
    SentenceFeatures,
    held_rate,
    load_salience,
    page_key,
    sentence_key,
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
)


def test_a_sentence_is_known_by_its_words_whatever_the_spacing_or_case() -> None:
    assert sentence_key("The council must decide  within 6 weeks.") == sentence_key(
        "the council must decide within 6 weeks. "
    )
    assert sentence_key("within 6 weeks") != sentence_key("within 16 weeks")


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
        held={"advice.page?id=appeals": (4, {sentence_key("You have 2 months to appeal."): 3})},
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
    assert model.score(replace(PLAIN, cosine=0.7)) > model.score(PLAIN)
    assert model.score(replace(PLAIN, held=0.8)) > model.score(PLAIN)
    assert model.score(replace(PLAIN, asks=1.0)) < model.score(PLAIN)


def test_without_a_fit_only_closeness_counts() -> None:
    assert UNFITTED.score(replace(PLAIN, cosine=0.7)) > UNFITTED.score(PLAIN)
    assert UNFITTED.score(replace(PLAIN, held=0.9, has_fact=1.0)) == UNFITTED.score(PLAIN)
