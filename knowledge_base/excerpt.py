"""Choose the few sentences of a page that best answer a question (extractive answers)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from knowledge_base.models import SearchHit
from knowledge_base.search import KnowledgeBase

MAX_EXCERPT_WORDS = 70


@dataclass(frozen=True)
class Excerpt:
    text: str
    hit: SearchHit  # the passage the sentences came from, for its section link


def best_excerpt(kb: KnowledgeBase, query_vector: np.ndarray, hits: list[SearchHit], max_sentences: int = 3) -> Excerpt:
    """The sentence nearest the query among the hits' passages, with its neighbours while they fit.

    Sentence vectors were embedded at build time with their section heading, so this costs a few
    dot products. The bot only ever repeats the page's own words, in the page's order, so it
    cannot invent a number, a deadline or a service.
    """
    if not hits:
        raise ValueError("best_excerpt needs at least one hit")
    if hits[0].page_type == "service":
        # A service is answered with its summary whole (name, what it offers, ages, area, cost, how
        # to get it): a fragment such as 'Cost: Free.' means nothing without the service's name.
        page = kb.page_passages(query_vector, hits[0].doc_url, k=100, within=2.0)
        summary = next((h for h in page if not h.section), hits[0])
        return Excerpt(summary.text, summary)
    best_score, best_hit, best_index, best_sentences = -2.0, hits[0], -1, [hits[0].text.strip()]
    for hit in hits:
        sentences, vectors = kb.sentences(hit.chunk_id)
        if not sentences:
            continue
        scores = vectors @ np.asarray(query_vector, dtype=np.float32)
        i = int(np.argmax(scores))
        if float(scores[i]) > best_score:
            best_score, best_hit, best_index, best_sentences = float(scores[i]), hit, i, sentences
    if best_index < 0:
        return Excerpt(best_hit.text.strip(), best_hit)
    chosen = excerpt_window(best_sentences, best_index, max_sentences)
    return Excerpt("\n".join(best_sentences[i] for i in chosen), best_hit)


def excerpt_window(
    sentences: list[str], best: int, max_sentences: int = 3, max_words: int = MAX_EXCERPT_WORDS
) -> list[int]:
    """Indices of the sentences to quote, in order: the best one and the context that makes it read well.

    When the best sentence is near the top of its passage, the quote starts at the top, because the
    opening sentences set the scene ('You ask the council in writing.' before 'You can also use a
    form.'). Otherwise it starts at the best sentence and runs on, since detail usually follows.
    A list introduction ('Follow these steps:') is never left dangling at the end.
    """

    def words(i: int) -> int:
        return len(sentences[i].split())

    start = 0 if best < max_sentences else best
    chosen: list[int] = []
    total = 0
    for i in range(start, len(sentences)):
        if len(chosen) >= max_sentences or (chosen and total + words(i) > max_words):
            break
        chosen.append(i)
        total += words(i)
    if best not in chosen:
        chosen, total = [best], words(best)
        for i in range(best + 1, min(len(sentences), best + max_sentences)):
            if total + words(i) > max_words:
                break
            chosen.append(i)
            total += words(i)
    while len(chosen) < max_sentences and chosen[0] > 0 and total + words(chosen[0] - 1) <= max_words:
        chosen.insert(0, chosen[0] - 1)
        total += words(chosen[0])
    while len(chosen) > 1 and sentences[chosen[-1]].rstrip().endswith(":") and chosen[-1] != best:
        chosen.pop()
    return chosen
