"""The action server's one app-database handle (escalations, feedback), opened on first use."""

from __future__ import annotations

import logging
import os
import threading
from functools import cache

from app_store import AppStore
from settings import get_settings

log = logging.getLogger(__name__)


@cache
def app_store() -> AppStore:
    """The app database for this process (an AppStore is safe to share between threads)."""
    return AppStore.from_settings(get_settings())


def _warm_up() -> None:
    # Check the schema now, while the database is (most likely) well: a first use during an outage
    # would spend its retries on the migration check before the escalation itself could fail over
    # to the outbox (the fault drill found a handoff taking over a minute that way).
    try:
        app_store().service_state()
    except Exception:  # the first escalation reports the same problem, and goes to the outbox
        log.exception("app database warm-up failed")


if os.environ.get("SANIC_WORKER_NAME"):
    threading.Thread(target=_warm_up, name="app-db-warm-up", daemon=True).start()
