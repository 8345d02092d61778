"""The action server's one app-database handle (escalations, feedback), opened on first use."""

from __future__ import annotations

from functools import cache

from app_store import AppStore
from signposting.settings import get_settings


@cache
def app_store() -> AppStore:
    """The app database for this process (an AppStore is safe to share between threads)."""
    return AppStore.from_settings(get_settings())
