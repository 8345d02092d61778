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
    chosen = [best_index]
    words = len(best_sentences[best_index].split())
    # Grow forwards first: the sentence after the best one usually carries the detail.
    for candidate in (best_index + 1, best_index - 1, best_index + 2, best_index - 2):
        if len(chosen) >= max_sentences or not 0 <= candidate < len(best_sentences):
            continue
        n = len(best_sentences[candidate].split())
        if words + n > MAX_EXCERPT_WORDS:
            continue
        chosen.append(candidate)
        words += n
    return Excerpt("\n".join(best_sentences[i] for i in sorted(chosen)), best_hit)
