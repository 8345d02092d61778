"""The action server's knowledge-base handle: the current build, opened lazily and reopened when it changes.

Loading sentence-transformers at import time crashes rasa-sdk's worker start-up, so the model and
index load on first use, or in the background thread :mod:`actions.startup` starts as soon as a
worker process imports the package.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from knowledge_base.embedding import shared_embedder
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import current_dir

log = logging.getLogger(__name__)


class KnowledgeBaseHandle:
    """One process's view of the knowledge-base directory it was given."""

    def __init__(self, kb_dir: Path) -> None:
        self.kb_dir = kb_dir
        self._lock = threading.Lock()
        self._kb: KnowledgeBase | None = None
        self._opened: Path | None = None

    def current(self) -> KnowledgeBase:
        """The current build, opened once and again when a new build becomes current
        (an editor's content exclusion must leave the answers at the next build, without a restart)."""
        with self._lock:
            current = current_dir(self.kb_dir).resolve()
            if self._kb is None or current != self._opened:
                self._kb = KnowledgeBase.load(self.kb_dir, embedder=shared_embedder())
                self._opened = current
                log.info("knowledge base %s loaded (%d passages)", self._kb.manifest.build_id, self._kb.size)
            return self._kb

    def warm_up(self) -> None:
        """Open the build and run one search, so that the first family's question is not the slow one.

        Also embeds the off-topic examples (knowledge_base.off_topic), which the first message that
        finds nothing would otherwise wait for.
        """
        try:
            kb = self.current()
            kb.search("EHC needs assessment", k=1)
            kb.nearest_off_topic(kb.embed("EHC needs assessment"))
        except Exception:  # the first real question will report the same error to the user and logs
            log.exception("knowledge base warm-up failed")
