"""Where callers import query understanding from; the code is in :mod:`knowledge_base.understanding`."""

from __future__ import annotations

from knowledge_base.understanding import MAX_CHARS, QueryFacts, understand, warm_up

__all__ = ["MAX_CHARS", "QueryFacts", "understand", "warm_up"]
