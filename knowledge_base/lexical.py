"""Lexical retrieval: BM25 over each passage's title, section and text (bm25s, English stemming).

Dense embeddings are good at paraphrase and typos; BM25 is good at the rare exact word a family
types ('Section I', 'mediation certificate', a service's name). Both run on every query and are
fused (knowledge_base.fusion) when the evaluation shows that helps.
"""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import Stemmer

LEXICAL_DIR = "lexical"

_stemmer = Stemmer.Stemmer("english")


def _tokens(texts: list[str]) -> list[list[str]]:
    tokens: list[list[str]] = bm25s.tokenize(
        texts, stopwords="en", stemmer=_stemmer, return_ids=False, show_progress=False
    )
    return tokens


def word_sets(texts: list[str]) -> list[frozenset[str]]:
    """Each text's stemmed content words (stop words left out), as BM25 sees them."""
    return [frozenset(tokens) for tokens in _tokens(texts)] if texts else []


def lexical_text(title: str, section: str, text: str) -> str:
    """What BM25 indexes for one passage: the page title and heading carry many of the words asked."""
    return f"{title}. {section}. {text}"


def build_lexical_index(texts: list[str], directory: Path) -> None:
    """Index passages in FAISS row order and save the index under ``directory``."""
    retriever = bm25s.BM25()
    retriever.index(_tokens(texts), show_progress=False)
    retriever.save(str(directory / LEXICAL_DIR))


class LexicalIndex:
    """A loaded BM25 index; ``scores`` gives every passage's score for a query."""

    def __init__(self, retriever: bm25s.BM25, size: int) -> None:
        self._retriever = retriever
        self.size = size

    @classmethod
    def load(cls, build_dir: Path, size: int) -> LexicalIndex:
        retriever = bm25s.BM25.load(str(build_dir / LEXICAL_DIR), mmap=False)
        return cls(retriever, size)

    def unknown_words(self, text: str) -> list[str]:
        """The words of ``text`` (stemmed, stop words left out) that no passage holds."""
        vocab = self._retriever.vocab_dict
        return [w for w in _tokens([text])[0] if w not in vocab]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage (zeros when no query word is in the index)."""
        vocab = self._retriever.vocab_dict
        words = [w for w in _tokens([query])[0] if w in vocab]
        if not words:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(words), dtype=np.float32)
