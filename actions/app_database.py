"""The action server's one app-database handle (escalations, feedback), opened on first use."""

from __future__ import annotations

import threading

from app_store import AppStore
from signposting.settings import get_settings

_lock = threading.Lock()
_store: AppStore | None = None


def app_store() -> AppStore:
    """The app database for this process."""
    global _store
    with _lock:
        if _store is None:
            _store = AppStore.from_settings(get_settings())
        return _store
