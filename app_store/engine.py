"""Opening the app database: one engine per store, tuned for SQLite or PostgreSQL.

SQLite is written by two processes at once (the action server and the gateway), so it runs in
WAL mode, where readers never wait for the writer, with a busy timeout, so a writer waits its turn
instead of failing with 'database is locked'.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _in_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


def _tune_sqlite(engine: Engine, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                # In WAL mode NORMAL still never corrupts the file; it only skips some fsyncs.
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``: SQLite (file or ``sqlite://`` in memory) or PostgreSQL (``postgresql+psycopg``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # Drop connections a restarted server has closed, rather than failing a family's request.
        return create_engine(parsed, pool_pre_ping=True)
    if _in_memory(parsed):
        # One shared connection, or every thread would see its own empty database.
        engine = create_engine(parsed, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(str(parsed.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    _tune_sqlite(engine, _in_memory(parsed))
    return engine
