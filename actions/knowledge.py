"""The action server's one knowledge-base handle, opened lazily inside the Sanic worker.

Loading sentence-transformers at import time crashes rasa-sdk's worker start-up, so the model and
index load on first use, or in a background thread as soon as a worker process imports this module.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from knowledge_base.embedding import set_torch_threads, shared_embedder
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import current_dir
from settings import get_settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_kb: KnowledgeBase | None = None
_opened: Path | None = None


def knowledge_base() -> KnowledgeBase:
    """The current build, opened once per process and again when a new build becomes current
    (an editor's content exclusion must leave the answers at the next build, without a restart)."""
    global _kb, _opened
    with _lock:
        kb_dir = get_settings().kb_dir
        current = current_dir(kb_dir).resolve()
        if _kb is None or current != _opened:
            _kb = KnowledgeBase.load(kb_dir, embedder=shared_embedder())
            _opened = current
            log.info("knowledge base %s loaded (%d passages)", _kb.manifest.build_id, _kb.size)
        return _kb


def _warm_up() -> None:
    try:
        knowledge_base().search("EHC needs assessment", k=1)
    except Exception:  # the first real question will report the same error to the user and logs
        log.exception("knowledge base warm-up failed")


if os.environ.get("SANIC_WORKER_NAME"):
    set_torch_threads(get_settings().server_torch_threads)
    threading.Thread(target=_warm_up, name="kb-warm-up", daemon=True).start()
