"""How a fitted model's file remembers the read sets' questions: packed vectors and page keys.

The salience model and the page re-ranker both remember earlier questions by their embeddings and
the pages that answered them. Eight bits a dimension keep a cosine to about 0.01 and the stored
models small enough for git; a page is named by its address without the site, so one file fits
the demo snapshot and the live site.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence

import numpy as np

_SPACE = re.compile(r"\s+")


def pack(vector: np.ndarray) -> bytes:
    """A unit vector as base64 text of int8 values (times 127), for a ``Base64Bytes`` field."""
    raw = np.clip(np.rint(np.asarray(vector, dtype=np.float32) * 127), -127, 127).astype(np.int8).tobytes()
    # Base64Bytes validates its input as base64 text, so the raw bytes are encoded first.
    return base64.b64encode(raw)


def unpack(stored: Sequence[bytes]) -> np.ndarray:
    """The vectors (one a row, float32) from the raw bytes a ``Base64Bytes`` field holds."""
    if not stored:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([np.frombuffer(raw, dtype=np.int8) for raw in stored]).astype(np.float32) / 127


def page_key(doc_url: str) -> str:
    """A page's address without the site ('advice.page?id=appeals')."""
    return doc_url.rsplit("/", 1)[-1]


def text_key(text: str) -> str:
    """A short stable key for a sentence's or a question's text (whitespace and case do not matter)."""
    return hashlib.blake2b(_SPACE.sub(" ", text.strip().lower()).encode(), digest_size=6).hexdigest()
