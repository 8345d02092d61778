"""The action server's start-up: the one module of actions/ that reads the settings.

rasa-sdk imports this package and builds every action itself, with no arguments, so no caller can
hand the actions their settings. This module reads them once per process and builds from them what
the actions share: the knowledge-base handle and the app database. The other modules take settings
(or the values they need) as arguments from here; none reads them itself (tests/unit/test_layers.py).

In a Sanic worker (``SANIC_WORKER_NAME`` is set) it also opens the knowledge base and the app
database in the background at once, so that the first family's message does not wait for them.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import cache

from actions.knowledge import KnowledgeBaseHandle
from app_store import AppStore
from knowledge_base.embedding import set_torch_threads
from knowledge_base.search import KnowledgeBase
from settings import Settings, get_settings

log = logging.getLogger(__name__)


@cache
def server_settings() -> Settings:
    """The settings this action server runs with, read once."""
    return get_settings()


@cache
def _knowledge() -> KnowledgeBaseHandle:
    return KnowledgeBaseHandle(server_settings().kb_dir)


def knowledge_base() -> KnowledgeBase:
    """The current knowledge-base build."""
    return _knowledge().current()


@cache
def app_store() -> AppStore:
    """The app database for this process (an AppStore is safe to share between threads)."""
    return AppStore.from_settings(server_settings())


def _warm_up_app_store() -> None:
    # Check the schema now, while the database is (most likely) well: a first use during an outage
    # would spend its retries on the migration check before the escalation itself could fail over
    # to the outbox (the fault drill found a handoff taking over a minute that way).
    try:
        app_store().service_state()
    except Exception:  # the first escalation reports the same problem, and goes to the outbox
        log.exception("app database warm-up failed")


if os.environ.get("SANIC_WORKER_NAME"):
    set_torch_threads(server_settings().server_torch_threads)
    threading.Thread(target=_knowledge().warm_up, name="kb-warm-up", daemon=True).start()
    threading.Thread(target=_warm_up_app_store, name="app-db-warm-up", daemon=True).start()
