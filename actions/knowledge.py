"""The action server's one knowledge-base handle, opened lazily inside the Sanic worker.

Loading sentence-transformers at import time crashes rasa-sdk's worker start-up, so the model and
index load on first use, or in a background thread as soon as a worker process imports this module.
"""

from __future__ import annotations

import logging
import os
import threading

from knowledge_base.embedding import Embedder
from knowledge_base.search import KnowledgeBase
from signposting.settings import get_settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_kb: KnowledgeBase | None = None
_embedder: Embedder | None = None


def embedder() -> Embedder:
    global _embedder
    with _lock:
        if _embedder is None:
            _embedder = Embedder(batch_size=get_settings().embedding_batch_size)
        return _embedder


def knowledge_base() -> KnowledgeBase:
    """The current build, opened once per process."""
    global _kb
    emb = embedder()
    with _lock:
        if _kb is None:
            _kb = KnowledgeBase.load(get_settings().kb_dir, embedder=emb)
            log.info("knowledge base %s loaded (%d passages)", _kb.manifest.build_id, _kb.size)
        return _kb


def _warm_up() -> None:
    try:
        knowledge_base().search("EHC needs assessment", k=1)
    except Exception:  # the first real question will report the same error to the user and logs
        log.exception("knowledge base warm-up failed")


if os.environ.get("SANIC_WORKER_NAME"):
    threading.Thread(target=_warm_up, name="kb-warm-up", daemon=True).start()
