from __future__ import annotations

from knowledge_base.excerpt import excerpt_window

HOW = [
    "You ask the council in writing.",
    "A letter or an email is fine.",
    "You can also use a request form if the council offers one.",
    "Follow these steps:",
    "- Write to the SEND team.",
]


def test_a_best_sentence_near_the_top_is_quoted_from_the_top() -> None:
    assert excerpt_window(HOW, best=2) == [0, 1, 2]


def test_a_list_introduction_is_not_left_dangling() -> None:
    assert excerpt_window(HOW, best=1, max_sentences=4) == [0, 1, 2]


def test_a_best_sentence_further_down_is_followed_by_its_detail() -> None:
    sentences = [f"Sentence {i} is here." for i in range(10)]
    assert excerpt_window(sentences, best=6) == [6, 7, 8]
    assert excerpt_window(sentences, best=9) == [7, 8, 9]


def test_the_word_limit_is_kept_but_the_best_sentence_always_stays() -> None:
    long = " ".join(["word"] * 60) + "."
    assert excerpt_window([long, "Short one.", "The answer is here."], best=2, max_words=64) == [1, 2]
    assert excerpt_window([long], best=0, max_words=10) == [0]
