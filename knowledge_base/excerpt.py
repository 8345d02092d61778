"""Choose the few sentences of a passage that best answer a question (extractive answers)."""

from __future__ import annotations

import numpy as np

from ingestion.chunk import split_sentences
from knowledge_base.embedding import Embedder

MAX_EXCERPT_WORDS = 70


def best_excerpt(query: str, passage: str, embedder: Embedder, max_sentences: int = 3) -> str:
    """The passage's sentence closest to the query, with its neighbours while they fit.

    The bot only ever repeats the page's own words, in the page's order, so it cannot invent a
    number, a deadline or a service.
    """
    sentences = split_sentences(passage)
    if len(sentences) <= 1:
        return passage.strip()
    vectors = embedder.encode([query, *sentences])
    scores = vectors[1:] @ vectors[0]
    best = int(np.argmax(scores))
    chosen = [best]
    words = len(sentences[best].split())
    # Grow forwards first: the sentence after the best one usually carries the detail.
    for candidate in (best + 1, best - 1, best + 2, best - 2):
        if len(chosen) >= max_sentences or not 0 <= candidate < len(sentences):
            continue
        n = len(sentences[candidate].split())
        if words + n > MAX_EXCERPT_WORDS:
            continue
        chosen.append(candidate)
        words += n
    return "\n".join(sentences[i] for i in sorted(chosen))
